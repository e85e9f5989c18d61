# Shared by the bench scripts (source it from the repository root, under `set -euo pipefail`): building and starting
# Binko.AppHost (Aspire: DCP, the dashboard, Postgres, Redis, the api, the worker) with free ports and a temporary data
# directory, finding what it printed, and stopping it with bounded waits. Every wait here is bounded by
# START_TIMEOUT_S / STOP_TIMEOUT_S.

START_TIMEOUT_S="${START_TIMEOUT_S:-120}"
STOP_TIMEOUT_S="${STOP_TIMEOUT_S:-30}"
APPHOST_PID=""

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# free_port: a TCP port of 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# need_hey: installs hey (the HTTP load generator) when the machine lacks it.
need_hey() {
  command -v hey >/dev/null || { echo "Installing hey..."; apt-get update -qq && apt-get install -y -qq hey >/dev/null; }
}

# hey_summary <hey output file>: "requests/s p50_ms p99_ms 2xx other 429s errors" of one hey run (n/a for a latency hey
# did not report).
hey_summary() {
  awk '
    /Requests\/sec:/                { rps = $2 }
    /^ +50% in /                    { p50 = $3 * 1000 }
    /^ +99% in /                    { p99 = $3 * 1000 }
    /^Status code distribution:/    { section = "status"; next }
    /^Error distribution:/          { section = "errors"; next }
    section == "status" && /\[[0-9]+\]/ {
      code = $1; gsub(/[][]/, "", code)
      if (code < 300) ok += $2; else other += $2
      if (code == 429) limited += $2
    }
    section == "errors" && /\[[0-9]+\]/ { n = $1; gsub(/[][]/, "", n); errors += n }
    END { printf "%s %s %s %d %d %d %d\n", rps, (p50 == "" ? "n/a" : p50), (p99 == "" ? "n/a" : p99), ok, other, limited, errors }' "$1"
}

# build <project> <configuration>: dotnet build, quiet; on failure prints the errors and stops the script.
build() {
  local out
  if ! out=$(dotnet build "$1" -c "$2" -v quiet -nologo 2>&1); then
    echo "building $1 ($2) failed:" >&2
    grep -E ': (error|warning) ' <<<"$out" | sort -u >&2 || tail -20 <<<"$out" >&2
    exit 1
  fi
}

# build_apphost <configuration>: builds Binko.AppHost (which builds the api and the worker); sets APPHOST_DLL.
build_apphost() {
  echo "Building Binko.AppHost ($1)..."
  build Binko.AppHost/Binko.AppHost.csproj "$1"
  APPHOST_DLL="$PWD/Binko.AppHost/bin/$1/net10.0/Binko.AppHost.dll"
  [ -f "$APPHOST_DLL" ] || { echo "missing $APPHOST_DLL" >&2; exit 1; }
}

# make_work_dir <name>: a fresh /tmp/<name>-XXXXXX of mode 0711 (as root, Postgres runs as the 'postgres' account,
# which must be able to enter it); sets WORK.
make_work_dir() {
  WORK="$(mktemp -d "/tmp/$1-XXXXXX")"
  chmod 711 "$WORK"
}

# start_apphost <data dir> <log> [NAME=value...]: starts the AppHost (the api, the dashboard and its OTLP endpoint on
# free ports) with those settings in its environment, which the api and the worker inherit; waits for "Binko is ready";
# sets APPHOST_PID and ELAPSED (ms). (Not to be called as $(start_apphost ...): a subshell would lose APPHOST_PID.)
start_apphost() {
  local data="$1" log="$2" t0 deadline
  shift 2
  t0=$(now_ms)
  # From the AppHost's directory, as `dotnet run` starts it: its appsettings.json (plain-HTTP dashboard) is read from there.
  (cd Binko.AppHost && exec env ASPNETCORE_URLS="http://127.0.0.1:$(free_port)" \
    DOTNET_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$(free_port)" "$@" \
    dotnet "$APPHOST_DLL" --AppHost:DataDirectory="$data" --Ports:Api=0 >"$log" 2>&1) &
  APPHOST_PID=$!
  deadline=$(( t0 + START_TIMEOUT_S * 1000 ))
  until grep -qs "Binko is ready" "$log"; do
    if ! kill -0 "$APPHOST_PID" 2>/dev/null; then echo "AppHost exited during start:" >&2; cat "$log" >&2; exit 1; fi
    if (( $(now_ms) > deadline )); then echo "not ready within ${START_TIMEOUT_S}s:" >&2; cat "$log" >&2; exit 1; fi
    sleep 0.05
  done
  ELAPSED=$(( $(now_ms) - t0 ))
}

# api_url <log>: the api's URL, as the AppHost printed it once ready.
api_url() {
  grep -oE "Binko is ready: the api is at http://[^ ]+" "$1" | head -1 | grep -oE 'http://.*'
}

# api_pid: the process id of an api replica: the `dotnet run` that DCP started for it (its environment is the api's),
# found below the DCP that watches this AppHost.
api_pid() {
  local dcp controllers
  dcp=$(pgrep -f -- "dcp start-apiserver --monitor $APPHOST_PID( |$)" | head -1) || true
  [ -n "$dcp" ] || return 0
  controllers=$(pgrep -P "$dcp" | head -1) || true
  [ -n "$controllers" ] || return 0
  pgrep -P "$controllers" -f "Binko.Api.csproj" | head -1 || true
}

# process_env <pid> <name>: that environment variable of a running process (empty when it has none), e.g. the
# ConnectionStrings__binkodb the AppHost gave the api.
process_env() {
  tr '\0' '\n' <"/proc/$1/environ" | sed -n "s/^$2=//p"
}

# api_binkodb: the api's ConnectionStrings__binkodb (from its environment); the script stops without it.
api_binkodb() {
  local pid value
  pid=$(api_pid)
  [ -n "$pid" ] || { echo "no api process found below this AppHost's DCP" >&2; return 1; }
  value=$(process_env "$pid" ConnectionStrings__binkodb)
  [ -n "$value" ] || { echo "the api (pid $pid) has no ConnectionStrings__binkodb" >&2; return 1; }
  echo "$value"
}

# libpq_conninfo <Npgsql connection string>: the same database as a libpq conninfo, for psql.
libpq_conninfo() {
  tr ';' '\n' <<<"$1" | sed -nE 's/^Host=(.*)/host=\1/p; s/^Port=(.*)/port=\1/p; s/^Username=(.*)/user=\1/p;
    s/^Password=(.*)/password=\1/p; s/^Database=(.*)/dbname=\1/p' | tr '\n' ' '
}

# rate_limit_settings <lifted|off|configured> <policy>: sets API_SETTINGS, what the api runs with. lifted: the policy's
# limit (and the guest daily ceiling) raised out of reach, so the limiter still runs its Redis script on every request
# but rejects nothing; off: no limiter; configured: Binko's own limits.
rate_limit_settings() {
  case "$1" in
    lifted) API_SETTINGS=("RateLimiting__Policies__$2__PermitLimit=2000000000" RateLimiting__GuestDailyLimit=0) ;;
    off) API_SETTINGS=(RateLimiting__Enabled=false) ;;
    configured) API_SETTINGS=() ;;
    *) echo "RATE_LIMITS must be lifted, off or configured" >&2; exit 2 ;;
  esac
}

# check_health <base url>: GET /health answers 200, or the script stops.
check_health() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1/health")" = 200 ] || { echo "$1/health is not 200" >&2; exit 1; }
}

# stop_apphost <data dir>: SIGTERM, then waits (bounded) until the AppHost has exited and nothing of its run is left:
# no DCP process watching it, no process whose command line mentions the data directory; sets ELAPSED (ms).
stop_apphost() {
  local data="$1" t0 deadline
  t0=$(now_ms)
  kill -TERM "$APPHOST_PID"
  deadline=$(( t0 + STOP_TIMEOUT_S * 1000 ))
  while kill -0 "$APPHOST_PID" 2>/dev/null || pgrep -f -- "--monitor $APPHOST_PID( |$)" >/dev/null || pgrep -f -- "$data" >/dev/null; do
    if (( $(now_ms) > deadline )); then
      echo "the AppHost or its processes still run ${STOP_TIMEOUT_S}s after SIGTERM:" >&2
      pgrep -af -- "$APPHOST_PID|$data" >&2 || true
      exit 1
    fi
    sleep 0.02
  done
  ELAPSED=$(( $(now_ms) - t0 ))
  APPHOST_PID=""
}

# stop_pid <pid> <seconds>: SIGTERM, a bounded wait, then SIGKILL; nothing when it is not running.
stop_pid() {
  { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; } || return 0
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 $(( $2 * 10 ))); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

# cleanup_on_exit [command]: on any exit (SIGINT and SIGTERM too), runs command when given, then stops the AppHost
# (and everything it started) and removes $WORK.
cleanup_on_exit() {
  CLEANUP_FIRST="${1:-}"
  trap 'if [ -n "$CLEANUP_FIRST" ]; then $CLEANUP_FIRST; fi; kill_apphost; rm -rf "$WORK"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# kill_apphost: for traps. SIGTERM to a still-running AppHost, a bounded wait, then SIGKILL; DCP, which watches the
# AppHost's process, then stops what it started.
kill_apphost() {
  [ -n "$APPHOST_PID" ] || return 0
  if kill -0 "$APPHOST_PID" 2>/dev/null; then
    kill -TERM "$APPHOST_PID" 2>/dev/null || true
    for _ in $(seq 1 $(( STOP_TIMEOUT_S * 10 ))); do kill -0 "$APPHOST_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$APPHOST_PID" 2>/dev/null || true
  fi
  wait "$APPHOST_PID" 2>/dev/null || true
  APPHOST_PID=""
}
