#!/usr/bin/env bash
# One command for the whole benchmark: builds Release, starts the dashboard as a child process on
# 127.0.0.1 with its own SQLite file under /var/tmp, runs every measurement and writes the figures
# into BENCHMARKS.md. About 15 minutes on a 2-core machine. Extra arguments go to the bench:
#   --quick        short runs and a 100,000-event seed (a smoke test, not the reference figures)
#   --seed N       seed N events instead of 1,000,000
#   --out FILE     write the figures somewhere else than BENCHMARKS.md
#   --keep         keep the work folder (databases, dashboard logs)
#   --no-wrk       skip bench/wrk-compare.sh (ingest ÷ no-op with wrk, run first, on its own dashboard) and the
#                  write path's floor after it (bench/floor-compare.sh --floors row: the event row alone, same measure)
#   --no-pages     skip the runs with and without ten open pages in headless Chromium
#   --pages-only   only those runs, on a fresh dashboard, printed (--rounds N, default 3)
#                  (--paths /a,/b: only those pages, to tell which page costs what;
#                   --pages-warm S: seconds of ingest with the pages open before the rounds, default 30;
#                   --browser-cpu-shares N: Chromium in a CPU cgroup of that weight, root and cgroup v1;
#                   --split-cores: the dashboard alone on core 0, the sender and the browser on core 1, so that
#                   with ÷ without is what serving the pages costs the dashboard, not what rendering them costs;
#                   --browser-profile: Chromium's sampling profiler on every page and Chromium's trace during
#                   each run with pages: self time by script and function, the renderers' task time by thread
#                   and event, printed after it; the trace is kept in /tmp/welink-bench-browser-trace.json)
#   --queries-only only the queries at scale, printed (--db FILE keeps the seeded file for the next run)
#   --seed-only    only the seed of --queries-only, its time printed
#   --limits-only  only what the machine allows (4 KiB write + fsync; SQLite storing the Events row alone), printed
#   --ingest-only  only ingest at 32 connections (--connections N; --writer: the dashboard's CPU and its writer's
#                  time per stored event, by stage and statement), printed
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/WeLink.Dashboard/WeLink.Dashboard.csproj -c Release -nologo -v q
dotnet build bench/WeLink.Dashboard.Bench/WeLink.Dashboard.Bench.csproj -c Release -nologo -v q
args=("$@")
only=0
for a in "$@"; do case "$a" in --pages-only|--queries-only|--seed-only|--ingest-only|--steady-only|--limits-only|--gateway|--export-bodies|--sql) only=1 ;; esac; done
# The runs with open pages (the full run's, or --pages-only) drive Debian's Chromium (Playwright cannot download
# its own browser here): installed when missing, as ./run-tests.sh does, unless --no-pages skips them.
if [[ " $* " != *" --no-pages "* ]] && { [ "$only" = 0 ] || [[ " $* " == *" --pages-only "* ]]; } && [ ! -x /usr/bin/chromium ]; then
  . bench/apt-install.sh
  apt_install "the runs with open pages (or pass --no-pages)" chromium
fi
wrk_summary=""
if [ "$only" = 0 ] && [[ " $* " != *" --no-wrk "* ]]; then
  wrk_summary=$(mktemp /var/tmp/welink-wrk-summary-XXXXXX)
  floor_summary=$(mktemp /var/tmp/welink-floor-summary-XXXXXX)
  if [[ " $* " == *" --quick "* ]]; then
    bench/wrk-compare.sh --no-build --rounds 1 --seconds 3 --warm 3 --summary "$wrk_summary"
    bench/floor-compare.sh --rounds 1 --floors row --seconds 3 --warm 3 --summary "$floor_summary"
  else
    bench/wrk-compare.sh --no-build --summary "$wrk_summary"
    bench/floor-compare.sh --rounds 1 --floors row --summary "$floor_summary"
  fi
  args+=(--wrk "$wrk_summary" --floor "$floor_summary")
fi
status=0
timeout 1500 dotnet bench/WeLink.Dashboard.Bench/bin/Release/net10.0/WeLink.Dashboard.Bench.dll "${args[@]}" || status=$?
[ -n "$wrk_summary" ] && rm -f "$wrk_summary" "$floor_summary"
exit $status
