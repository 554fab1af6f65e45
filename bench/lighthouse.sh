#!/usr/bin/env bash
# Lighthouse scores of the bundled guide: the index and a page, desktop and mobile.
#
#   npm install --prefix /tmp/lighthouse lighthouse@12   # once; 12 runs on Node 20
#   LIGHTHOUSE=/tmp/lighthouse/node_modules/.bin/lighthouse bench/lighthouse.sh
#
# Another guide, and other pages of it:
#
#   PAGES=/tmp/big/pages PATHS="/ /web-development/ /web-development/flask.html" bench/lighthouse.sh
#
# Uses Debian's Chromium (CHROME_PATH); installs nothing itself.
set -euo pipefail
cd "$(dirname "$0")/.."
lighthouse=${LIGHTHOUSE:-lighthouse}
command -v "$lighthouse" >/dev/null || { echo "lighthouse not found: set LIGHTHOUSE" >&2; exit 1; }
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
python=${PYTHON:-.venv/bin/python}
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$python" guide.py serve --pages "${PAGES:-pages}" --port "$port" --quiet \
    --site-url "http://127.0.0.1:$port" &
server=$!
trap 'kill $server' EXIT
sleep "${WAIT:-2}"
work=$(mktemp -d)
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
for path in ${PATHS:-/ /wsgi-servers.html}; do
    for form in desktop mobile; do
        preset=(); [ "$form" = desktop ] && preset=(--preset=desktop)
        rm -rf "$work/profile"
        "$lighthouse" "http://127.0.0.1:$port$path" "${preset[@]}" --quiet --output=json \
            --output-path="$work/report.json" --chrome-flags="$flags --user-data-dir=$work/profile"
        "$python" -c 'import json, sys
report = json.load(open(sys.argv[1]))
scores = " ".join(name + " " + str(round(category["score"] * 100))
                  for name, category in report["categories"].items())
print(f"{sys.argv[2]:<20} {sys.argv[3]:<8} {scores}")' "$work/report.json" "$path" "$form"
    done
done
rm -rf "$work"
