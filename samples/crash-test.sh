#!/usr/bin/env bash
# The long crash test: a mixed workload (opens, transitions, timer firings, decision batches) killed with SIGKILL
# at random moments, the database checked after every kill (integrity, acknowledged revisions, replay, hash chains,
# no timer fired twice). The test suite runs 24 kills; this runs as many as you ask for.
#
#   samples/crash-test.sh [KILLS]      (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
GAPFLOW_CRASH_KILLS="${1:-200}" swift test --disable-xctest --filter CrashTests
