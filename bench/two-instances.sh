#!/usr/bin/env bash
# One dashboard against two on one PostgreSQL database, nothing in front: the load generator spreads its 32
# connections evenly over the instances' ports. Interleaved one, two, one, two, … in one bench process, the same
# number of events each run (after 2,000 warm-up events), each run on a fresh database. Prints every run with the
# load average, then the medians and the ratios two ÷ one (events/s, ack p50, ack p99).
#   bench/two-instances.sh [--rounds R (default 3)] [--events N (default 20000)] [--no-build]
# PostgreSQL: the server WELINK_TEST_POSTGRES names, else a private cluster started here from Debian's packages
# (run-tests.sh installs them) with PostgreSQL's durable defaults, its data under /var/tmp on the real disk, on a
# free loopback port; stopped and deleted at the end (as bench/provider-compare.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
events=20000
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "two-instances: unknown argument $1" >&2; exit 2 ;;
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
  [ -x "$pg_bin/initdb" ] || { echo "two-instances: no PostgreSQL server binaries (apt-get install postgresql, or set WELINK_TEST_POSTGRES)" >&2; exit 1; }
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
         -o "-p $candidate -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null; then
      port=$candidate; break
    fi
  done
  [ -n "$port" ] || { echo "two-instances: the private PostgreSQL cluster did not start" >&2; tail -20 "$pg_dir/server.log" >&2; exit 1; }
  export WELINK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), private cluster on 127.0.0.1:$port, data in $pg_dir (durable defaults)"
fi

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Ingest, one instance against two on one PostgreSQL, $events events per run, 32 connections, interleaved"
timeout 1800 dotnet "$bench" --instances-compare --provider PostgreSQL --rounds "$rounds" --events "$events"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
