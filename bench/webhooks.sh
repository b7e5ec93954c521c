#!/usr/bin/env bash
# Signed provider callbacks per second over loopback, beside GET /v1/health on the same server.
#   [DURATION=10] [CONNECTIONS=64] bench/webhooks.sh [REQUESTS]      default: 300,000 pre-signed
# Each request is a Twilio inbound-message callback as Twilio posts it, signed for the hub's
# public URL, with its own MessageSid and contact (bench/twilio_requests.py), so that each is a
# new reply the rules decide and the hub commits durably before it answers. Then the check that
# the hub stored as many replies as it answered 200 to. SQLite, in ~/.cache/optout-desk/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-300000}
SECONDS_EACH=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/optout-desk/target}"
WORK="${BENCH_DIR:-$HOME/.cache/optout-desk/bench}"
mkdir -p "$WORK"
. bench/lib.sh
install_packages sqlite3 wrk
cargo build --release -q -p optout-cli
OPTOUT="$CARGO_TARGET_DIR/release/optout"
HUB="$WORK/hub-webhooks"
ADDRESS=127.0.0.1:8487
URL="http://$ADDRESS/v1/webhooks/twilio"
TOKEN=0123456789abcdef0123456789abcdef

rm -rf "$HUB"
"$OPTOUT" --data-dir "$HUB" demo --contacts 100 >/dev/null
printf '%s' "$TOKEN" > "$WORK/twilio-token.txt"
"$OPTOUT" --data-dir "$HUB" providers set twilio --auth-token-file "$WORK/twilio-token.txt" >/dev/null
python3 bench/twilio_requests.py "$TOKEN" "$URL" +12015550100 "$REQUESTS" "$WORK/twilio-requests.txt"
cat > "$WORK/webhooks.lua" <<LUA
local requests = {}
for line in io.lines("$WORK/twilio-requests.txt") do
  local tab = line:find("\t", 1, true)
  requests[#requests + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
end
-- Each wrk thread takes every other request, so that no two send the same one.
local step, i = 2, 0
function setup(thread)
  thread:set("first", i); i = i + 1
end
function init(args)
  i = first
end
request = function()
  i = i + step
  local r = requests[(i - 1) % #requests + 1]
  return wrk.format("POST", "/v1/webhooks/twilio",
    { ["Content-Type"] = "application/x-www-form-urlencoded", ["X-Twilio-Signature"] = r[1] }, r[2])
end
LUA
messages() { sqlite3 "$HUB/hub.sqlite3" "SELECT COUNT(*) FROM messages WHERE direction = 'incoming'"; }
before=$(messages)
"$OPTOUT" --data-dir "$HUB" serve --listen "$ADDRESS" --public-url "http://$ADDRESS" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
echo "== baseline: GET /v1/health on the same server, $CONNECTIONS connections, ${SECONDS_EACH}s"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" "http://$ADDRESS/v1/health" | grep -E "Requests/sec|Latency"
echo "== signed Twilio callbacks, one reply each, $CONNECTIONS connections, ${SECONDS_EACH}s"
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" -s "$WORK/webhooks.lua" "http://$ADDRESS" | tee "$WORK/wrk.txt" |
  grep -E "Requests/sec|Latency|Non-2xx|requests in"
kill "$server"; wait "$server" 2>/dev/null || true
sent=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$WORK/wrk.txt")
stored=$(( $(messages) - before ))
echo "stored $stored replies; wrk saw $sent answered (it does not count those in flight when it stops)"
[ "$stored" -ge "$sent" ] || { echo "fewer replies stored than answered" >&2; exit 1; }
