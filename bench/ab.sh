#!/usr/bin/env bash
# This checkout against another revision, built side by side and run in turn on the same data:
# the import of a list, and opt-out commands per second over HTTP (one command per request, as
# texters send them; each a transaction of its own).
#   [ROUNDS=3] bench/ab.sh REV [ROWS]          e.g. bench/ab.sh HEAD~1 1000000
# Works in ~/.cache/optout-desk/bench; the other revision is built in a worktree there.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:?"usage: bench/ab.sh REV [ROWS]"}
ROWS=${2:-1000000}
ROUNDS=${ROUNDS:-3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/optout-desk/target}"
WORK="${BENCH_DIR:-$HOME/.cache/optout-desk/bench}"
mkdir -p "$WORK"
. bench/lib.sh
install_packages wrk bc

SHA=$(git rev-parse --short "$REV")
TREE="$WORK/ab-$SHA"
[ -d "$TREE" ] || git worktree add -q --detach "$TREE" "$SHA"
cargo build --release -q -p optout-cli
(cd "$TREE" && CARGO_TARGET_DIR="$WORK/target-ab" cargo build --release -q -p optout-cli)
declare -A BIN=([this]="$CARGO_TARGET_DIR/release/optout" [$SHA]="$WORK/target-ab/release/optout")
ACCOUNT="Northside Tenants Union"
[ -f "$WORK/list-$ROWS.csv" ] || python3 bench/make_list.py "$ROWS" "$WORK/list-$ROWS.csv" "$WORK/phones-$ROWS.txt"
seconds() { local start=$1; echo "$(date +%s.%N) - $start" | bc; }

import() {
  local side=$1 hub="$WORK/ab-hub-$1"
  rm -rf "$hub"
  "${BIN[$side]}" --data-dir "$hub" demo --contacts 100 >/dev/null
  sync
  local start; start=$(date +%s.%N)
  "${BIN[$side]}" --data-dir "$hub" import "$WORK/list-$ROWS.csv" --account "$ACCOUNT" >/dev/null
  echo "import $ROWS rows, $side: $(seconds "$start")s"
}

# Each request opts a new number out (a random one of eight million), with a new command id.
cat > "$WORK/opt-out.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local hex = "0123456789abcdef"
local function uuid()
  local s = string.gsub("xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx", "x", function()
    local i = math.random(1, 16)
    return string.sub(hex, i, i)
  end)
  return s
end
setup = function(thread) thread:set("seed", math.random(1, 1e9)) end
init = function() math.randomseed(seed) end
request = function()
  local phone = string.format("+1201%03d%04d", math.random(200, 999), math.random(0, 9999))
  return wrk.format(nil, "/v1/opt-outs", nil, '{"command_id":"' .. uuid() .. '","account":"Northside Tenants Union",'
    .. '"phone":"' .. phone .. '","reason":"asked on the phone"}')
end
LUA

opt_outs() {
  local side=$1 hub="$WORK/ab-hub-$1"
  "${BIN[$side]}" --data-dir "$hub" serve --listen 127.0.0.1:8486 2>/dev/null &
  local server=$!
  sleep 1
  local token
  token=$("${BIN[$side]}" --data-dir "$hub" tokens create --role texter --name wrk --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  printf -- '-- opt-out commands, %s: ' "$side"
  wrk -t2 -c16 -d10s -H "Authorization: Bearer $token" -s "$WORK/opt-out.lua" http://127.0.0.1:8486 |
    grep -E "Requests/sec|Non-2xx" | tr '\n' ' '
  echo
  kill "$server"; wait "$server" 2>/dev/null || true
}

for round in $(seq "$ROUNDS"); do
  echo "== round $round"
  for side in this "$SHA"; do import "$side"; done
  for side in "$SHA" this; do opt_outs "$side"; done
done
