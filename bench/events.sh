#!/usr/bin/env bash
# POST /api/v1/events with a batch of 100 events (realistic properties, a few hundred bytes each) under
# `hey -n REQUESTS -c CONCURRENCY`, against Binko started by the AppHost. Prints requests/s, p50 and p99, checks that
# every accepted batch is in the events table, and compares with issue 6's target (reported, not asserted): a
# 100-event batch stored in under 20 ms p50.
#
#   bench/events.sh                              # Release, 200 warm-up batches, then hey -n 2000 -c 10
#   REQUESTS=5000 CONCURRENCY=20 bench/events.sh
#   RATE_LIMITS=off bench/events.sh              # Binko without its rate limiter (see RATE_LIMITS below)
#
# The route's `feedback` policy allows 30 batches a minute (and a guest 1000 requests a day), so a load test from one
# address would mostly measure 429s. RATE_LIMITS says what the api runs with:
#   lifted      (default) limits raised out of reach: the limiter still runs (one Redis script per request), rejects nothing
#   off         RateLimiting:Enabled=false
#   configured  Binko's own limits (expect 429s, which the summary reports)
#
# Everything listens on 127.0.0.1 (free ports); every wait and every load run is bounded; on any exit the AppHost (and so
# Postgres, Redis, the api and the worker) is stopped and the data directory removed. The request body and hey's raw
# outputs of the last run are kept in bench/results/events/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIGURATION="${CONFIGURATION:-Release}"
REQUESTS="${REQUESTS:-2000}"
CONCURRENCY="${CONCURRENCY:-10}"
WARMUP_REQUESTS="${WARMUP_REQUESTS:-200}"
RATE_LIMITS="${RATE_LIMITS:-lifted}"
EVENTS=100
P50_GOAL_MS=20
(( CONCURRENCY >= 1 && CONCURRENCY <= 200 )) || { echo "CONCURRENCY must be 1..200" >&2; exit 2; }
(( REQUESTS >= CONCURRENCY && REQUESTS <= 50000 )) || { echo "REQUESTS must be CONCURRENCY..50000" >&2; exit 2; }
(( WARMUP_REQUESTS >= CONCURRENCY && WARMUP_REQUESTS <= 5000 )) || { echo "WARMUP_REQUESTS must be CONCURRENCY..5000" >&2; exit 2; }
source bench/lib.sh   # START_TIMEOUT_S (default 120), STOP_TIMEOUT_S (default 30)
rate_limit_settings "$RATE_LIMITS" Feedback

need_hey

build_apphost "$CONFIGURATION"
RESULTS=bench/results/events
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
make_work_dir binko-events-bench
cleanup_on_exit

# The batch: 100 steps of one session over the last 100 seconds (well inside the 7-day window for the whole run),
# each with about 320 bytes of properties.
BODY="$RESULTS/batch.json"
NOW_S=$(date +%s)
{
  printf '{"events":['
  for i in $(seq 0 $(( EVENTS - 1 ))); do
    (( i == 0 )) || printf ','
    printf '{"name":"%s","timestamp":"%s","session_id":"s-bench-7f3a9c21","properties":{"idea_slug":"habit-tracker-with-streaks-%d","source":"search","query":"beginner web projects with charts","position":%d,"experiment":{"name":"ranking-v2","variant":"b"},"viewport":{"width":1440,"height":900},"referrer":"https://binko.ai/ideas?tag=charts&difficulty=beginner","locale":"en-GB","app_version":"1.14.2"}}' \
      "$([ $(( i % 4 )) = 0 ] && echo idea_viewed || echo idea.card_scrolled)" \
      "$(date -u -d "@$(( NOW_S - EVENTS + i ))" +%Y-%m-%dT%H:%M:%SZ)" "$i" "$i"
  done
  printf ']}'
} >"$BODY"
BODY_BYTES=$(wc -c <"$BODY")

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Starting Binko.AppHost (rate limits: $RATE_LIMITS)..."
start_apphost "$WORK/data" "$WORK/apphost.log" "${API_SETTINGS[@]}"
echo "AppHost healthy in $(( ELAPSED / 1000 )) s"
API=$(api_url "$WORK/apphost.log")
check_health "$API"
URL="$API/api/v1/events"

# The events table through the api's own connection string (from its environment), when psql is there.
API_PID=$(api_pid)
CONNECTION_STRING=""
[ -z "$API_PID" ] || CONNECTION_STRING=$(process_env "$API_PID" ConnectionStrings__binkodb)
[ -n "$CONNECTION_STRING" ] || echo "warning: no connection string of the api (pid '$API_PID'): rows will not be counted" >&2
count_events() {
  if ! command -v psql >/dev/null || [ -z "$CONNECTION_STRING" ]; then echo ""; return; fi
  PGCONNECT_TIMEOUT=5 psql "$(libpq_conninfo "$CONNECTION_STRING")" -Atqc "select count(*) from events" 2>/dev/null || echo ""
}

ANSWER=$(curl -s --max-time 10 -w ' %{http_code}' -H 'Content-Type: application/json' --data-binary "@$BODY" "$URL")
[ "${ANSWER##* }" = 202 ] || { echo "POST $URL answered: $ANSWER" >&2; exit 1; }
echo "One batch ($BODY_BYTES bytes): ${ANSWER% *}"

echo "Warming up: $WARMUP_REQUESTS batches..."
timeout 300 hey -n "$WARMUP_REQUESTS" -c "$CONCURRENCY" -m POST -T application/json -D "$BODY" "$URL" >"$RESULTS/warmup.txt"
ROWS_BEFORE=$(count_events)

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Measuring: hey -n $REQUESTS -c $CONCURRENCY..."
timeout 600 hey -n "$REQUESTS" -c "$CONCURRENCY" -m POST -T application/json -D "$BODY" "$URL" >"$RESULTS/hey.txt"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS_AFTER=$(count_events)

stop_apphost "$WORK/data"

# Requests/s, p50 and p99 (ms), 202s, other answers, 429s, connection errors.
read -r RPS P50 P99 ACCEPTED OTHER LIMITED ERRORS < <(hey_summary "$RESULTS/hey.txt")

{
  echo
  echo "POST /api/v1/events, $EVENTS events per batch ($BODY_BYTES bytes), hey -n $REQUESTS -c $CONCURRENCY, $CONFIGURATION build, rate limits $RATE_LIMITS"
  printf '%10s %8s %8s %8s %8s %6s %7s\n' 'req/s' p50_ms p99_ms '202s' other '429s' errors
  printf '%10.1f %8s %8s %8s %8s %6s %7s\n' "$RPS" "$P50" "$P99" "$ACCEPTED" "$OTHER" "$LIMITED" "$ERRORS"
  printf 'events stored per second: %.0f\n' "$(awk -v r="$RPS" -v a="$ACCEPTED" -v n="$REQUESTS" -v e="$EVENTS" 'BEGIN { print r * a / n * e }')"
  if [ -n "$ROWS_BEFORE" ] && [ -n "$ROWS_AFTER" ]; then
    echo "rows added to events during the run: $(( ROWS_AFTER - ROWS_BEFORE )) (expected $(( ACCEPTED * EVENTS )))"
  else
    echo "rows added to events: not checked (no psql, or no connection string)"
  fi
  if (( OTHER + ERRORS > 0 )); then
    echo "goal: not judged: $OTHER answers were not 202 and hey reported $ERRORS errors"
  else
    awk -v p="$P50" -v goal="$P50_GOAL_MS" 'BEGIN { printf "goal: batch p50 < %d ms: %s (%.1f ms)\n", goal, (p < goal ? "met" : "MISSED"), p }'
  fi
  echo "load average (1/5/15 min): $LOAD_BEFORE before start, $LOAD_START before the run, $LOAD_END after"
  echo "machine: $(nproc) cores, $(uname -sr), redis: $(command -v redis-server >/dev/null && echo redis-server || echo embedded Garnet)"
  echo "stopped: the AppHost has exited and no process of the run is left"
} | tee "$RESULTS/summary.txt"
