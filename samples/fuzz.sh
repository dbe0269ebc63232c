#!/usr/bin/env bash
# The long fuzz run: seeded mutations of the KIM definition file (byte flips, truncation, deleted and duplicated
# slices, wrong types, deep nesting, huge strings); each must get a definition or diagnostics, never a crash.
#
#   samples/fuzz.sh [CASES]      (default 100000; the test suite runs 1500)
set -euo pipefail
cd "$(dirname "$0")/.."
GAPFLOW_FUZZ_CASES="${1:-100000}" swift test --disable-xctest --filter FuzzTests
