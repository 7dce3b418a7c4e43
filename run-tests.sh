#!/usr/bin/env bash
# Runs every test of WeLink.Dashboard: unit, component, integration, reliability and browser tests.
# Installs what the tests need when it is missing (Debian's Chromium for the browser tests, Debian's
# PostgreSQL for the PostgreSQL tests) and runs a private PostgreSQL cluster for the run: its own data
# directory, a free loopback port, its socket in that directory; stopped and deleted at the end.
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
stop_postgres() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT
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

dotnet tool restore >/dev/null || { echo "run-tests: dotnet tool restore failed" >&2; echo "0 passed, 1 failed"; exit 1; }
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build WeLink.Dashboard.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
dotnet test WeLink.Dashboard.sln -c Release --no-build -nologo --blame-hang-timeout 10m \
  --logger "trx" --results-directory "$results" "$@"
status=$?

# VSTest's own summary is per assembly; add the TRX counts up into one closing line.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); p=${p:-0}
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=${f:-0}
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); t=${t:-0}
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters"); e=${e:-0}
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
