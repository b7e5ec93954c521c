#!/usr/bin/env bash
# Opt-ins racing new requests to stop (a keyword reply to another sender number, or a texter's
# opt-out), sent at the same moment to a real `optout serve` child, ROUNDS rounds on SQLite and
# on PostgreSQL (a throwaway cluster). Prints how many opt-outs were lost: it must be 0.
#   bench/race.sh [ROUNDS]      default 500
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/optout-desk/target}"
export OPTOUT_RACE_ROUNDS=${1:-500}
cargo test --release -q -p optout-cli --test serve racing -- --nocapture --test-threads 1 2>&1 |
  grep -oE "race on .*|test result.*|panicked.*"
