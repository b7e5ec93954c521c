#!/usr/bin/env bash
# The hub's benchmarks, each beside its baseline in the same run, on the same generated data.
#   [RUNS=3] [ONLY=imports] bench/hub.sh [ROWS] [BIG_ROWS]     defaults: 1,000,000 and 10,000,000
# ONLY=imports stops after the imports of the three lists beside the baseline.
# Installs what it needs (sqlite3, wrk, PostgreSQL from Debian; pandas and phonenumbers from PyPI
# into a venv under ~/.cache) and works in ~/.cache/optout-desk/bench.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
BIG=${2:-10000000}
RUNS=${RUNS:-3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/optout-desk/target}"
WORK="${BENCH_DIR:-$HOME/.cache/optout-desk/bench}"
mkdir -p "$WORK"
. bench/lib.sh
install_packages sqlite3 wrk bc postgresql python3-venv
[ -x "$WORK/venv/bin/python" ] || python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q pandas phonenumbers

cargo build --release -q -p optout-cli
cargo build --release -q -p optout-hub --example measure
OPTOUT="$CARGO_TARGET_DIR/release/optout"
MEASURE="$CARGO_TARGET_DIR/release/examples/measure"
ACCOUNT="Northside Tenants Union"
SENDER="+12015550100"
seconds() { local start=$1; echo "$(date +%s.%N) - $start" | bc; }
rate() { echo "scale=0; $1 / $2" | bc; }

echo "== data: $ROWS rows each: North American layouts (us), UK mobiles as UK lists write them (gb),"
echo "   US, Canadian and UK numbers in international format (mixed)"
[ -f "$WORK/list-$ROWS.csv" ] || python3 bench/make_list.py "$ROWS" "$WORK/list-$ROWS.csv" "$WORK/phones-$ROWS.txt"
for kind in gb mixed; do
  [ -f "$WORK/list-$kind-$ROWS.csv" ] ||
    python3 bench/make_list.py "$ROWS" "$WORK/list-$kind-$ROWS.csv" "$WORK/phones-$kind-$ROWS.txt" --kind "$kind"
done
echo "phonenumbers $("$WORK/venv/bin/python" -c 'import phonenumbers; print(phonenumbers.__version__)') (PyPI);" \
  "$(grep -A1 '^name = "phonenumber"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/phonenumber \1 (crates.io)/p')"

# Timings on a shared two-core machine vary by a tenth from run to run: each side runs $RUNS
# times, in turn, after the disk has caught up, and the medians are compared.
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }
# The import of LIST read in REGION into a new hub at HUB, and the baseline on the same file in
# the same region, in turn, $RUNS times. Then the check that both read the rows alike: as many
# valid, distinct and refused rows, and the same distinct numbers. A difference stops the
# script: the two would not have done the same work.
import_beside_pandas() {
  local list=$1 region=$2 hub=$3
  local ours_runs=() theirs_runs=() run start ours theirs before
  for run in $(seq "$RUNS"); do
    rm -rf "$hub"
    "$OPTOUT" --data-dir "$hub" demo --contacts 100 >/dev/null
    before=$(sqlite3 "$hub/hub.sqlite3" "SELECT (SELECT COALESCE(MAX(id), 0) FROM opt_outs) || ' ' || \
      (SELECT COALESCE(MAX(id), 0) FROM stop_requests)")
    sync
    start=$(date +%s.%N)
    "$OPTOUT" --data-dir "$hub" --json import "$list" --account "$ACCOUNT" --region "$region" > "$WORK/import-summary.json"
    ours=$(seconds "$start")
    sync
    start=$(date +%s.%N)
    "$WORK/venv/bin/python" bench/pandas_import.py "$list" "$WORK/pandas-out.csv" "$region" > "$WORK/pandas-summary.txt"
    theirs=$(seconds "$start")
    echo "run $run: optout import ${ours}s;  pandas + phonenumbers ${theirs}s"
    ours_runs+=("$ours"); theirs_runs+=("$theirs")
  done
  ours=$(median "${ours_runs[@]}"); theirs=$(median "${theirs_runs[@]}")
  local rows; rows=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["rows"])' "$WORK/import-summary.json")
  echo "median: optout import ${ours}s = $(rate "$rows" "$ours") rows/s;  pandas + phonenumbers: ${theirs}s = \
$(rate "$rows" "$theirs") rows/s;  $(echo "scale=1; $theirs / $ours" | bc)x"
  local counted expected
  counted=$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print("%d rows, %d valid, %d numbers, %d rejected"
      % (s["rows"], s["rows"] - s["rejected"], s["opted_out"] + s["already_opted_out"], s["rejected"]))' \
    "$WORK/import-summary.json")
  expected=$(cat "$WORK/pandas-summary.txt")
  # The numbers this import opted out, and those it found opted out already (a request to stop
  # each), beside the baseline's.
  sqlite3 "$hub/hub.sqlite3" "SELECT phone FROM opt_outs WHERE id > ${before% *} \
    UNION SELECT phone FROM stop_requests WHERE id > ${before#* }" | LC_ALL=C sort > "$WORK/ours-numbers.txt"
  tail -n +2 "$WORK/pandas-out.csv" | LC_ALL=C sort > "$WORK/pandas-numbers.txt"
  local differ; differ=$(LC_ALL=C comm -3 "$WORK/ours-numbers.txt" "$WORK/pandas-numbers.txt" | wc -l)
  if [ "$counted" != "$expected" ] || [ "$differ" -ne 0 ]; then
    echo "counts DIFFER: optout $counted;  pandas + phonenumbers $expected;  $differ numbers in one only" >&2
    exit 1
  fi
  echo "counts equal: optout and pandas + phonenumbers both read $counted; the same $(wc -l < "$WORK/ours-numbers.txt") numbers"
}

echo "== import of $ROWS rows (us, --region US), ours and the baseline in turn, $RUNS times"
import_beside_pandas "$WORK/list-$ROWS.csv" US "$WORK/hub"
echo "== import of $ROWS UK mobiles (gb, --region GB), ours and the baseline in turn, $RUNS times"
import_beside_pandas "$WORK/list-gb-$ROWS.csv" GB "$WORK/hub-gb"
echo "== import of $ROWS US, Canadian and UK numbers (mixed, --region US), ours and the baseline in turn, $RUNS times"
import_beside_pandas "$WORK/list-mixed-$ROWS.csv" US "$WORK/hub-mixed"
rm -rf "$WORK/hub-gb" "$WORK/hub-mixed"
[ "${ONLY:-}" != imports ] || exit 0

echo "== export of the opt-outs"
start=$(date +%s.%N)
"$OPTOUT" --data-dir "$WORK/hub" export --account "$ACCOUNT" --out "$WORK/export.csv"
ours=$(seconds "$start")
start=$(date +%s.%N)
sqlite3 -csv -header "$WORK/hub/hub.sqlite3" "SELECT o.phone, a.name, o.source, o.created_at, o.actor, o.reason, \
  o.evidence, o.sender_phone, o.id, i.created_at, i.reason FROM opt_outs o JOIN accounts a ON a.id = o.account_id \
  LEFT JOIN opt_ins i ON i.opt_out_id = o.id WHERE a.name = '$ACCOUNT' AND o.reversed_at IS NULL \
  ORDER BY o.created_at, o.id" > "$WORK/sqlite3.csv"
theirs=$(seconds "$start")
echo "optout export: ${ours}s ($(wc -l < "$WORK/export.csv") lines);  sqlite3 -csv: ${theirs}s ($(wc -l < "$WORK/sqlite3.csv") lines)"

# An import publishes its opt-outs twenty to a feed change, so this hub's feed is short; the
# feed at millions of changes (1M messages, 1M conversations) is measured by bench/desk.sh.
echo "== feed, lookups and send checks at $(wc -l < "$WORK/phones-$ROWS.txt") opt-outs"
"$MEASURE" "sqlite://$WORK/hub/hub.sqlite3" "$ACCOUNT" "$SENDER" "$WORK/phones-$ROWS.txt"

http() {
  local label=$1; shift
  "$OPTOUT" "$@" serve --listen 127.0.0.1:8485 2>/dev/null &
  local server=$!
  sleep 1
  local token
  token=$("$OPTOUT" "$@" tokens create --role texter --name wrk --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  cat > "$WORK/send-check.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
local phones = {}
for line in io.lines("$WORK/phones-$ROWS.txt") do
  phones[#phones + 1] = line
  if #phones >= 100000 then break end
end
local i = 0
request = function()
  i = i % #phones + 1
  return wrk.format(nil, "/v1/send-check", nil,
    '{"account":"$ACCOUNT","sender_phone":"$SENDER","contact_phone":"' .. phones[i] .. '"}')
end
LUA
  echo "-- $label: baseline GET /v1/health (no database)"
  wrk -t2 -c32 -d10s http://127.0.0.1:8485/v1/health | grep -E "Requests/sec|Latency"
  echo "-- $label: POST /v1/send-check"
  wrk -t2 -c32 -d10s -s "$WORK/send-check.lua" http://127.0.0.1:8485 | grep -E "Requests/sec|Latency|Non-2xx"
  kill "$server"; wait "$server" 2>/dev/null || true
}
http "SQLite" --data-dir "$WORK/hub"

echo "== PostgreSQL: a throwaway cluster"
start_postgres "$(mktemp -d /tmp/optout-bench-pg.XXXXXX)"
URL=$PG_URL
"$OPTOUT" --database-url "$URL" demo --contacts 100 >/dev/null
start=$(date +%s.%N)
"$OPTOUT" --database-url "$URL" import "$WORK/list-$ROWS.csv" --account "$ACCOUNT"
echo "optout import into PostgreSQL: $(seconds "$start")s"
"$MEASURE" "$URL" "$ACCOUNT" "$SENDER" "$WORK/phones-$ROWS.txt"
http "PostgreSQL" --database-url "$URL"

if [ "$BIG" -gt 0 ]; then
  echo "== lookups and send checks at $BIG opt-outs (SQLite)"
  [ -f "$WORK/list-$BIG.csv" ] || python3 bench/make_list.py "$BIG" "$WORK/list-$BIG.csv" "$WORK/phones-$BIG.txt" 11
  rm -rf "$WORK/big"
  "$OPTOUT" --data-dir "$WORK/big" demo --contacts 100 >/dev/null
  start=$(date +%s.%N)
  "$OPTOUT" --data-dir "$WORK/big" import "$WORK/list-$BIG.csv" --account "$ACCOUNT"
  echo "import of $BIG rows: $(seconds "$start")s"
  "$MEASURE" "sqlite://$WORK/big/hub.sqlite3" "$ACCOUNT" "$SENDER" "$WORK/phones-$BIG.txt"
fi
