#!/usr/bin/env bash
# Ingest through the hub's batch path beside plain batched INSERTs of the same rows, on SQLite
# and on PostgreSQL (a throwaway cluster): crates/hub/examples/ingest.rs says how.
#   bench/ingest.sh [EVENTS] [BATCH] [RUNS]      defaults: 200,000 events, batches of 2,000, 3 runs
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-200000}; BATCH=${2:-2000}; RUNS=${3:-3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/optout-desk/target}"
cargo build --release -q -p optout-hub --example ingest
INGEST="$CARGO_TARGET_DIR/release/examples/ingest"
WORK=$(mktemp -d /tmp/optout-ingest.XXXXXX)
echo "== SQLite"
"$INGEST" "sqlite://$WORK/a.sqlite3?mode=rwc" "sqlite://$WORK/b.sqlite3?mode=rwc" "$EVENTS" "$BATCH" "$RUNS"
echo "== PostgreSQL: a throwaway cluster"
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=""; if [ "$(id -u)" -eq 0 ]; then chown postgres "$WORK"; as_pg="runuser -u postgres --"; fi
$as_pg "$BIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
$as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/log" -o "-k $WORK -c listen_addresses=''" -w start >/dev/null
trap '$as_pg "$BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null; rm -rf "$WORK"' EXIT
$as_pg "$BIN/createdb" -h "$WORK" -U postgres b
"$INGEST" "postgres://postgres@localhost/postgres?host=$WORK" "postgres://postgres@localhost/b?host=$WORK" \
  "$EVENTS" "$BATCH" "$RUNS"
