#!/usr/bin/env bash
# GET /api/v1/ideas?limit=20 under `hey -c 50`: Binko (started by the AppHost, cached list) side by side, in the same
# run, with bench/BareIdeas, a bare minimal API that runs the same Npgsql query on every request (no cache, no
# middleware). Prints requests/s and p50/p99 per endpoint and round, and how that compares with issue 3's goal:
# Binko's cached list at least as fast as the bare uncached endpoint, p99 under 25 ms (reported, not asserted).
#
#   bench/ideas-list.sh                          # Release, 2 alternating rounds of 10 s per endpoint
#   ROUNDS=3 DURATION_S=20 bench/ideas-list.sh
#   RATE_LIMITS=off bench/ideas-list.sh          # Binko without its rate limiter (see RATE_LIMITS below)
#
# Binko's rate limiter allows a guest IP 100 reads a minute (and 1000 requests a day), so a load test from one
# address mostly measures 429s. RATE_LIMITS says what the api runs with:
#   lifted      (default) limits raised out of reach: the limiter still runs (one Redis script per request), rejects nothing
#   off         RateLimiting:Enabled=false: the middleware lets every request through without asking Redis
#   configured  Binko's own limits (expect 429s, which the summary reports)
#
# Everything listens on 127.0.0.1 (free ports); every wait and every load run is bounded; on any exit the bare
# endpoint and the AppHost (and so Postgres, Redis, the api and the worker) are stopped and the data directory removed.
# The raw hey outputs of the last run are kept in bench/results/ideas-list/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIGURATION="${CONFIGURATION:-Release}"
CONCURRENCY="${CONCURRENCY:-50}"
DURATION_S="${DURATION_S:-10}"
ROUNDS="${ROUNDS:-2}"
WARMUP_REQUESTS="${WARMUP_REQUESTS:-40000}"
SETTLE_S="${SETTLE_S:-11}"
RATE_LIMITS="${RATE_LIMITS:-lifted}"
LIMIT=20
P99_GOAL_MS=25
(( ROUNDS >= 1 && ROUNDS <= 5 )) || { echo "ROUNDS must be 1..5" >&2; exit 2; }
(( DURATION_S >= 1 && DURATION_S <= 60 )) || { echo "DURATION_S must be 1..60" >&2; exit 2; }
(( CONCURRENCY >= 1 && CONCURRENCY <= 500 )) || { echo "CONCURRENCY must be 1..500" >&2; exit 2; }
(( SETTLE_S >= 0 && SETTLE_S <= 60 )) || { echo "SETTLE_S must be 0..60" >&2; exit 2; }
(( WARMUP_REQUESTS >= CONCURRENCY && WARMUP_REQUESTS <= 200000 )) || { echo "WARMUP_REQUESTS must be CONCURRENCY..200000" >&2; exit 2; }
source bench/lib.sh   # START_TIMEOUT_S (default 120), STOP_TIMEOUT_S (default 30)
rate_limit_settings "$RATE_LIMITS" Reads

need_hey

build_apphost "$CONFIGURATION"
echo "Building bench/BareIdeas ($CONFIGURATION)..."
build bench/BareIdeas/BareIdeas.csproj "$CONFIGURATION"

RESULTS=bench/results/ideas-list
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
make_work_dir binko-ideas-bench
BARE_PID=""   # `dotnet run`
BARE_APP=""   # "pid:starttime" of the BareIdeas process dotnet run started

# stop_bare: SIGTERM to `dotnet run` (it passes it on to the app), a bounded wait for both, then SIGKILL to what is left.
stop_bare() {
  local app_pid="${BARE_APP%%:*}" app_start="${BARE_APP#*:}" alive
  [ -n "$BARE_PID" ] || return 0
  kill -TERM "$BARE_PID" 2>/dev/null || true
  for _ in $(seq 1 $(( STOP_TIMEOUT_S * 10 ))); do
    alive=0
    kill -0 "$BARE_PID" 2>/dev/null && alive=1
    [ -n "$BARE_APP" ] && kill -0 "$app_pid" 2>/dev/null && alive=1
    (( alive )) || break
    sleep 0.1
  done
  kill -KILL "$BARE_PID" 2>/dev/null || true
  if [ -n "$BARE_APP" ] && [ "$(proc_start_time "$app_pid" || true)" = "$app_start" ]; then
    kill -KILL "$app_pid" 2>/dev/null || true
  fi
  wait "$BARE_PID" 2>/dev/null || true
  BARE_PID="" BARE_APP=""
}
cleanup_on_exit stop_bare

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# Binko, as `dotnet run --project Binko.AppHost` runs it (but the Release build, free ports, a fresh data directory).
echo "Starting Binko.AppHost (rate limits: $RATE_LIMITS)..."
# The api inherits the AppHost's environment: the settings go to the AppHost only, not to BareIdeas.
start_apphost "$WORK/data" "$WORK/apphost.log" "${API_SETTINGS[@]}"
echo "AppHost healthy in $(( ELAPSED / 1000 )) s"
API=$(api_url "$WORK/apphost.log")
check_health "$API"

# The bare endpoint gets the api's own connection string, from the api's environment.
API_PID=$(api_pid)
[ -n "$API_PID" ] || { echo "no api process found below this AppHost's DCP" >&2; exit 1; }
CONNECTION_STRING=$(process_env "$API_PID" ConnectionStrings__binkodb)
[ -n "$CONNECTION_STRING" ] || { echo "the api (pid $API_PID) has no ConnectionStrings__binkodb" >&2; exit 1; }
for setting in "${API_SETTINGS[@]}"; do
  [ "$(process_env "$API_PID" "${setting%%=*}")" = "${setting#*=}" ] || echo "warning: the api's environment lacks $setting" >&2
done

echo "Starting bench/BareIdeas..."
ConnectionStrings__binkodb="$CONNECTION_STRING" \
  dotnet run --no-build -c "$CONFIGURATION" --project bench/BareIdeas -- --urls http://127.0.0.1:0 >"$WORK/bare.log" 2>&1 &
BARE_PID=$!
deadline=$(( $(now_ms) + START_TIMEOUT_S * 1000 ))
until grep -q "BareIdeas listening on" "$WORK/bare.log"; do
  if ! kill -0 "$BARE_PID" 2>/dev/null; then echo "BareIdeas exited during start:" >&2; cat "$WORK/bare.log" >&2; exit 1; fi
  if (( $(now_ms) > deadline )); then echo "BareIdeas did not start within ${START_TIMEOUT_S}s" >&2; exit 1; fi
  sleep 0.05
done
app_pid=$(pgrep -P "$BARE_PID" | head -1 || true)
[ -z "$app_pid" ] || BARE_APP="$app_pid:$(proc_start_time "$app_pid")"
BARE=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$WORK/bare.log" | grep -oE 'http://.*')

BINKO_URL="$API/api/v1/ideas?limit=$LIMIT"
BARE_URL="$BARE/ideas?limit=$LIMIT"
for url in "$BINKO_URL" "$BARE_URL"; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url")" = 200 ] || { echo "$url does not answer 200" >&2; exit 1; }
done
curl -s --max-time 10 "$BINKO_URL" >"$WORK/binko.json"
curl -s --max-time 10 "$BARE_URL" >"$WORK/bare.json"
if cmp -s "$WORK/binko.json" "$WORK/bare.json"; then
  SAME_BODY="identical ($(wc -c <"$WORK/binko.json") bytes)"
else
  SAME_BODY="DIFFERENT (Binko $(wc -c <"$WORK/binko.json") bytes, bare $(wc -c <"$WORK/bare.json") bytes)"
fi

# Transactions committed in binkodb (from pg_stat_database), to show which endpoint goes to the database per request.
CONNINFO=$(libpq_conninfo "$CONNECTION_STRING")
db_xacts() {
  command -v psql >/dev/null || { echo ""; return; }
  PGCONNECT_TIMEOUT=5 psql "$CONNINFO" -Atqc \
    "select pg_stat_force_next_flush(); select xact_commit + xact_rollback from pg_stat_database where datname = 'binkodb'" \
    2>/dev/null | tail -1 || echo ""
}

echo "Warming up: $WARMUP_REQUESTS requests to each endpoint..."
timeout 120 hey -n "$WARMUP_REQUESTS" -c "$CONCURRENCY" "$BINKO_URL" >"$RESULTS/warmup-binko.txt"
timeout 120 hey -n "$WARMUP_REQUESTS" -c "$CONCURRENCY" "$BARE_URL" >"$RESULTS/warmup-bare.txt"
sleep "$SETTLE_S"

# measure <name> <url> <round>: one `hey -c CONCURRENCY -z DURATION_S` run; appends a row to ROWS.
ROWS=()
measure() {
  local name="$1" url="$2" round="$3" out x0 x1
  out="$RESULTS/$name-$round.txt"
  x0=$(db_xacts)
  timeout $(( DURATION_S + 60 )) hey -c "$CONCURRENCY" -z "${DURATION_S}s" "$url" >"$out"
  # An idle Postgres backend reports its last second of counts only after 10 s (PGSTAT_IDLE_INTERVAL): wait for them,
  # which also lets the machine settle before the next run.
  sleep "$SETTLE_S"
  x1=$(db_xacts)
  # Requests/s, p50 and p99 (ms), responses by status, connection errors, and binkodb transactions per second.
  local xps=n/a
  [ -n "$x0" ] && [ -n "$x1" ] && xps=$(( (x1 - x0) / DURATION_S ))
  ROWS+=("$round $name $(hey_summary "$out") $xps")
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for round in $(seq 1 "$ROUNDS"); do
  echo "Round $round of $ROUNDS: hey -c $CONCURRENCY -z ${DURATION_S}s against each endpoint..."
  if (( round % 2 == 1 )); then
    measure binko "$BINKO_URL" "$round"; measure bare "$BARE_URL" "$round"
  else
    measure bare "$BARE_URL" "$round"; measure binko "$BINKO_URL" "$round"
  fi
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# Stop everything now (not only in the trap), and check that nothing is left.
stop_bare
stop_apphost "$WORK/data"

{
  echo
  echo "GET /api/v1/ideas?limit=$LIMIT, hey -c $CONCURRENCY -z ${DURATION_S}s, $CONFIGURATION build"
  echo "  binko: Binko.Api via the AppHost ($API), HybridCache hit after the first request, rate limits $RATE_LIMITS"
  echo "  bare:  bench/BareIdeas ($BARE), the same SQL through NpgsqlDataSource on every request"
  echo "  response bodies: $SAME_BODY"
  echo
  printf '%-6s %-6s %10s %8s %8s %8s %8s %6s %7s %10s\n' round target 'req/s' p50_ms p99_ms '200s' other '429s' errors 'db_xact/s'
  for row in "${ROWS[@]}"; do
    # shellcheck disable=SC2086
    printf '%-6s %-6s %10.1f %8s %8s %8s %8s %6s %7s %10s\n' $row
  done
  echo
  printf '%s\n' "${ROWS[@]}" | awk -v goal="$P99_GOAL_MS" '
    { n[$2]++; rps[$2] += $3; p50[$2] += $4; if ($5 > p99[$2]) p99[$2] = $5; failed[$2] += $7 + $9; limited += $8; errors += $9 }
    END {
      split("binko bare", targets, " ")
      for (i = 1; i <= 2; i++) { t = targets[i]; printf "%-6s mean %.1f req/s, mean p50 %.1f ms, worst p99 %.1f ms over %d runs\n", t, rps[t] / n[t], p50[t] / n[t], p99[t], n[t] }
      b = rps["binko"] / n["binko"]; r = rps["bare"] / n["bare"]
      if (failed["binko"] + failed["bare"] > 0) {
        printf "goal: not judged: %d of Binko'"'"'s and %d of the bare endpoint'"'"'s answers were not 200 or failed\n", failed["binko"], failed["bare"]
      } else {
        printf "goal: Binko cached >= bare uncached req/s: %s (%.2fx)\n", (b >= r ? "met" : "MISSED"), b / r
        printf "goal: Binko p99 < %d ms: %s (worst %.1f ms)\n", goal, (p99["binko"] < goal ? "met" : "MISSED"), p99["binko"]
      }
      if (limited > 0) printf "note: %d responses were 429 Too Many Requests\n", limited
      if (errors > 0) printf "note: hey reported %d connection errors\n", errors
    }'
  echo "load average (1/5/15 min): $LOAD_BEFORE before start, $LOAD_START before the runs, $LOAD_END after"
  echo "machine: $(nproc) cores, $(uname -sr), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), redis: $(command -v redis-server >/dev/null && echo redis-server || echo embedded Garnet)"
  echo "stopped: the AppHost and BareIdeas have exited and no process of the run is left"
} | tee "$RESULTS/summary.txt"
