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
. bench/lib.sh
start_postgres "$WORK"
trap 'stop_postgres; rm -rf "$WORK"' EXIT
$PG_AS "$PG_BIN/createdb" -h "$WORK" -U postgres b
"$INGEST" "$PG_URL" "postgres://postgres@localhost/b?host=$WORK" "$EVENTS" "$BATCH" "$RUNS"
