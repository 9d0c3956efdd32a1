#!/usr/bin/env bash
# The classroom in a real browser: start `mot serve` on loopback with a fresh database, open it
# in headless Chromium, type a team name, Enter through the briefing, press 1 for a choice, save
# a screenshot, and check that the move reached the room (store.live, the scoreboard's app and
# `mot results`). Exits non-zero if it did not.
#
#   scripts/browser_check.sh            # screenshot and logs under a new /tmp/mot-browser-check.*
#   OUT=/some/dir scripts/browser_check.sh
#
# Needs Debian's chromium (installed here with apt-get when missing) and the project's .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
ROOM="${ROOM:-浏览器检查}"
LEVEL="${LEVEL:-first-call}"
TEAM="${TEAM:-浏览器队}"
OUT="${OUT:-$(mktemp -d /tmp/mot-browser-check.XXXXXX)}"
mkdir -p "$OUT"
DB="$OUT/room.sqlite3"
SHOT="$OUT/browser-check.png"

if ! command -v chromium >/dev/null 2>&1; then
    echo "chromium is missing: installing Debian's chromium"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "chromium: $(chromium --version 2>/dev/null | head -1)"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT="$(free_port)"
CDP_PORT="$(free_port)"
PROFILE="$(mktemp -d)"
SERVE_PID=""
CHROME_PID=""

cleanup() {
    [ -n "$CHROME_PID" ] && kill "$CHROME_PID" 2>/dev/null && wait "$CHROME_PID" 2>/dev/null
    [ -n "$SERVE_PID" ] && kill -INT "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
    rm -rf "$PROFILE"
    return 0
}
trap cleanup EXIT

# The room's key: the page and its websocket answer only a request that carries it.
KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(16))')"
URL="http://127.0.0.1:$PORT/?key=$KEY"
echo "mot serve --room $ROOM --level $LEVEL --db $DB --port $PORT --host 127.0.0.1 --timer 0 --create --key …"
"$PY" -m game serve --room "$ROOM" --level "$LEVEL" --db "$DB" --port "$PORT" --host 127.0.0.1 --timer 0 --create \
    --key "$KEY" >"$OUT/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 1 100); do
    if "$PY" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$URL" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$SERVE_PID" 2>/dev/null; then
        echo "FAIL: mot serve exited:"; cat "$OUT/serve.log"; exit 1
    fi
    sleep 0.2
done
echo "serving $URL"

chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$PROFILE" --remote-debugging-address=127.0.0.1 \
    --remote-debugging-port="$CDP_PORT" --window-size=1280,800 about:blank \
    >"$OUT/chromium.log" 2>&1 &
CHROME_PID=$!

status=0
"$PY" scripts/browser_check.py --url "$URL" --cdp-port "$CDP_PORT" --db "$DB" --room "$ROOM" \
    --team "$TEAM" --screenshot "$SHOT" || status=$?

echo "--- mot results --room $ROOM --format csv --unfinished"
"$PY" -m game results --db "$DB" --room "$ROOM" --format csv --unfinished | sed 's/^\xef\xbb\xbf//'
echo "--- logs: $OUT/serve.log $OUT/chromium.log"
if [ "$status" -ne 0 ]; then
    echo "browser check FAILED (screenshot: $SHOT)"
    exit "$status"
fi
echo "browser check passed (screenshot: $SHOT)"
