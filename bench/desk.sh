#!/usr/bin/env bash
# The desktop's benchmarks at scale: the first sync of a synthetic organisation into a new
# cache, and the screens' reads on it, each beside its baseline in the same run.
#   bench/desk.sh [CONTACTS]     default 1,000,000 (1M conversations, 1M messages, 1M opt-outs)
# Last, a first sync over HTTP from a hub served by a child process: 1M imported opt-outs and 1M
# sent messages, built once (minutes) in $WORK/desk.http and kept for the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
CONTACTS=${1:-1000000}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/optout-desk/target}"
WORK="${BENCH_DIR:-$HOME/.cache/optout-desk/bench}"
mkdir -p "$WORK"
cargo build --release -q -p optout-desktop --example scale
"$CARGO_TARGET_DIR/release/examples/scale" "$CONTACTS" "$WORK/desk"
