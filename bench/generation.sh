#!/usr/bin/env bash
# Generation throughput and enqueue-to-claim latency of the worker, with the LLM faked at a fixed latency.
#
#   bench/generation.sh                              # Release; 400-job warm-up, 1000-job burst, 10 s paced at 40 jobs/s
#   JOBS=2000 LATENCY_MS=200 CONCURRENCY=16 bench/generation.sh
#
# It starts bench/FakeLlm (an OpenAI-compatible endpoint answering after LATENCY_MS) and Binko.AppHost (Postgres, Redis,
# the api and one worker replica with Generation:Concurrency=CONCURRENCY) pointed at it, then, straight in Postgres as the
# api would (a generations row + NOTIFY binko_generation_queued):
#   0. warm-up: WARMUP_JOBS jobs (default 400) the same way, not measured, then SETTLE_S (5) seconds of rest: the worker's
#      code is JIT-compiled and tiered up before anything is timed (the targets are about steady state);
#   1. burst: JOBS jobs in one transaction; sustained throughput = the completions between the 10th and the 90th
#      percentile over the time between them (the whole burst's JOBS / (last completed_at − first created_at) is shown
#      too: it adds the ramp-up and the drain), against the theoretical CONCURRENCY / LATENCY (16 / 0.2 s = 80 jobs/s);
#   2. paced: RATE jobs/s for PACED_S seconds, one transaction each (below capacity, so no queueing): enqueue-to-claim
#      latency = started_at − created_at, p50/p95/max;
#   3. cache hit: one POST /api/v1/generate (generated through the worker), then the same request CACHE_WARMUP times
#      (default 5000, not measured) and, after SETTLE_S, CACHE_REQUESTS times (5000), both under
#      `hey -c CACHE_CONCURRENCY` (50): each is answered from the response cache; requests/s, p50, p99.
# The shared outbound LLM rate limit (Generation:OutboundPermitsPerSecond, default 10/s) is raised out of reach here:
# with it, throughput would be capped at 10 jobs/s by design; so is the api's `generation` rate limit (10/min), which
# would otherwise answer most of the cache-hit requests with 429. Every wait is bounded; on exit the fake LLM and the AppHost
# (and so everything it started) are stopped and the data directory removed.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIGURATION="${CONFIGURATION:-Release}"
JOBS="${JOBS:-1000}"
LATENCY_MS="${LATENCY_MS:-200}"
CONCURRENCY="${CONCURRENCY:-16}"
RATE="${RATE:-40}"
PACED_S="${PACED_S:-10}"
DRAIN_TIMEOUT_S="${DRAIN_TIMEOUT_S:-120}"
WARMUP_JOBS="${WARMUP_JOBS:-400}"
SETTLE_S="${SETTLE_S:-5}"
CACHE_WARMUP="${CACHE_WARMUP:-5000}"
CACHE_REQUESTS="${CACHE_REQUESTS:-5000}"
CACHE_CONCURRENCY="${CACHE_CONCURRENCY:-50}"
(( JOBS >= 1 && JOBS <= 20000 )) || { echo "JOBS must be 1..20000" >&2; exit 2; }
(( CONCURRENCY >= 1 && CONCURRENCY <= 256 )) || { echo "CONCURRENCY must be 1..256" >&2; exit 2; }
(( RATE >= 1 && RATE <= 500 )) || { echo "RATE must be 1..500" >&2; exit 2; }
(( PACED_S >= 1 && PACED_S <= 120 )) || { echo "PACED_S must be 1..120" >&2; exit 2; }
(( WARMUP_JOBS >= 0 && WARMUP_JOBS <= 20000 )) || { echo "WARMUP_JOBS must be 0..20000" >&2; exit 2; }
(( SETTLE_S >= 0 && SETTLE_S <= 60 )) || { echo "SETTLE_S must be 0..60" >&2; exit 2; }
(( CACHE_WARMUP >= 0 && CACHE_WARMUP <= 100000 )) || { echo "CACHE_WARMUP must be 0..100000" >&2; exit 2; }
(( CACHE_REQUESTS >= 1 && CACHE_REQUESTS <= 100000 )) || { echo "CACHE_REQUESTS must be 1..100000" >&2; exit 2; }
(( CACHE_CONCURRENCY >= 1 && CACHE_CONCURRENCY <= 500 )) || { echo "CACHE_CONCURRENCY must be 1..500" >&2; exit 2; }
source bench/lib.sh   # START_TIMEOUT_S (default 120), STOP_TIMEOUT_S (default 30)
command -v psql >/dev/null || { echo "psql is required" >&2; exit 1; }
need_hey

build_apphost "$CONFIGURATION"
echo "Building bench/FakeLlm ($CONFIGURATION)..."
build bench/FakeLlm/FakeLlm.csproj "$CONFIGURATION"

make_work_dir binko-generation-bench
FAKE_PID=""
stop_fake_llm() { stop_pid "$FAKE_PID" 5; }
cleanup_on_exit stop_fake_llm

echo "Starting bench/FakeLlm (latency ${LATENCY_MS} ms)..."
dotnet "bench/FakeLlm/bin/$CONFIGURATION/net10.0/FakeLlm.dll" --urls http://127.0.0.1:0 --latency-ms "$LATENCY_MS" >"$WORK/fakellm.log" 2>&1 &
FAKE_PID=$!
deadline=$(( $(now_ms) + 30000 ))
until grep -q "FakeLlm listening on" "$WORK/fakellm.log"; do
  kill -0 "$FAKE_PID" 2>/dev/null || { echo "FakeLlm exited:" >&2; cat "$WORK/fakellm.log" >&2; exit 1; }
  (( $(now_ms) < deadline )) || { echo "FakeLlm did not start within 30 s" >&2; exit 1; }
  sleep 0.05
done
LLM_URL=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$WORK/fakellm.log" | head -1)

echo "Starting Binko.AppHost (worker concurrency $CONCURRENCY)..."
rate_limit_settings lifted Generation
start_apphost "$WORK/data" "$WORK/apphost.log" "ConnectionStrings__llm=Endpoint=$LLM_URL/v1;Key=bench;Model=bench-model" \
  "Generation__Concurrency=$CONCURRENCY" Generation__OutboundPermitsPerSecond=100000 "${API_SETTINGS[@]}"
echo "AppHost healthy in $(( ELAPSED / 1000 )) s"

# Postgres' address: the api's own connection string (Npgsql keywords), turned into a libpq conninfo for psql.
NPGSQL=$(api_binkodb)
CONNINFO=$(libpq_conninfo "$NPGSQL")
sql() { PGCONNECT_TIMEOUT=5 psql "$CONNINFO" -v ON_ERROR_STOP=1 -Atq "$@"; }

REQUEST='{"profile":{"experience_level":"beginner","skills":["python"],"interests":["music"],"weekly_hours":5,"goals":null},"num_ideas":3,"constraints":{"category":null,"max_hours":null,"use_technologies":[],"avoid_technologies":[]},"refinement":null}'
insert_values() { # <first> <count> <tag>: the rows of jobs first..first+count-1
  echo "SELECT gen_random_uuid(), '$3:' || i, 'generate', 'queued', 3, '$REQUEST'::jsonb, md5(random()::text) || md5(random()::text),
        false, false, 0, clock_timestamp(), clock_timestamp() FROM generate_series($1, $1 + $2 - 1) AS i"
}
COLUMNS="id, owner_id, kind, status, num_ideas, request, content_hash, degraded, cached, attempts, available_at, created_at"

wait_drained() { # <tag>: one server-side loop (a psql process every 0.2 s would take CPU from what is measured)
  sql -c "SET statement_timeout = '${DRAIN_TIMEOUT_S}s';
    DO \$\$ BEGIN
      WHILE EXISTS (SELECT 1 FROM generations WHERE owner_id LIKE '$1:%' AND status IN ('queued', 'running')) LOOP
        PERFORM pg_sleep(0.1);
      END LOOP; END \$\$;" >/dev/null 2>&1 \
    || { echo "$1 job(s) still unfinished after ${DRAIN_TIMEOUT_S} s" >&2; exit 1; }
}

run_burst() { # <count> <tag>: count jobs in one transaction, then wait until all have finished
  sql -c "BEGIN; INSERT INTO generations ($COLUMNS) $(insert_values 1 "$1" "$2"); SELECT pg_notify('binko_generation_queued', ''); COMMIT;" >/dev/null
  wait_drained "$2"
}

if (( WARMUP_JOBS > 0 )); then
  echo "Warm-up: $WARMUP_JOBS jobs in one transaction, not measured..."
  run_burst "$WARMUP_JOBS" warmup
  sleep "$SETTLE_S"
fi

echo "Burst: $JOBS jobs in one transaction..."
run_burst "$JOBS" burst
read -r done_burst failed_burst degraded_burst seconds_burst job_ms < <(sql -F ' ' -c "
  SELECT count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'failed'),
         count(*) FILTER (WHERE degraded), extract(epoch FROM max(completed_at) - min(created_at)),
         round((avg(extract(epoch FROM completed_at - started_at)) * 1000)::numeric, 1)
  FROM generations WHERE owner_id LIKE 'burst:%'")
# Sustained: completions between the 10th and the 90th percentile of the burst, without its ramp-up and drain.
sustained=$(sql -c "
  WITH done AS (
    SELECT completed_at, row_number() OVER (ORDER BY completed_at) AS n, count(*) OVER () AS total
    FROM generations WHERE owner_id LIKE 'burst:%' AND status = 'completed'),
  edges AS (
    SELECT min(n) FILTER (WHERE n >= ceil(total * 0.1)) AS n10, max(n) FILTER (WHERE n <= floor(total * 0.9)) AS n90 FROM done)
  SELECT coalesce((n90 - n10) / nullif(extract(epoch FROM
           (SELECT completed_at FROM done WHERE n = n90) - (SELECT completed_at FROM done WHERE n = n10)), 0), 0)
  FROM edges")
theoretical=$(echo "$CONCURRENCY * 1000 / $LATENCY_MS" | bc -l)
throughput=$(echo "$done_burst / $seconds_burst" | bc -l)

echo "Paced: $RATE jobs/s for $PACED_S s, one transaction each..."
PACED=$(( RATE * PACED_S ))
sql -c "DO \$\$ BEGIN
  FOR n IN 1..$PACED LOOP
    INSERT INTO generations ($COLUMNS) $(insert_values n 1 paced);
    PERFORM pg_notify('binko_generation_queued', '');
    COMMIT;
    PERFORM pg_sleep(1.0 / $RATE);
  END LOOP; END \$\$;" >/dev/null
wait_drained paced
read -r done_paced p50 p95 pmax < <(sql -F ' ' -c "
  SELECT count(*) FILTER (WHERE status = 'completed'),
         round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) * 1000)::numeric, 1),
         round((percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM started_at - created_at)) * 1000)::numeric, 1),
         round((max(extract(epoch FROM started_at - created_at)) * 1000)::numeric, 1)
  FROM generations WHERE owner_id LIKE 'paced:%'")

echo "Cache hit: POST /api/v1/generate, hey -n $CACHE_REQUESTS -c $CACHE_CONCURRENCY..."
API=$(api_url "$WORK/apphost.log")
echo '{"profile":{"experience_level":"beginner","skills":["python"],"interests":["music"]},"num_ideas":3}' >"$WORK/generate.json"
first=$(curl -s --max-time 90 -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data-binary @"$WORK/generate.json" "$API/api/v1/generate")
[ "$first" = 200 ] || { echo "the first POST /api/v1/generate answered $first, not 200" >&2; exit 1; }
post_generate() { # <requests> <output>: the same POST /api/v1/generate under hey -c CACHE_CONCURRENCY
  timeout 300 hey -n "$1" -c "$CACHE_CONCURRENCY" -m POST -T application/json -D "$WORK/generate.json" \
    "$API/api/v1/generate" >"$2"
}
if (( CACHE_WARMUP > 0 )); then
  echo "Cache-hit warm-up: $CACHE_WARMUP requests, not measured..."
  post_generate "$CACHE_WARMUP" "$WORK/cache-warmup.txt"
  sleep "$SETTLE_S"
fi
post_generate "$CACHE_REQUESTS" "$WORK/cache-hit.txt"
read -r cache_rps cache_p50 cache_p99 cache_ok cache_other _ cache_errors < <(hey_summary "$WORK/cache-hit.txt")

echo
printf 'burst:  %s/%s completed (%s failed, %s degraded) in %.2f s: %.1f jobs/s over the whole burst (%.0f%% of the theoretical %.0f jobs/s)\n' \
  "$done_burst" "$JOBS" "$failed_burst" "$degraded_burst" "$seconds_burst" "$throughput" "$(echo "100 * $throughput / $theoretical" | bc -l)" "$theoretical"
printf '        sustained (10th to 90th percentile of completions): %.1f jobs/s (%.0f%%, target >= 90%%)\n' \
  "$sustained" "$(echo "100 * $sustained / $theoretical" | bc -l)"
printf '        mean claim-to-completion per job: %s ms (the fake LLM alone: %s ms)\n' "$job_ms" "$LATENCY_MS"
printf 'paced:  %s/%s completed; enqueue-to-claim p50 %s ms, p95 %s ms, max %s ms (target p50 < 25 ms)\n' "$done_paced" "$PACED" "$p50" "$p95" "$pmax"
printf 'cache:  %s x 200, %s other, %s errors; %.0f req/s, p50 %.1f ms, p99 %.1f ms at %s concurrent (target p99 < 10 ms)\n' \
  "$cache_ok" "$cache_other" "$cache_errors" "$cache_rps" "$cache_p50" "$cache_p99" "$CACHE_CONCURRENCY"
echo "machine: $(nproc) cores, $(uname -sr), $CONFIGURATION, LLM latency $LATENCY_MS ms, worker concurrency $CONCURRENCY, 1 worker replica; warm-up $WARMUP_JOBS jobs and $CACHE_WARMUP requests"
