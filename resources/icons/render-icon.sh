#!/bin/sh
# Renders icon.svg to the 512x512 PNG the packager and the window use, with headless Chromium
# (Debian's chromium; no ImageMagick needed). Run from the repository root after editing icon.svg.
set -eu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
cat > "$work/page.html" <<HTML
<!doctype html><html><head><style>html,body{margin:0;background:transparent;overflow:hidden}
img{display:block;width:512px;height:512px}</style></head>
<body><img src="file://$here/icon.svg"></body></html>
HTML
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --default-background-color=00000000 \
  --window-size=512,512 --screenshot="$here/icon-512.png" "file://$work/page.html"
