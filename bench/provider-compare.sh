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

bench_name=provider-compare pg_max_connections=200
. bench/private-postgres.sh

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
