#!/usr/bin/env bash
# Runs every test of WeLink.Dashboard: unit, component, integration, reliability and browser tests.
# Installs what the tests need when it is missing (Debian's Chromium for the browser tests, Debian's
# PostgreSQL for the PostgreSQL tests, Debian's redis-server for the two-instance tests, Debian's nginx-light
# for the test of the two-instance front) and runs a private
# PostgreSQL cluster for the run (its own data directory, a free loopback port, its socket in that
# directory) and a private Redis (a free loopback port, nothing on disk); stopped and deleted at the end.
# Prints a closing line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
if [ ! -x /usr/bin/chromium ]; then
  echo "run-tests: installing Debian's chromium for the browser tests (apt-get install chromium)"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
     || ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; then
    echo "run-tests: could not install chromium; the browser tests need /usr/bin/chromium" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  [ -x /usr/bin/chromium ] || { echo "run-tests: chromium installed but /usr/bin/chromium is missing" >&2; echo "0 passed, 1 failed"; exit 1; }
  echo "run-tests: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
fi

# nginx, for the test of the README's two-instance front (deploy/nginx): Debian's nginx-light. The test
# runs its own nginx on loopback ports with its own configuration; a system nginx is neither needed nor used.
if ! [ -x /usr/sbin/nginx ] && ! [ -x /usr/bin/nginx ]; then
  echo "run-tests: installing Debian's nginx-light for the front test (apt-get install nginx-light)"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
     || ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light \
            || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }; then
    echo "run-tests: could not install nginx; the front test needs /usr/sbin/nginx" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  { [ -x /usr/sbin/nginx ] || [ -x /usr/bin/nginx ]; } || { echo "run-tests: nginx installed but /usr/sbin/nginx is missing" >&2; echo "0 passed, 1 failed"; exit 1; }
  echo "run-tests: installed $( (/usr/sbin/nginx -v || /usr/bin/nginx -v) 2>&1 | head -1)"
fi

# PostgreSQL: the server binaries of Debian's packages (initdb, pg_ctl), whichever version is installed.
pg_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1 && dir=$(pg_config --bindir 2>/dev/null) && [ -x "$dir/initdb" ]; then
    echo "$dir"; return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}
if ! pg_bin=$(pg_bindir); then
  echo "run-tests: installing Debian's postgresql for the PostgreSQL tests (apt-get install postgresql)"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
     || ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; then
    echo "run-tests: could not install postgresql; the PostgreSQL tests need initdb and pg_ctl" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  pg_bin=$(pg_bindir) || { echo "run-tests: postgresql installed but initdb was not found (pg_config --bindir, /usr/lib/postgresql/*/bin)" >&2; echo "0 passed, 1 failed"; exit 1; }
  echo "run-tests: installed $("$pg_bin/postgres" --version)"
fi

# initdb refuses to run as root: as root the cluster belongs to the postgres user (made by the package).
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/welink-postgres.XXXXXX")
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$pg_dir"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi
redis_dir=""
redis_pid=""
stop_postgres() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$pg_dir"
}
stop_redis() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  fi
  [ -n "$redis_dir" ] && rm -rf "$redis_dir"
}
# One trap for both servers: on a normal end, a failure (exit) and Ctrl-C or kill (exit 130/143 runs it).
stop_servers() {
  stop_redis
  stop_postgres
}
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pg_fail() {
  echo "run-tests: $1; the server's log follows" >&2
  cat "$pg_dir/server.log" "$pg_dir/initdb.log" 2>/dev/null | tail -30 >&2
  echo "0 passed, 1 failed"
  exit 1
}
# Trust on loopback only: the cluster lives for this run, in a folder only its owner can open.
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$pg_dir/initdb.log" 2>&1 \
  || pg_fail "initdb failed"
pg_port=""
for _ in 1 2 3 4 5; do
  port=$(( 20000 + RANDOM % 40000 ))
  # A port something already answers on is taken; otherwise try it (another process may win it first).
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  # fsync off: the tests stop processes, not the machine; max_connections: each test app has its own pool.
  if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
       -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
       start >/dev/null; then
    pg_port=$port; break
  fi
done
[ -n "$pg_port" ] || pg_fail "the private PostgreSQL cluster did not start"
export WELINK_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
echo "run-tests: private PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port ($pg_dir)"

# Redis, for the tests of two instances (live updates across them, shared keys): Debian's redis-server,
# a private one on a free loopback port in its own folder, nothing saved to disk, stopped by the trap above.
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "run-tests: installing Debian's redis-server for the two-instance tests (apt-get install redis-server)"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
     || ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools; then
    echo "run-tests: could not install redis-server; the two-instance tests need redis-server and redis-cli" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  command -v redis-server >/dev/null 2>&1 || { echo "run-tests: redis-server installed but not on PATH" >&2; echo "0 passed, 1 failed"; exit 1; }
  echo "run-tests: installed $(redis-server --version | head -1)"
fi
redis_dir=$(mktemp -d "${TMPDIR:-/tmp}/welink-redis.XXXXXX")
redis_port=""
for _ in 1 2 3 4 5; do
  port=$(( 20000 + RANDOM % 40000 ))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$redis_dir" --daemonize no \
    >"$redis_dir/server.log" 2>&1 &
  redis_pid=$!
  # Up to 30 s for the first PONG; a server that exited (the port was taken after all) tries another port.
  for _ in $(seq 1 300); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then redis_port=$port; break; fi
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$redis_port" ] && break
  kill "$redis_pid" 2>/dev/null; wait "$redis_pid" 2>/dev/null; redis_pid=""
done
if [ -z "$redis_port" ]; then
  echo "run-tests: the private Redis did not start; its log follows" >&2
  tail -30 "$redis_dir/server.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export WELINK_TEST_REDIS="127.0.0.1:$redis_port"
echo "run-tests: private Redis $(redis-server --version | awk '{print $3}' | sed 's/^v=//') on 127.0.0.1:$redis_port ($redis_dir)"

# Two passes. Pass 1: every project on SQLite (the tests that are about PostgreSQL itself start their own
# database on the private cluster). Pass 2: the integration and reliability projects again with
# WELINK_TEST_PROVIDER=PostgreSQL, where every test app gets a PostgreSQL database of its own instead of its
# SQLite file (tests/WeLink.Testing/TestStore.cs); left out of it: tests about SQLite itself (trait
# Provider=SqliteOnly) and those that chose PostgreSQL already and ran in pass 1 (trait Provider=PostgreSql,
# the Data.PostgreSql* tests). Our own option: --pass sqlite|postgresql runs one pass only.
# Other arguments go to dotnet test; a --filter is combined with the pass's own.
passes="sqlite postgresql"
user_filter=""
test_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --pass) passes="${2:-}"; shift 2 ;;
    --pass=*) passes="${1#--pass=}"; shift ;;
    --filter) user_filter="${2:-}"; shift 2 ;;
    --filter=*) user_filter="${1#--filter=}"; shift ;;
    *) test_args+=("$1"); shift ;;
  esac
done
case "$passes" in
  "sqlite postgresql"|sqlite|postgresql) ;;
  *) echo "run-tests: --pass takes sqlite or postgresql" >&2; echo "0 passed, 1 failed"; exit 1 ;;
esac
postgresql_filter="Provider!=SqliteOnly&Provider!=PostgreSql&FullyQualifiedName!~IntegrationTests.Data.PostgreSql"

dotnet tool restore >/dev/null || { echo "run-tests: dotnet tool restore failed" >&2; echo "0 passed, 1 failed"; exit 1; }
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build WeLink.Dashboard.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }

# VSTest's own summary is per assembly; add a folder's TRX counts up into one line "N passed, N failed, N skipped".
count() {
  local passed=0 failed=0 skipped=0 trx counters p f t e
  for trx in "$1"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); p=${p:-0}
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=${f:-0}
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); t=${t:-0}
    e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters"); e=${e:-0}
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
  done
  # A run that failed without a failed test (a crash, a hang, no results) is a failure all the same.
  if [ "$2" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  echo "$passed passed, $failed failed, $skipped skipped"
}
filter_for() {
  if [ -n "$user_filter" ] && [ -n "$1" ]; then echo "($user_filter)&($1)"; else echo "${user_filter:-$1}"; fi
}

status=0
lines=()
total_passed=0; total_failed=0; total_skipped=0
add_line() {
  local name=$1 line=$2 p f s
  read -r p _ f _ s _ <<<"$line"
  total_passed=$((total_passed + p)); total_failed=$((total_failed + f)); total_skipped=$((total_skipped + s))
  lines+=("$name: $line")
  echo "run-tests: $name: $line"
}

if [[ " $passes " == *" sqlite "* ]]; then
  echo "run-tests: pass 1: every project, on SQLite"
  filter=$(filter_for "")
  started=$SECONDS
  env -u WELINK_TEST_PROVIDER dotnet test WeLink.Dashboard.sln -c Release --no-build -nologo --blame-hang-timeout 10m \
    --logger "trx" --results-directory "$results/sqlite" ${filter:+--filter "$filter"} "${test_args[@]}"
  pass_status=$?
  [ "$pass_status" -eq 0 ] || status=$pass_status
  add_line "SQLite pass ($((SECONDS - started)) s)" "$(count "$results/sqlite" "$pass_status")"
fi

if [[ " $passes " == *" postgresql "* ]]; then
  echo "run-tests: pass 2: integration and reliability tests, on PostgreSQL"
  filter=$(filter_for "$postgresql_filter")
  started=$SECONDS
  # Both projects at once, as the solution run does: each writes its own log, printed when both are done.
  pids=()
  for project in WeLink.Dashboard.IntegrationTests WeLink.Dashboard.ReliabilityTests; do
    WELINK_TEST_PROVIDER=PostgreSQL dotnet test "tests/$project" -c Release --no-build -nologo --blame-hang-timeout 10m \
      --logger "trx" --results-directory "$results/postgresql" --filter "$filter" "${test_args[@]}" \
      >"$results/postgresql-$project.log" 2>&1 &
    pids+=($!)
  done
  pass_status=0
  for pid in "${pids[@]}"; do wait "$pid" || pass_status=$?; done
  for project in WeLink.Dashboard.IntegrationTests WeLink.Dashboard.ReliabilityTests; do
    cat "$results/postgresql-$project.log"
  done
  [ "$pass_status" -eq 0 ] || status=$pass_status
  add_line "PostgreSQL pass ($((SECONDS - started)) s)" "$(count "$results/postgresql" "$pass_status")"
fi

for line in "${lines[@]}"; do echo "$line"; done
echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
exit "$status"
