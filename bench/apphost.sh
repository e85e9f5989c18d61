#!/usr/bin/env bash
# Measures Binko.AppHost: cold start (empty data directory) to "Binko is ready" (every resource healthy), warm start
# (same data directory), stop time (SIGTERM until the AppHost, DCP and everything they started are gone) and the
# AppHost's own memory (RSS once ready, and its peak; DCP and the dashboard are processes of their own, also reported).
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
check_api() { check_health "$(api_url "$1")"; }

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$APPHOST_PID/status"; }
# descendants <pid>: the process and every process below it.
descendants() { echo "$1"; local child; for child in $(pgrep -P "$1"); do descendants "$child"; done; }
# support_rss_kb: DCP's own processes and the dashboard's, together (all below the DCP that watches this AppHost).
support_rss_kb() {
  local total=0 pid dcp
  dcp=$(pgrep -f -- "dcp start-apiserver --monitor $APPHOST_PID( |$)" | head -1)
  for pid in $(descendants "$dcp"); do
    case "$(cat "/proc/$pid/comm" 2>/dev/null)" in dcp|Aspire.Dashboar*) total=$(( total + $(rss_kb "$pid") )) ;; esac
  done
  echo "$total"
}

printf '\n%-5s %10s %10s %10s %10s %12s %12s %14s\n' run cold_ms stop_ms warm_ms stop_ms rss_mb peak_rss_mb dcp_dash_mb
declare -a cold warm stops rss
for run in $(seq 1 "$RUNS"); do
  data="$WORK/data-$run"
  start_apphost "$data" "$WORK/cold-$run.log"; c=$ELAPSED; check_api "$WORK/cold-$run.log"
  stop_apphost "$data"; s1=$ELAPSED
  start_apphost "$data" "$WORK/warm-$run.log"; w=$ELAPSED; check_api "$WORK/warm-$run.log"
  r=$(rss_kb "$APPHOST_PID"); h=$(hwm_kb); d=$(support_rss_kb)
  stop_apphost "$data"; s2=$ELAPSED
  cold+=("$c"); warm+=("$w"); stops+=("$s1" "$s2"); rss+=("$r")
  printf '%-5s %10s %10s %10s %10s %12.1f %12.1f %14.1f\n' "$run" "$c" "$s1" "$w" "$s2" "$(echo "$r/1024" | bc -l)" "$(echo "$h/1024" | bc -l)" "$(echo "$d/1024" | bc -l)"
done

max() { printf '%s\n' "$@" | sort -n | tail -1; }
echo
echo "worst cold start: $(max "${cold[@]}") ms (target < 20000)"
echo "worst warm start: $(max "${warm[@]}") ms (target < 15000)"
echo "worst stop:       $(max "${stops[@]}") ms (target < 5000)"
echo "worst AppHost RSS once ready: $(( $(max "${rss[@]}") / 1024 )) MB"
echo "machine: $(nproc) cores, $(uname -sr), redis: $(command -v redis-server >/dev/null && echo redis-server || echo the garnet-server tool)"
