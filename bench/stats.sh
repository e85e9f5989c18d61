#!/usr/bin/env bash
# Learning statistics (issue 6): the uncached computation behind GET /api/v1/me/stats, and the cached endpoint.
#
#   bench/stats.sh                                    # Release; 2,000 generations x 5 ideas, all with feedback
#   REQUESTS=5000 CONCURRENCY=10 DURATION_S=20 bench/stats.sh
#
# It starts Binko.AppHost (Postgres, Redis, the api, the worker) on 127.0.0.1 with a bench-only JWT signing key and the
# read limit raised out of reach, then, in one SQL statement, gives ONE user GENERATIONS completed generations of 5
# ideas each, spread over 60 days, 5 categories and 3 difficulties, every idea with feedback (a mix of approved
# true/false/null and scores 0-10/null). Then:
#   1. uncached: bench/StatsQuery calls Binko.Api's own LearningStatsQuery (what the endpoint runs on a cache miss)
#      REQUESTS times from 1 loop (the query's own latency), then from CONCURRENCY loops, for that user, that user and
#      category=web, and all users (the admin view). Goal (reported, not asserted): p99 under 50 ms at CONCURRENCY.
#   2. cached: `hey -c CONCURRENCY -z DURATION_S` on GET /api/v1/me/stats with the user's token (HybridCache, 30 s).
# Every wait and load run is bounded; on any exit the AppHost (and so everything it started) is stopped and the data
# directory removed. The raw outputs of the last run are kept in bench/results/stats/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIGURATION="${CONFIGURATION:-Release}"
GENERATIONS="${GENERATIONS:-2000}"
REQUESTS="${REQUESTS:-1000}"
CONCURRENCY="${CONCURRENCY:-10}"
DURATION_S="${DURATION_S:-10}"
P99_GOAL_MS=50
(( GENERATIONS >= 1 && GENERATIONS <= 100000 )) || { echo "GENERATIONS must be 1..100000" >&2; exit 2; }
(( REQUESTS >= 1 && REQUESTS <= 100000 )) || { echo "REQUESTS must be 1..100000" >&2; exit 2; }
(( CONCURRENCY >= 1 && CONCURRENCY <= 100 )) || { echo "CONCURRENCY must be 1..100" >&2; exit 2; }
(( DURATION_S >= 1 && DURATION_S <= 60 )) || { echo "DURATION_S must be 1..60" >&2; exit 2; }
source bench/lib.sh   # START_TIMEOUT_S (default 120), STOP_TIMEOUT_S (default 30)
command -v psql >/dev/null || { echo "psql is required" >&2; exit 1; }
command -v openssl >/dev/null || { echo "openssl is required (it signs the bench token)" >&2; exit 1; }
need_hey

build_apphost "$CONFIGURATION"
echo "Building bench/StatsQuery ($CONFIGURATION)..."
build bench/StatsQuery/StatsQuery.csproj "$CONFIGURATION"

RESULTS=bench/results/stats
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
make_work_dir binko-stats-bench
cleanup_on_exit

# A signing key for this run only, in the Authentication:Schemes:Bearer shape dotnet user-jwts writes (as the tests do).
ISSUER=https://binko.bench
AUDIENCE=binko-api
KEY_BASE64=$(openssl rand -base64 32)
KEY_HEX=$(openssl base64 -d -A <<<"$KEY_BASE64" | od -An -tx1 | tr -d ' \n')
API_SETTINGS=(
  Authentication__Schemes__Bearer__ValidIssuer="$ISSUER"
  Authentication__Schemes__Bearer__ValidAudiences__0="$AUDIENCE"
  Authentication__Schemes__Bearer__SigningKeys__0__Issuer="$ISSUER"
  Authentication__Schemes__Bearer__SigningKeys__0__Value="$KEY_BASE64"
  RateLimiting__Policies__Reads__PermitLimit=2000000000
)
LEARNER="bench-learner"

# token <sub>: an HS256 JWT for the api, valid for an hour.
base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
token() {
  local now header payload signature
  now=$(date +%s)
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | base64url)
  payload=$(printf '{"sub":"%s","iss":"%s","aud":"%s","iat":%d,"nbf":%d,"exp":%d}' \
    "$1" "$ISSUER" "$AUDIENCE" "$(( now - 60 ))" "$(( now - 60 ))" "$(( now + 3600 ))" | base64url)
  signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY_HEX" -binary | base64url)
  echo "$header.$payload.$signature"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Starting Binko.AppHost..."
start_apphost "$WORK/data" "$WORK/apphost.log" "${API_SETTINGS[@]}"
echo "AppHost healthy in $(( ELAPSED / 1000 )) s"
API=$(api_url "$WORK/apphost.log")
check_health "$API"

# Postgres' address: the api's own connection string (Npgsql keywords), turned into a libpq conninfo for psql.
NPGSQL=$(api_binkodb)
CONNINFO=$(libpq_conninfo "$NPGSQL")
sql() { PGCONNECT_TIMEOUT=5 timeout 300 psql "$CONNINFO" -v ON_ERROR_STOP=1 -Atq "$@"; }

echo "Seeding $GENERATIONS generations x 5 ideas with feedback for user $LEARNER (one statement)..."
t0=$(now_ms)
sql -c "
  WITH generation AS (
    INSERT INTO generations (id, owner_id, kind, status, num_ideas, request, content_hash, degraded, cached, attempts,
                             available_at, created_at, completed_at)
    SELECT gen_random_uuid(), 'user:$LEARNER', 'generate', 'completed', 5, '{}'::jsonb, md5(n::text), false, false, 1,
           now(), now() - (n % 60) * interval '1 day', now() - (n % 60) * interval '1 day'
    FROM generate_series(1, $GENERATIONS) AS n
    RETURNING id, created_at
  ), idea AS (
    INSERT INTO generated_ideas (id, generation_id, position, title, summary, difficulty, category, tags, skills,
                                 estimated_hours, created_at)
    SELECT gen_random_uuid(), generation.id, p, 'Bench idea ' || p, 'A generated idea for the statistics bench.',
           (ARRAY['beginner', 'intermediate', 'advanced'])[1 + p % 3], (ARRAY['web', 'games', 'data', 'mobile', 'ai'])[1 + p],
           '{}', '{}', 5, generation.created_at
    FROM generation, generate_series(0, 4) AS p
    RETURNING id
  )
  INSERT INTO feedback (id, user_id, generated_idea_id, approved, score, saved, started, created_at, updated_at)
  SELECT gen_random_uuid(), '$LEARNER', idea.id,
         CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.6 END,
         CASE WHEN random() < 0.2 THEN NULL ELSE floor(random() * 11)::int END,
         false, false, now(), now()
  FROM idea;
  ANALYZE generations, generated_ideas, feedback;"
echo "seeded in $(( $(now_ms) - t0 )) ms: $(sql -c "SELECT count(*) FROM feedback WHERE user_id = '$LEARNER'") feedback rows"

TOKEN=$(token "$LEARNER")
URL="$API/api/v1/me/stats"
status=$(curl -s -o "$RESULTS/me-stats.json" -w '%{http_code}' --max-time 30 -H "Authorization: Bearer $TOKEN" "$URL")
[ "$status" = 200 ] || { echo "$URL answered $status: $(cat "$RESULTS/me-stats.json")" >&2; exit 1; }
echo "GET /api/v1/me/stats: $(head -c 200 "$RESULTS/me-stats.json")..."

# uncached <concurrency>: LearningStatsQuery REQUESTS times per variant from that many loops, into uncached-<c>.txt.
uncached() {
  echo "Uncached: LearningStatsQuery $REQUESTS times per variant from $1 loop(s)..."
  ConnectionStrings__binkodb="$NPGSQL" timeout 600 \
    dotnet "bench/StatsQuery/bin/$CONFIGURATION/net10.0/StatsQuery.dll" "$LEARNER" "$REQUESTS" "$1" >"$RESULTS/uncached-$1.txt"
}
uncached 1
uncached "$CONCURRENCY"

echo "Cached: hey -c $CONCURRENCY -z ${DURATION_S}s on GET /api/v1/me/stats..."
timeout 120 hey -n 1000 -c "$CONCURRENCY" -H "Authorization: Bearer $TOKEN" "$URL" >"$RESULTS/warmup.txt"
timeout $(( DURATION_S + 60 )) hey -c "$CONCURRENCY" -z "${DURATION_S}s" -H "Authorization: Bearer $TOKEN" "$URL" >"$RESULTS/cached.txt"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
for c in 1 "$CONCURRENCY"; do
  echo "uncached (LearningStatsQuery, $c concurrent):"
  cat "$RESULTS/uncached-$c.txt"
done
read -r rps p50 p99 ok other _ errors < <(hey_summary "$RESULTS/cached.txt")
printf 'cached (GET /api/v1/me/stats, hey -c %s -z %ss): %.0f req/s, p50 %s ms, p99 %s ms, %s x 2xx, %s other, %s errors\n' \
  "$CONCURRENCY" "$DURATION_S" "$rps" "$p50" "$p99" "$ok" "$other" "$errors"
# The goal is a request's own latency (one in flight); at CONCURRENCY in flight the machine's throughput is reported too.
for c in 1 "$CONCURRENCY"; do
  worst=$(awk 'NR > 1 && $5 > worst { worst = $5 } END { print worst + 0 }' "$RESULTS/uncached-$c.txt")
  if awk -v w="$worst" -v g="$P99_GOAL_MS" 'BEGIN { exit !(w < g) }'; then verdict=met; else verdict=MISSED; fi
  echo "goal: uncached p99 < $P99_GOAL_MS ms, $c in flight: $verdict (worst p99 $worst ms)"
done
echo "load average (1/5/15 min): $LOAD_BEFORE before start, $LOAD_AFTER after; machine: $(nproc) cores, $(uname -sr), $CONFIGURATION"

stop_apphost "$WORK/data"
