#!/usr/bin/env bash
# Prepares the real-browser tests (Tests/Browser/browser_walk.py, run by `swift test`): checks that Debian's chromium
# and chromium-driver are there and creates the Python virtual environment .build/browser-venv with selenium (drives
# the browser), axe-core-python (ships axe.min.js, the axe-core accessibility engine) and schemathesis (fuzzes the
# JSON API against its OpenAPI document). Safe to run again.
#
#   apt-get install -y chromium chromium-driver python3-venv    # once, as root (.ci/run does this)
#   samples/browser-setup.sh                                     # then this
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/browser-venv

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing Debian packages: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
  exit 1
fi

# Pinned: axe-core-python 0.1.0 ships axe-core 4.4.3, the newest axe-core a PyPI package offers for Python 3.11 that
# knows the wcag21a/wcag21aa tags (axe-selenium-python 2.x ships 3.1.1 without them; its 3.x needs Python 3.12).
# Two tests may ask for it at once (the browser walk and the API fuzzing): one at a time.
mkdir -p .build
exec 9>.build/browser-setup.lock
flock 9
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "selenium==4.51.0" "axe-core-python==0.1.0" \
  "schemathesis==4.32.5"   # fuzzes the JSON API from its OpenAPI document (Tests/GapFlowWebTests/APIFuzzTests.swift)

"$venv/bin/python" - <<'EOF'
import pathlib, re, selenium, axe_core_python
axe = pathlib.Path(axe_core_python.__file__).with_name("axe.min.js")
version = re.search(r"axe v(\d+\.\d+\.\d+)", axe.read_text(encoding="utf-8")[:200]).group(1)
print(f"browser tests ready: selenium {selenium.__version__}, axe-core {version}")
EOF
