#!/usr/bin/env bash
# One command for the whole benchmark: builds Release, starts the dashboard as a child process on
# 127.0.0.1 with its own SQLite file under /var/tmp, runs every measurement and writes the figures
# into BENCHMARKS.md. About 5 minutes on a 2-core machine. Extra arguments go to the bench:
#   --quick        short runs and a 100,000-event seed (a smoke test, not the reference figures)
#   --seed N       seed N events instead of 1,000,000
#   --out FILE     write the figures somewhere else than BENCHMARKS.md
#   --keep         keep the work folder (databases, dashboard logs)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/WeLink.Dashboard/WeLink.Dashboard.csproj -c Release -nologo -v q
dotnet build bench/WeLink.Dashboard.Bench/WeLink.Dashboard.Bench.csproj -c Release -nologo -v q
exec timeout 1200 dotnet bench/WeLink.Dashboard.Bench/bin/Release/net10.0/WeLink.Dashboard.Bench.dll "$@"
