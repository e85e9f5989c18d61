#!/usr/bin/env bash
# Measures Binko.AppHost: cold start (empty data directory) to "all healthy", warm start (same data directory),
# stop time (SIGTERM to exit, no process left) and the AppHost's own memory (RSS once healthy, and its peak).
#
#   bench/apphost.sh            # 3 rounds, Debug build
#   RUNS=5 CONFIGURATION=Release bench/apphost.sh
#
# Everything listens on 127.0.0.1 with free ports; every wait is bounded; the data directories are temporary and removed.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-3}"
CONFIGURATION="${CONFIGURATION:-Debug}"
START_TIMEOUT_S="${START_TIMEOUT_S:-120}"
STOP_TIMEOUT_S="${STOP_TIMEOUT_S:-30}"
(( RUNS >= 1 && RUNS <= 20 )) || { echo "RUNS must be 1..20" >&2; exit 2; }

echo "Building Binko.AppHost ($CONFIGURATION)..."
dotnet build Binko.AppHost/Binko.AppHost.csproj -c "$CONFIGURATION" -v quiet -nologo >/dev/null
APPHOST_DLL="Binko.AppHost/bin/$CONFIGURATION/net10.0/Binko.AppHost.dll"
[ -f "$APPHOST_DLL" ] || { echo "missing $APPHOST_DLL" >&2; exit 1; }

WORK="$(mktemp -d /tmp/binko-bench-XXXXXX)"
chmod 711 "$WORK"   # as root, the 'postgres' account must be able to enter it
APPHOST_PID=""
cleanup() {
  if [ -n "$APPHOST_PID" ] && kill -0 "$APPHOST_PID" 2>/dev/null; then
    kill -TERM "$APPHOST_PID" 2>/dev/null || true
    for _ in $(seq 1 200); do kill -0 "$APPHOST_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$APPHOST_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# start <data dir> <log>: starts the AppHost, waits for "All resources are healthy", sets ELAPSED (ms).
# (Not called as $(start ...): a subshell would lose APPHOST_PID.)
start() {
  local data="$1" log="$2" t0 deadline
  t0=$(now_ms)
  dotnet "$APPHOST_DLL" --AppHost:DataDirectory="$data" --AppHost:EchoOutput=false \
    --Ports:Api=0 --Ports:Dashboard=0 >"$log" 2>&1 &
  APPHOST_PID=$!
  deadline=$(( t0 + START_TIMEOUT_S * 1000 ))
  until grep -q "All resources are healthy" "$log"; do
    if ! kill -0 "$APPHOST_PID" 2>/dev/null; then echo "AppHost exited during start:" >&2; cat "$log" >&2; exit 1; fi
    if (( $(now_ms) > deadline )); then echo "not healthy within ${START_TIMEOUT_S}s:" >&2; cat "$log" >&2; exit 1; fi
    sleep 0.05
  done
  ELAPSED=$(( $(now_ms) - t0 ))
}

# check_api <log>: the printed api URL answers /health with 200.
check_api() {
  local url
  url=$(grep -oE 'api +http://127\.0\.0\.1:[0-9]+' "$1" | grep -oE 'http://.*')
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/health")" = 200 ] || { echo "api /health is not 200" >&2; exit 1; }
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$APPHOST_PID/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$APPHOST_PID/status"; }

# stop <data dir>: SIGTERM, waits for exit, checks nothing of the run is left, sets ELAPSED (ms).
stop() {
  local data="$1" t0 deadline left
  t0=$(now_ms)
  kill -TERM "$APPHOST_PID"
  deadline=$(( t0 + STOP_TIMEOUT_S * 1000 ))
  while kill -0 "$APPHOST_PID" 2>/dev/null; do
    if (( $(now_ms) > deadline )); then echo "AppHost did not exit within ${STOP_TIMEOUT_S}s" >&2; exit 1; fi
    sleep 0.02
  done
  ELAPSED=$(( $(now_ms) - t0 ))
  APPHOST_PID=""
  left=$(pgrep -af -- "$data" || true)
  [ -z "$left" ] || { echo "processes left after stop: $left" >&2; exit 1; }
}

printf '\n%-5s %10s %10s %10s %10s %12s %12s\n' run cold_ms stop_ms warm_ms stop_ms rss_mb peak_rss_mb
declare -a cold warm stops rss
for run in $(seq 1 "$RUNS"); do
  data="$WORK/data-$run"
  start "$data" "$WORK/cold-$run.log"; c=$ELAPSED; check_api "$WORK/cold-$run.log"
  stop "$data"; s1=$ELAPSED
  start "$data" "$WORK/warm-$run.log"; w=$ELAPSED; check_api "$WORK/warm-$run.log"
  r=$(rss_kb); h=$(hwm_kb)
  stop "$data"; s2=$ELAPSED
  cold+=("$c"); warm+=("$w"); stops+=("$s1" "$s2"); rss+=("$r")
  printf '%-5s %10s %10s %10s %10s %12.1f %12.1f\n' "$run" "$c" "$s1" "$w" "$s2" "$(echo "$r/1024" | bc -l)" "$(echo "$h/1024" | bc -l)"
done

max() { printf '%s\n' "$@" | sort -n | tail -1; }
echo
echo "worst cold start: $(max "${cold[@]}") ms (target < 20000)"
echo "worst warm start: $(max "${warm[@]}") ms (target < 10000)"
echo "worst stop:       $(max "${stops[@]}") ms (target < 5000)"
echo "worst AppHost RSS once healthy: $(( $(max "${rss[@]}") / 1024 )) MB (target < 150)"
echo "machine: $(nproc) cores, $(uname -sr), redis: $(command -v redis-server >/dev/null && echo redis-server || echo embedded Garnet)"
