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

bench_name=two-instances pg_max_connections=300
. bench/private-postgres.sh

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Ingest, one instance against two on one PostgreSQL, $events events per run, 32 connections, interleaved"
timeout 1800 dotnet "$bench" --instances-compare --provider PostgreSQL --rounds "$rounds" --events "$events"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
