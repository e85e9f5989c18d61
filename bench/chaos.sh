#!/usr/bin/env bash
# Chaos bench (issue 13): Binko while its processes and dependencies fail, on 127.0.0.1 only.
#
#   bench/chaos.sh                                  # Release; all four scenarios
#   SCENARIOS="redis postgres" bench/chaos.sh       # some of them
#
# It starts bench/FakeLlm on a fixed free port and Binko.AppHost pointed at it, then runs, in order:
#   worker:   JOBS jobs (500) queued straight in Postgres, worked by WORKERS (2) worker processes of the bench's own
#             (the environment of the AppHost's worker, whose process it stops), KILLS times (20) one of them SIGKILLed
#             and started again, every KILL_EVERY_MS (1500); afterwards: jobs lost (never finished), ideas stored twice,
#             completed jobs with the wrong number of ideas, jobs run more than once, LLM calls per job;
#   redis:    LOAD_S seconds (40) of reads (GET /api/v1/ideas) and generations (POST /api/v1/generate) under hey, with
#             /health sampled every 0.25 s; redis-server SIGKILLed at 10 s and started again REDIS_DOWN_S (10) later, on
#             its port and configuration; afterwards: status codes, health codes and latency over time;
#   postgres: the same load, Postgres (the postmaster and its backends) frozen with SIGSTOP at 10 s for POSTGRES_FROZEN_S
#             (15), generations posted twice a second throughout; afterwards: status codes and latency, health over
#             time, time to healthy after the thaw, and whether every accepted (202) generation finished;
#   llm:      for each way the LLM fails (429 with Retry-After, 500, timeout, broken JSON, a cut response) and a mix of
#             them with answers, LLM_JOBS jobs (20) queued while the fake LLM fails that way; afterwards: how each job ended.
# Targets: 0 lost, 0 duplicated, 0 × 5xx other than 503, /health within 2 s throughout. Every loop is bounded in count
# and time; on exit everything the bench started is stopped (a frozen Postgres thawed first) and the data removed.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIGURATION="${CONFIGURATION:-Release}"
SCENARIOS="${SCENARIOS:-worker redis postgres llm}"
JOBS="${JOBS:-500}"
WORKERS="${WORKERS:-2}"
KILLS="${KILLS:-20}"
KILL_EVERY_MS="${KILL_EVERY_MS:-1500}"
LOAD_S="${LOAD_S:-40}"
REDIS_DOWN_S="${REDIS_DOWN_S:-10}"
POSTGRES_FROZEN_S="${POSTGRES_FROZEN_S:-15}"
LLM_JOBS="${LLM_JOBS:-20}"
LLM_LATENCY_MS="${LLM_LATENCY_MS:-300}"
DRAIN_TIMEOUT_S="${DRAIN_TIMEOUT_S:-180}"
LLM_BREAK_S=5
(( JOBS >= 1 && JOBS <= 5000 )) || { echo "JOBS must be 1..5000" >&2; exit 2; }
(( WORKERS >= 1 && WORKERS <= 8 )) || { echo "WORKERS must be 1..8" >&2; exit 2; }
(( KILLS >= 0 && KILLS <= 200 )) || { echo "KILLS must be 0..200" >&2; exit 2; }
(( KILL_EVERY_MS >= 100 && KILL_EVERY_MS <= 60000 )) || { echo "KILL_EVERY_MS must be 100..60000" >&2; exit 2; }
(( LOAD_S >= 20 && LOAD_S <= 300 )) || { echo "LOAD_S must be 20..300" >&2; exit 2; }
(( REDIS_DOWN_S >= 1 && REDIS_DOWN_S <= LOAD_S - 15 )) || { echo "REDIS_DOWN_S must be 1..LOAD_S-15" >&2; exit 2; }
(( POSTGRES_FROZEN_S >= 1 && POSTGRES_FROZEN_S <= LOAD_S - 15 )) || { echo "POSTGRES_FROZEN_S must be 1..LOAD_S-15" >&2; exit 2; }
(( LLM_JOBS >= 1 && LLM_JOBS <= 500 )) || { echo "LLM_JOBS must be 1..500" >&2; exit 2; }
source bench/lib.sh   # START_TIMEOUT_S (default 120), STOP_TIMEOUT_S (default 30)
command -v psql >/dev/null || { echo "psql is required" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "Installing redis-server..."; apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; service redis-server stop >/dev/null 2>&1 || true; }
need_hey

build_apphost "$CONFIGURATION"
echo "Building bench/FakeLlm ($CONFIGURATION)..."
build bench/FakeLlm/FakeLlm.csproj "$CONFIGURATION"
WORKER_DLL="$PWD/Binko.GenerationWorker/bin/$CONFIGURATION/net10.0/Binko.GenerationWorker.dll"

make_work_dir binko-chaos
FAKE_PID=""
REDIS_PID=""
FROZEN=()
declare -A WORKER_PIDS=()
stop_chaos() {
  [ "${#FROZEN[@]}" -eq 0 ] || kill -CONT "${FROZEN[@]}" 2>/dev/null || true
  for pid in "${WORKER_PIDS[@]}"; do stop_pid "$pid" 10; done
  stop_pid "$FAKE_PID" 5
  stop_pid "$REDIS_PID" 10
}
cleanup_on_exit stop_chaos

# start_fake_llm [faults]: (re)starts the fake LLM on LLM_PORT, failing as `--faults` says (see bench/FakeLlm).
LLM_PORT=$(free_port)
start_fake_llm() {
  stop_pid "$FAKE_PID" 5
  dotnet "bench/FakeLlm/bin/$CONFIGURATION/net10.0/FakeLlm.dll" --urls "http://127.0.0.1:$LLM_PORT" \
    --latency-ms "$LLM_LATENCY_MS" ${1:+--faults "$1"} >"$WORK/fakellm.log" 2>&1 &
  FAKE_PID=$!
  local deadline=$(( $(now_ms) + 30000 ))
  until grep -qs "FakeLlm listening on" "$WORK/fakellm.log"; do
    kill -0 "$FAKE_PID" 2>/dev/null || { echo "FakeLlm exited:" >&2; cat "$WORK/fakellm.log" >&2; exit 1; }
    (( $(now_ms) < deadline )) || { echo "FakeLlm did not start within 30 s" >&2; exit 1; }
    sleep 0.05
  done
}
llm_calls() { curl -s --max-time 5 "http://127.0.0.1:$LLM_PORT/calls"; }

start_fake_llm
echo "Starting Binko.AppHost..."
# Limits that would turn the load into 429s are lifted; the worker gives up on a lost lease and on the LLM quickly, so
# that killed jobs come back and failing calls end within the bench's time.
start_apphost "$WORK/data" "$WORK/apphost.log" \
  "ConnectionStrings__llm=Endpoint=http://127.0.0.1:$LLM_PORT/v1;Key=chaos;Model=chaos-model" \
  RateLimiting__Enabled=false Quotas__Guest=1000000 Generation__MaxInFlightPerWorker=10000 \
  Generation__OutboundPermitsPerSecond=100000 Generation__Concurrency=2 Generation__LeaseSeconds=5 \
  Generation__HeartbeatSeconds=1 Generation__PollSeconds=0.5 Generation__AttemptTimeoutSeconds=2 \
  Generation__RetryBaseDelayMs=100 Generation__MaxRetryAfterSeconds=2 Generation__CircuitBreakSeconds=$LLM_BREAK_S
API=$(api_url "$WORK/apphost.log")
CONNINFO=$(libpq_conninfo "$(api_binkodb)")
sql() { PGCONNECT_TIMEOUT=5 psql "$CONNINFO" -v ON_ERROR_STOP=1 -Atq "$@"; }
echo "AppHost ready in $(( ELAPSED / 1000 )) s: $API"

REQUEST='{"profile":{"experience_level":"beginner","skills":["python"],"interests":["music"],"weekly_hours":5,"goals":null},"num_ideas":3,"constraints":{"category":null,"max_hours":null,"use_technologies":[],"avoid_technologies":[]},"refinement":null}'
# queue_jobs <count> <tag>: jobs straight in Postgres, as the api queues them (a row each, then NOTIFY).
queue_jobs() {
  sql -c "BEGIN;
    INSERT INTO generations (id, owner_id, kind, status, num_ideas, request, content_hash, degraded, cached, attempts, available_at, created_at)
    SELECT gen_random_uuid(), '$2:' || i, 'generate', 'queued', 3, '$REQUEST'::jsonb, md5(random()::text) || md5(random()::text),
           false, false, 0, clock_timestamp(), clock_timestamp() FROM generate_series(1, $1) AS i;
    SELECT pg_notify('binko_generation_queued', ''); COMMIT;" >/dev/null
}
# The jobs a step queued straight in Postgres are those of its tag; the generations posted through the api, those asked
# for a skill that starts with "chaos".
tagged() { echo "owner_id LIKE '$1:%'"; }
POSTED="request->'profile'->'skills'->>0 LIKE 'chaos%'"
# wait_finished <where>: until no such job is queued or running (bounded); returns 1 when some are left.
wait_finished() {
  sql -c "SET statement_timeout = '${DRAIN_TIMEOUT_S}s'; DO \$\$ BEGIN
      WHILE EXISTS (SELECT 1 FROM generations WHERE $1 AND status IN ('queued', 'running')) LOOP
        PERFORM pg_sleep(0.2); END LOOP; END \$\$;" >/dev/null 2>&1
}
# outcomes <where>: "completed degraded failed unfinished" of such jobs.
outcomes() {
  sql -F ' ' -c "SELECT count(*) FILTER (WHERE status = 'completed' AND NOT degraded), count(*) FILTER (WHERE status = 'completed' AND degraded),
    count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE status IN ('queued', 'running'))
    FROM generations WHERE $1"
}
# ideas_twice <tag>: ideas stored more than once (same generation and position), and completed jobs whose idea count is
# not what they asked for.
ideas_twice() {
  sql -F ' ' -c "SELECT
    (SELECT count(*) FROM (SELECT gi.generation_id, gi.position FROM generated_ideas gi JOIN generations g ON g.id = gi.generation_id
      WHERE g.owner_id LIKE '$1:%' GROUP BY 1, 2 HAVING count(*) > 1) d),
    (SELECT count(*) FROM generations g WHERE g.owner_id LIKE '$1:%' AND g.status = 'completed'
      AND (SELECT count(*) FROM generated_ideas gi WHERE gi.generation_id = g.id) <> g.num_ideas)"
}

# The health sampler: every 0.25 s, "second status code duration" of /health (status: the first, overall one), for the
# given seconds.
sample_health() { # <seconds> <file>
  local end=$(( $(now_ms) + $1 * 1000 )) t0 answer status
  t0=$(now_ms)
  while (( $(now_ms) < end )); do
    answer=$(curl -s --max-time 5 -w '\n%{http_code} %{time_total}' "$API/health") || answer=$'\n000 5'
    status=$(head -1 <<<"$answer" | grep -oE '"status":"[A-Za-z]+"' | head -1 | cut -d'"' -f4 || true)
    echo "$(( ($(now_ms) - t0) / 1000 )) ${status:--} $(tail -1 <<<"$answer")" >>"$2"
    sleep 0.25
  done
}
# health_report <file>: codes, statuses and the slowest answer of the samples, and the statuses in order (H Healthy,
# D Degraded, U Unhealthy, - no answer).
health_report() {
  awk '{ codes[$3]++; statuses[$2]++; if ($4 > max) max = $4; timeline = timeline substr($2, 1, 1) }
       END { printf "health: %d samples, slowest %.2f s;", NR, max; for (c in codes) printf " %s×%d", c, codes[c];
             printf ";"; for (s in statuses) printf " %s×%d", s, statuses[s]; printf "; in order: %s\n", timeline }' "$1"
}
# load <seconds> <tag>: reads and generations under hey, in the background; sets LOAD_PIDS.
load() {
  echo '{"profile":{"experience_level":"beginner","skills":["python"],"interests":["music"]},"num_ideas":3}' >"$WORK/generate.json"
  timeout $(( $1 + 30 )) hey -z "${1}s" -c 8 -t 30 "$API/api/v1/ideas?limit=20" >"$WORK/$2-reads.txt" 2>&1 &
  LOAD_PIDS=($!)
  timeout $(( $1 + 30 )) hey -z "${1}s" -c 2 -t 60 -m POST -T application/json -D "$WORK/generate.json" "$API/api/v1/generate" >"$WORK/$2-generate.txt" 2>&1 &
  LOAD_PIDS+=($!)
}
# load_report <tag>: per hey run, requests/s, p99, 2xx, 503s, other non-2xx (5xx other than 503 are the failures).
load_report() {
  local kind
  for kind in reads generate; do
    local fivexx
    fivexx=$(awk '/^Status code distribution:/ { s = 1; next } /^Error distribution:/ { s = 0 }
      s && /\[5[0-9][0-9]\]/ { code = $1; gsub(/[][]/, "", code); if (code != 503) n += $2 } END { print n + 0 }' "$WORK/$1-$kind.txt")
    read -r rps _ p99 ok other _ errors < <(hey_summary "$WORK/$1-$kind.txt")
    printf '  %-8s %7.0f req/s  p99 %s ms  %s × 2xx  %s × other  %s × 5xx other than 503  %s connection errors\n' \
      "$kind" "$rps" "$p99" "$ok" "$other" "$fivexx" "$errors"
  done
}

results=()

if [[ " $SCENARIOS " == *" worker "* ]]; then
  echo "worker: $JOBS jobs, $WORKERS workers of the bench's own, $KILLS SIGKILLs..."
  # The AppHost's worker lends its environment (connection strings, settings) to the bench's workers, then stops.
  dcp_worker=$(pgrep -P "$(pgrep -P "$(pgrep -f -- "dcp start-apiserver --monitor $APPHOST_PID( |$)" | head -1)" | head -1)" -f "Binko.GenerationWorker.csproj" | head -1)
  mapfile -d '' WORKER_ENV <"/proc/$dcp_worker/environ"
  kill -TERM "$dcp_worker"
  start_worker() { # <slot>
    env -i "${WORKER_ENV[@]}" ASPNETCORE_URLS="http://127.0.0.1:0" dotnet exec "$WORKER_DLL" >>"$WORK/worker-$1.log" 2>&1 &
    WORKER_PIDS[$1]=$!
  }
  for slot in $(seq 1 "$WORKERS"); do start_worker "$slot"; done
  calls_before=$(llm_calls)
  queue_jobs "$JOBS" chaos-worker
  kills=0
  deadline=$(( $(now_ms) + DRAIN_TIMEOUT_S * 1000 ))
  while (( kills < KILLS && $(now_ms) < deadline )); do
    sleep "$(echo "$KILL_EVERY_MS / 1000" | bc -l)"
    slot=$(( RANDOM % WORKERS + 1 ))
    kill -KILL "${WORKER_PIDS[$slot]}" 2>/dev/null || true
    wait "${WORKER_PIDS[$slot]}" 2>/dev/null || true
    start_worker "$slot"
    kills=$(( kills + 1 ))
  done
  wait_finished "$(tagged chaos-worker)" || true
  read -r done degraded failed lost < <(outcomes "$(tagged chaos-worker)")
  read -r twice wrong < <(ideas_twice chaos-worker)
  reruns=$(sql -c "SELECT count(*) FROM generations WHERE owner_id LIKE 'chaos-worker:%' AND attempts > 1")
  failures=$(sql -c "SELECT string_agg(coalesce(error_code, '-') || '×' || n, ' ') FROM (SELECT error_code, count(*) AS n
    FROM generations WHERE owner_id LIKE 'chaos-worker:%' AND status = 'failed' GROUP BY 1) c")
  calls=$(( $(llm_calls) - calls_before ))
  results+=("$(printf 'worker:   %s jobs, %s SIGKILLs: %s completed, %s degraded, %s failed (%s), %s lost; %s ideas stored twice, %s completed with the wrong count; %s jobs run more than once (after a kill), %s LLM calls (%.2f a job)' \
    "$JOBS" "$kills" "$done" "$degraded" "$failed" "${failures:-none}" "$lost" "$twice" "$wrong" "$reruns" "$calls" "$(echo "$calls / $JOBS" | bc -l)")")
  echo "${results[-1]}"
fi

if [[ " $SCENARIOS " == *" redis "* ]]; then
  echo "redis: ${LOAD_S} s of load, redis-server SIGKILLed at 10 s for ${REDIS_DOWN_S} s..."
  redis_port=$(sed -nE 's/^127\.0\.0\.1:([0-9]+),.*/\1/p' <<<"$(process_env "$(api_pid)" ConnectionStrings__redis)")
  redis=$(pgrep -f "redis-server 127.0.0.1:$redis_port" | head -1)
  [ -n "$redis" ] || { echo "no redis-server on port $redis_port" >&2; exit 1; }
  echo "  redis-server: pid $redis, port $redis_port"
  load "$LOAD_S" redis
  sample_health "$LOAD_S" "$WORK/redis-health.txt" &
  sampler=$!
  sleep 10
  kill -KILL "$redis"
  sleep "$REDIS_DOWN_S"
  redis-server "$WORK/data/redis/redis.conf" --port "$redis_port" >"$WORK/redis-restarted.log" 2>&1 &
  REDIS_PID=$!
  wait "$sampler" "${LOAD_PIDS[@]}" || true
  results+=("redis:    killed at 10 s, back at $(( 10 + REDIS_DOWN_S )) s; $(health_report "$WORK/redis-health.txt")")
  results+=("$(load_report redis)")
  printf '%s\n' "${results[@]: -2}"
fi

if [[ " $SCENARIOS " == *" postgres "* ]]; then
  echo "postgres: ${LOAD_S} s of load, Postgres frozen at 10 s for ${POSTGRES_FROZEN_S} s..."
  postmaster=$(pgrep -f "postgres -D $WORK/data/postgres/pgdata" | head -1)
  [ -n "$postmaster" ] || { echo "no postmaster for $WORK/data/postgres/pgdata" >&2; exit 1; }
  load "$LOAD_S" postgres
  sample_health "$LOAD_S" "$WORK/postgres-health.txt" &
  sampler=$!
  # Generations posted twice a second throughout, each on its own (one that waits does not hold back the next): every
  # one accepted (202) must finish. Each line: "code seconds".
  ( end=$(( $(now_ms) + LOAD_S * 1000 )); n=0
    while (( $(now_ms) < end && n < LOAD_S * 2 )); do
      n=$(( n + 1 ))
      { curl -s --max-time 40 -o /dev/null -w '%{http_code} %{time_total}\n' -X POST -H 'Content-Type: application/json' \
          -d "{\"profile\":{\"experience_level\":\"advanced\",\"skills\":[\"chaos$n\"]},\"num_ideas\":2}" \
          "$API/api/v1/generations" || echo "000 40"; } >>"$WORK/postgres-posts.txt" &
      sleep 0.5
    done
    wait ) &
  poster=$!
  sleep 10
  FROZEN=("$postmaster" $(pgrep -P "$postmaster"))
  kill -STOP "${FROZEN[@]}"
  echo "  frozen: ${#FROZEN[@]} processes (postmaster $postmaster and its backends)"
  sleep "$POSTGRES_FROZEN_S"
  kill -CONT "${FROZEN[@]}"
  FROZEN=()
  thawed=$(( 10 + POSTGRES_FROZEN_S ))
  wait "$sampler" "$poster" "${LOAD_PIDS[@]}" || true
  recovered=$(awk -v t="$thawed" '$1 >= t && $3 == 200 { print $1 - t; exit }' "$WORK/postgres-health.txt")
  wait_finished "$POSTED" || true
  accepted=$(grep -c '^202 ' "$WORK/postgres-posts.txt" || true)
  read -r _ _ _ unfinished < <(outcomes "$POSTED")
  results+=("postgres: frozen at 10 s, thawed at ${thawed} s, healthy (200) again ${recovered:-never} s after; $(health_report "$WORK/postgres-health.txt")")
  results+=("$(printf '  posted %s generations: %s accepted (202), %s of them unfinished; answers (count, median and slowest): %s' \
    "$(wc -l <"$WORK/postgres-posts.txt")" "$accepted" "$unfinished" "$(sort -k1,1 -k2,2n "$WORK/postgres-posts.txt" | awk '
      function flush() { if (n) printf "%s×%d %.0f/%.0f ms; ", code, n, t[int((n + 1) / 2)] * 1000, t[n] * 1000 }
      $1 != code { flush(); code = $1; n = 0 } { t[++n] = $2 } END { flush() }')")")
  results+=("$(load_report postgres)")
  printf '%s\n' "${results[@]: -3}"
fi

if [[ " $SCENARIOS " == *" llm "* ]]; then
  for faults in "429=1" "500=1" "timeout=1" "broken=1" "cut=1" "ok=5,429=1,500=1,timeout=1,broken=1,cut=1"; do
    tag="chaos-llm-${faults%%=*}"
    [[ "$faults" == ok=* ]] && tag=chaos-llm-mixed
    echo "llm: $LLM_JOBS jobs, the LLM answering $faults..."
    start_fake_llm "$faults"
    # The LLM circuit the previous way of failing opened has served its break: this step's first call is its probe.
    sleep $(( LLM_BREAK_S + 1 ))
    queue_jobs "$LLM_JOBS" "$tag"
    wait_finished "$(tagged "$tag")" || true
    read -r done degraded failed stuck < <(outcomes "$(tagged "$tag")")
    codes=$(sql -c "SELECT string_agg(coalesce(error_code, '-') || '×' || n, ' ') FROM (SELECT error_code, count(*) AS n FROM generations
      WHERE owner_id LIKE '$tag:%' AND (status = 'failed' OR degraded) GROUP BY 1) c")
    results+=("$(printf 'llm %-36s %s completed, %s degraded, %s failed, %s stuck (error codes: %s)' "$faults:" "$done" "$degraded" "$failed" "$stuck" "${codes:-none}")")
    echo "${results[-1]}"
  done
fi

echo
printf '%s\n' "${results[@]}"
echo "targets: 0 lost, 0 duplicated, 0 × 5xx other than 503, /health within 2 s throughout"
echo "machine: $(nproc) cores, $(uname -sr), $CONFIGURATION, LLM latency $LLM_LATENCY_MS ms, worker concurrency 2"
