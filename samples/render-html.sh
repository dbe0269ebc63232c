#!/usr/bin/env bash
# Renders GapFlow's HTML documents in headless Chromium to PDF and PNG, to look at them as a reader would.
# Needs Debian's chromium package (apt-get install chromium); not part of CI.
#
#   samples/render-html.sh FILE.html [OUT_DIR]     writes OUT_DIR/FILE.pdf and OUT_DIR/FILE.png (default: next to FILE)
set -euo pipefail
file="$1"
out="${2:-$(dirname "$file")}"
base="$(basename "$file" .html)"
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 1; }
mkdir -p "$out"
url="file://$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-pdf-header-footer)
"$browser" "${flags[@]}" --print-to-pdf="$out/$base.pdf" "$url" 2>/dev/null
"$browser" "${flags[@]}" --window-size=1100,1600 --screenshot="$out/$base.png" "$url" 2>/dev/null
echo "wrote $out/$base.pdf and $out/$base.png"
