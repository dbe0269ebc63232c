#!/usr/bin/env bash
# Builds the reference documentation of the GapFlow module — the DocC catalog Sources/GapFlow/GapFlow.docc (the
# definition format, the agenda JSON, the benchmarks) and the `///` comments — with the toolchain's own `docc`, no
# plugin package. Every docc warning (an unresolved ``link`` or <doc:article>, a badly documented parameter) fails.
#
#   samples/build-docs.sh [OUTPUT]     (default .build/docs/GapFlow.doccarchive)
#
# The archive is a static website: serve OUTPUT over HTTP and open /documentation/gapflow.
set -euo pipefail
cd "$(dirname "$0")/.."
output="${1:-.build/docs/GapFlow.doccarchive}"
if [ "${output%.doccarchive}" = "$output" ]; then
  echo "OUTPUT must end in .doccarchive (it is replaced): $output" >&2
  exit 2
fi

# docc lies next to swift in the toolchain (there is no xcrun on Linux).
docc="$(dirname "$(readlink -f "$(command -v swift)")")/docc"
if [ ! -x "$docc" ]; then docc="$(command -v docc || xcrun --find docc)"; fi

# Symbol graphs of the package's modules, from its debug build. `swift package dump-symbol-graph` extracts every
# module, the test modules too, and fails when they are not built, so the build is the one CI and the README use
# (`swift build --build-tests`): after it this is a null build, and on a fresh checkout the build is not wasted.
# Only GapFlow's graphs (GapFlow.symbols.json, and GapFlow@Module.symbols.json for its extensions of other modules)
# are documented; the marker leaves out files from earlier runs.
built=$(swift build --build-tests 2>&1) || { echo "$built" >&2; exit 1; }
graphs=.build/docs/symbol-graphs
mkdir -p .build/docs
marker=.build/docs/.dump-started
touch "$marker"
dumped=$(swift package dump-symbol-graph 2>&1) || { echo "$dumped" >&2; exit 1; }
from=$(echo "$dumped" | sed -n 's/^Files written to //p' | tail -1)
if [ ! -d "$from" ]; then
  echo "$dumped" >&2
  echo "swift package dump-symbol-graph did not say where it wrote the symbol graphs" >&2
  exit 1
fi
rm -rf "$graphs"
mkdir -p "$graphs"
find "$from" -maxdepth 1 \( -name 'GapFlow.symbols.json' -o -name 'GapFlow@*.symbols.json' \) -newer "$marker" \
    -exec cp {} "$graphs"/ \;
if [ ! -f "$graphs/GapFlow.symbols.json" ]; then
  echo "$dumped" >&2
  echo "no symbol graph for GapFlow in '$from'" >&2
  exit 1
fi

rm -rf "$output"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "$docc" convert Sources/GapFlow/GapFlow.docc \
    --additional-symbol-graph-dir "$graphs" \
    --fallback-display-name GapFlow \
    --fallback-bundle-identifier org.gapflow.GapFlow \
    --output-path "$output" \
    --warnings-as-errors >"$log" 2>&1; then
  cat "$log" >&2
  echo "docc failed (warnings count as errors)" >&2
  exit 1
fi
# --warnings-as-errors already fails on a warning; this also catches any that docc would only print.
if grep -E "^(warning|error):" "$log" >/dev/null; then
  cat "$log" >&2
  exit 1
fi
echo "documentation: $output"
