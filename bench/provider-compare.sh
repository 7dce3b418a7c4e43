#!/usr/bin/env bash
# SQLite beside PostgreSQL, same build, same machine, one run: ingest at 32 connections (closed loop, 1 s
# warm-up + 6 s measured) interleaved SQLite, PostgreSQL, SQLite, ... so both see the same load; then the
# query set of bench/run.sh on N seeded events (30 days) on each. Prints each figure with the load average.
#   bench/provider-compare.sh [--rounds R (default 3)] [--seed N (default 100000)] [--no-build]
# PostgreSQL: the server WELINK_TEST_POSTGRES names, else a private cluster started here from Debian's packages
# (run-tests.sh installs them) with PostgreSQL's durable defaults (fsync and synchronous_commit on: an
# acknowledged event is on disk, as SQLite's synchronous=FULL makes it), its data under /var/tmp on the real
# disk, on a free loopback port; stopped and deleted at the end. Each run makes its databases and drops them.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
seed=100000
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "provider-compare: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ "$build" = 1 ]; then
  dotnet build src/WeLink.Dashboard/WeLink.Dashboard.csproj -c Release -nologo -v q
  dotnet build bench/WeLink.Dashboard.Bench/WeLink.Dashboard.Bench.csproj -c Release -nologo -v q
fi
bench=bench/WeLink.Dashboard.Bench/bin/Release/net10.0/WeLink.Dashboard.Bench.dll

if [ -z "${WELINK_TEST_POSTGRES:-}" ]; then
  pg_bin=""
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_bin=$(pg_config --bindir); fi
  [ -n "$pg_bin" ] || pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r | head -1)
  [ -x "$pg_bin/initdb" ] || { echo "provider-compare: no PostgreSQL server binaries (apt-get install postgresql, or set WELINK_TEST_POSTGRES)" >&2; exit 1; }
  pg_dir=$(mktemp -d /var/tmp/welink-bench-postgres.XXXXXX)
  # initdb refuses root: as root the cluster belongs to the postgres user the package made.
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$pg_dir"; as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
  stop_postgres() {
    [ -f "$pg_dir/data/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$pg_dir"
  }
  trap stop_postgres EXIT
  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; exit 1; }
  port=""
  for _ in 1 2 3 4 5; do
    candidate=$(( 20000 + RANDOM % 40000 ))
    if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then continue; fi
    if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
         -o "-p $candidate -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null; then
      port=$candidate; break
    fi
  done
  [ -n "$port" ] || { echo "provider-compare: the private PostgreSQL cluster did not start" >&2; tail -20 "$pg_dir/server.log" >&2; exit 1; }
  export WELINK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), private cluster on 127.0.0.1:$port, data in $pg_dir (durable defaults)"
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "load before: $(load)"
echo "Ingest, 32 connections, closed loop, interleaved"
for i in $(seq 1 "$rounds"); do
  for provider in Sqlite PostgreSQL; do
    echo "  round $i: $(timeout 180 dotnet "$bench" --ingest-only --provider "$provider" | tail -1) | load $(load)"
  done
done
for provider in Sqlite PostgreSQL; do
  echo "Queries at $seed events on $provider"
  timeout 1500 dotnet "$bench" --queries-only --provider "$provider" --seed "$seed" | sed 's/^/  /'
done
echo "load after: $(load)"
