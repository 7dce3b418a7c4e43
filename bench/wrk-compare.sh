#!/usr/bin/env bash
# Ingest against the no-op endpoint with wrk as the load generator, beside the bench's C# one:
# wrk (C, event loop) costs the two shared cores less per request than the C# closed loop, so the
# ratio it sees is nearer the dashboard's own. One Release dashboard on 127.0.0.1 with its own SQLite
# file under /var/tmp; unique signed bodies exported from the bench's EventPool (--export-bodies),
# each wrk thread reading its own slice so that no body is ever sent twice to the webhook. Both
# endpoints are warmed first, then runs alternate no-op / ingest (A B A B A B) at 32 connections and
# then at 1 connection; medians with their spread, the ratio, and /proc/loadavg beside each run.
#   bench/wrk-compare.sh [--rounds N] [--seconds S] [--warm S] [--summary FILE] [--no-build] [--dll FILE] [--rate-cap N]
# --dll runs another Release build of the dashboard (an A/B against this tree: run the script once with each).
# --rate-cap N: bodies exported for up to N events/s in each ingest run (default 8,000; bench/floor-compare.sh raises
# it for a build that stores nothing).
# Installs wrk with apt when it is missing (benchmarks only; never part of the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 seconds=10 warm=10 summary="" build=1 dll="" rate_cap=8000
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warm) warm=$2; shift 2 ;;
    --summary) summary=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --dll) dll=$(realpath "$2"); shift 2 ;;
    --rate-cap) rate_cap=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

if ! command -v wrk >/dev/null; then
  . bench/apt-install.sh
  apt_install "the load generator" wrk
fi
if [ "$build" = 1 ]; then
  dotnet build src/WeLink.Dashboard/WeLink.Dashboard.csproj -c Release -nologo -v q >/dev/null
  dotnet build bench/WeLink.Dashboard.Bench/WeLink.Dashboard.Bench.csproj -c Release -nologo -v q >/dev/null
fi
[ -n "$dll" ] || dll=$PWD/src/WeLink.Dashboard/bin/Release/net10.0/WeLink.Dashboard.dll
bench=bench/WeLink.Dashboard.Bench/bin/Release/net10.0/WeLink.Dashboard.Bench.dll
work=$(mktemp -d /var/tmp/welink-wrk-XXXXXX)
secret=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  [ -n "${WRK_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

# The app's own folder is its content root (appsettings.json), as when the bench starts it.
# Enough unique bodies for every ingest run at up to --rate-cap events/s (a run that uses its slice up stops sending,
# so its rate reads as the cap: the cap must stay above the build's rate).
per_run=$(( (seconds > warm ? seconds : warm) * rate_cap ))
ingest_runs=$(( 1 + rounds * 2 ))
total=$(( per_run * ingest_runs ))
echo "Exporting $total signed bodies…"
dotnet "$bench" --export-bodies "$work/bodies.txt" "$total" --secret "$secret" >/dev/null

ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production \
ConnectionStrings__Dashboard="Data Source=$work/wrk.db" WeLink__WebhookSecret="$secret" \
Ingest__BenchmarkNoOpEndpoint=true Dashboard__AdminPassword="wrk-$secret" \
Serilog__WriteTo__1__Args__path="$work/logs/dashboard-.log" Serilog__MinimumLevel__Default=Warning \
  bash -c 'cd "$(dirname "$1")" && exec dotnet "$1" --urls "$2"' _ "$dll" "$base" >"$work/console.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "$base/healthz" >/dev/null || { echo "the dashboard did not start:"; tail -20 "$work/console.log"; exit 1; }

next=1
# Cuts the next $1 bodies into $2 per-thread files "$work/slice.<thread>" (no line in two of them).
slice() {
  local count=$1 threads=$2 each=$(( $1 / $2 )) t
  for t in $(seq 0 $(( threads - 1 ))); do
    sed -n "$(( next + t * each )),$(( next + (t + 1) * each - 1 ))p" "$work/bodies.txt" >"$work/slice.$t"
  done
  next=$(( next + count ))
}

# run <noop|ingest> <connections> <seconds>: one wrk run; sets RESULT to "<req/s> <p50 ms> <p99 ms> <non-2xx+errors> <load>".
run() {
  local kind=$1 conns=$2 secs=$3 threads=2 out
  [ "$conns" -lt 2 ] && threads=1
  if [ "$kind" = noop ]; then
    # The no-op endpoint stores nothing: it cycles through the bodies the next ingest run will send.
    slice 20000 "$threads"; next=$(( next - 20000 ))
    out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s bench/wrk/bodies.lua "$base" -- "$work/slice" cycle /bench/noop)
  else
    slice "$per_run" "$threads"
    out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s bench/wrk/bodies.lua "$base" -- "$work/slice" once)
  fi
  local rps line
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
  line=$(echo "$out" | grep '^wrk-summary' || true)
  [ -n "$line" ] || { echo "wrk gave no summary:"; echo "$out"; exit 1; } >&2
  RESULT="$rps $(echo "$line" | sed -E 's/.*p50_ms=([0-9.]+) p99_ms=([0-9.]+) non2xx=([0-9]+) errors=([0-9]+).*/\1 \2 \3+\4/') $(cut -d' ' -f1 /proc/loadavg)"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }
spread() { sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%s–%s", lo, hi}'; }

echo "wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}') against $base; load average before: $(cat /proc/loadavg)"
echo "Warming: ${warm} s no-op, then ${warm} s ingest, 32 connections"
run noop 32 "$warm"
run ingest 32 "$warm"

results=""
for conns in 32 1; do
  noops="" ingests=""
  echo
  echo "$conns connection(s), ${seconds} s per run, no-op / ingest alternating, $rounds rounds:"
  printf '  %-7s %10s %9s %9s %9s %6s\n' run "req/s" "p50 ms" "p99 ms" "non-2xx" load
  for r in $(seq 1 "$rounds"); do
    run noop "$conns" "$seconds"; noops+="${RESULT%% *}"$'\n'
    printf '  %-7s %10s %9s %9s %9s %6s\n' no-op $RESULT
    run ingest "$conns" "$seconds"; ingests+="${RESULT%% *}"$'\n'
    printf '  %-7s %10s %9s %9s %9s %6s\n' ingest $RESULT
  done
  mn=$(printf '%s' "$noops" | median); mi=$(printf '%s' "$ingests" | median)
  ratio=$(awk -v i="$mi" -v n="$mn" 'BEGIN {printf "%.2f", i / n}')
  echo "  median no-op $mn req/s ($(printf '%s' "$noops" | spread)), ingest $mi events/s ($(printf '%s' "$ingests" | spread)): ingest ÷ no-op = $ratio"
  results+="noop$conns=$mn"$'\n'"ingest$conns=$mi"$'\n'"ratio$conns=$ratio"$'\n'
  results+="noop${conns}_spread=$(printf '%s' "$noops" | spread)"$'\n'"ingest${conns}_spread=$(printf '%s' "$ingests" | spread)"$'\n'
done
echo
echo "Load average after: $(cat /proc/loadavg). Load generator: wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}') on the same 2 cores (2 threads at 32 connections, 1 at 1); both endpoints warmed ${warm} s each on the same dashboard before the first measured run."
if [ -n "$summary" ]; then
  { printf '%s' "$results"; echo "warm_seconds=$warm"; echo "run_seconds=$seconds"; echo "rounds=$rounds"; echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"; echo "wrk=$(wrk --version 2>&1 | head -1 | awk '{print $2}')"; } >"$summary"
fi
