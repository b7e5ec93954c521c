#!/usr/bin/env bash
# The app's own start: how long from launch until its window is on screen, and how much memory
# the app and its web process hold once the demo organisation is synced and shown.
#   bench/app.sh [HUB]      HUB: a hub file to start from instead of the small first-run demo,
#                           such as the million-contact one `cargo bench --bench window` keeps
#                           in ~/.cache/optout-desk/bench/demo-1000000/hub.sqlite3
# Runs under a private Xvfb display; xdotool finds the window. Baseline, in the same run: the
# same display and tools showing a plain X window (xmessage), so that the display's own cost
# is known.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/optout-desk/target}"
. bench/lib.sh
install_packages xdotool x11-utils bc
npm run build -w ui >/dev/null
cargo build --release -q --bin optout-desk
APP="$CARGO_TARGET_DIR/release/optout-desk"
DATA=$(mktemp -d)
Xvfb :93 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null; rm -rf "$DATA"' EXIT
sleep 1
export DISPLAY=:93

shown_after() {  # shown_after NAME COMMAND... : seconds until a window named NAME is mapped
  local name=$1; shift
  local start; start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 &
  local pid=$!
  timeout 30 xdotool search --sync --onlyvisible --name "$name" >/dev/null
  echo "$(date +%s.%N) - $start" | bc
  echo "$pid" > "$DATA/pid"
}

SYNC_SECONDS=20   # the first run builds the small demo organisation and syncs it
if [ -n "${1:-}" ]; then
  mkdir -p "$DATA/app"
  cp "$1" "$DATA/app/hub.sqlite3"
  [ -f "$1-wal" ] && cp "$1-wal" "$DATA/app/hub.sqlite3-wal"
  SYNC_SECONDS=120  # a million contacts take about 70 s to sync
fi

base=$(shown_after "xmessage" xmessage -name xmessage "baseline")
kill "$(cat "$DATA/pid")"
first=$(shown_after "OptOut Desk" env OPTOUT_DESK_DATA_DIR="$DATA/app" "$APP")
sleep "$SYNC_SECONDS"
pid=$(cat "$DATA/pid")
rss() { ps -o rss= -p "$1" | awk '{s+=$1} END {print int(s/1024)}'; }
web=$(pgrep -f WebKitWebProcess | head -n 1)
app_mib=$(rss "$pid"); web_mib=$(rss "$web")
kill "$pid"; sleep 1
second=$(shown_after "OptOut Desk" env OPTOUT_DESK_DATA_DIR="$DATA/app" "$APP")
kill "$(cat "$DATA/pid")"
printf 'baseline  xmessage window shown after      %6.3f s\n' "$base"
printf 'ours      first launch, window shown after  %6.3f s (the demo is then built in the background)\n' "$first"
printf 'ours      second launch, window shown after %6.3f s\n' "$second"
printf 'ours      memory after the demo synced: app %d MiB, its web process %d MiB\n' "$app_mib" "$web_mib"
