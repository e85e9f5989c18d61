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
(( RUNS >= 1 && RUNS <= 20 )) || { echo "RUNS must be 1..20" >&2; exit 2; }
source bench/lib.sh   # START_TIMEOUT_S (default 120), STOP_TIMEOUT_S (default 30)

build_apphost "$CONFIGURATION"
make_work_dir binko-bench
cleanup_on_exit

# check_api <log>: the printed api URL answers /health with 200.
check_api() { check_health "$(apphost_url "$1" api)"; }

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$APPHOST_PID/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$APPHOST_PID/status"; }

printf '\n%-5s %10s %10s %10s %10s %12s %12s\n' run cold_ms stop_ms warm_ms stop_ms rss_mb peak_rss_mb
declare -a cold warm stops rss
for run in $(seq 1 "$RUNS"); do
  data="$WORK/data-$run"
  start_apphost "$data" "$WORK/cold-$run.log"; c=$ELAPSED; check_api "$WORK/cold-$run.log"
  stop_apphost "$data"; s1=$ELAPSED
  start_apphost "$data" "$WORK/warm-$run.log"; w=$ELAPSED; check_api "$WORK/warm-$run.log"
  r=$(rss_kb); h=$(hwm_kb)
  stop_apphost "$data"; s2=$ELAPSED
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
