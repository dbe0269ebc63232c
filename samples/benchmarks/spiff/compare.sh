#!/usr/bin/env bash
# Runs the KIM lifecycle on GapFlow and on SpiffWorkflow (a Python BPMN engine a county might pick instead), both
# persisting every step durably to SQLite on the same file system, and prints the ratio.
# Installs SpiffWorkflow into a virtual environment of its own (samples/benchmarks/spiff/.venv, not committed).
#
#   samples/benchmarks/spiff/compare.sh [TICKETS]     (default 300)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
tickets="${1:-300}"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install --quiet "SpiffWorkflow==3.2.0"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && swift build -c release --product gapflow-bench >/dev/null)
gapflow=$(cd "$root" && "$root/.build/release/gapflow-bench" suite --items "$tickets" --dir "$work" 2>/dev/null | sed -n 's/.*durable transitions[^|]*| \([0-9]*\) commands\/s.*/\1/p')
spiff=$("$here/.venv/bin/python" "$here/compare.py" "$tickets" "$work/spiff.sqlite")
python3 - "$gapflow" "$spiff" "$tickets" <<'PY'
import json, sys
gapflow = int(sys.argv[1]); spiff = json.loads(sys.argv[2]); tickets = sys.argv[3]
rate = spiff["commands"] / spiff["seconds"]
print(f"| KIM lifecycle, {tickets} tickets, every step durable in SQLite | GapFlow {gapflow} commands/s | SpiffWorkflow {rate:.0f} steps/s | GapFlow ÷ SpiffWorkflow **{gapflow / rate:.1f}×** |")
PY
