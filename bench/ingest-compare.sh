#!/usr/bin/env bash
# Ingest throughput (32 connections, closed loop, 1 s warm-up + 6 s measured) of this tree's
# dashboard against another build's, runs interleaved (A B A B ...) so both see the same load.
#   bench/ingest-compare.sh /path/to/other/WeLink.Dashboard.dll [rounds, default 5]
#   bench/ingest-compare.sh --steady ...   the steady 1,000 events/s run instead (bench/steady-compare.sh)
# Arguments after the rounds go to the bench as they are (e.g. --steady-warm 20).
# Build both in Release first (bench/run.sh's builds for this tree). Prints each run and the load average.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=--ingest-only
if [ "${1:-}" = --steady ]; then mode=--steady-only; shift; fi
other=$1
rounds=${2:-5}
extra=("${@:3}")
this=$PWD/src/WeLink.Dashboard/bin/Release/net10.0/WeLink.Dashboard.dll
bench=bench/WeLink.Dashboard.Bench/bin/Release/net10.0/WeLink.Dashboard.Bench.dll
echo "load before: $(cat /proc/loadavg)"
for i in $(seq 1 "$rounds"); do
  for which in this other; do
    dll=$this; [ "$which" = other ] && dll=$other
    echo "round $i $which: $(timeout 120 dotnet "$bench" "$mode" --dll "$dll" "${extra[@]}" | tail -1)"
  done
done
echo "load after: $(cat /proc/loadavg)"
