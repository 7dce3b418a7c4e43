#!/usr/bin/env bash
# Where an ingested webhook's time goes: runs the bench's --ingest-only mode (32 connections, closed
# loop, 1 s warm-up + 6 s) on a dashboard build and reads the totals of the dashboard's own
# instruments (meter WeLink.Dashboard.Ingest, and Kestrel's http.server.request.duration) from its
# GET /bench/profile (mapped with the bench's Ingest:BenchmarkNoOpEndpoint) before and after a 4 s
# window from 2.5 s in; prints milliseconds per stored event for each stage and for the writer's SQL
# statements, and statements per event.
#   bench/profile.sh [dashboard dll, default this tree's Release build] [--trace]
# --trace also records a dotnet-trace (sampled thread time) of the same window.
# (The same instruments can be read with `dotnet dotnet-counters monitor --counters WeLink.Dashboard.Ingest`.)
# Build first (bench/run.sh's builds, or dotnet build -c Release of src/WeLink.Dashboard and the bench).
set -euo pipefail
cd "$(dirname "$0")/.."
dll=${1:-$PWD/src/WeLink.Dashboard/bin/Release/net10.0/WeLink.Dashboard.dll}
trace=${2:-}
bench=bench/WeLink.Dashboard.Bench/bin/Release/net10.0/WeLink.Dashboard.Bench.dll
out=$(mktemp -d /tmp/welink-profile.XXXXXX)
[ "$trace" = "--trace" ] && dotnet tool restore > /dev/null
echo "load before: $(cat /proc/loadavg)"
dotnet "$bench" --ingest-only --dll "$dll" > "$out/bench.txt" 2>&1 &
bpid=$!
pid=
for _ in $(seq 1 1800); do
  pid=$(pgrep -P "$bpid" -f WeLink.Dashboard.dll | head -1 || true)
  [ -n "$pid" ] && break
  sleep 0.1
done
[ -n "$pid" ] || { echo "the dashboard did not start"; cat "$out/bench.txt"; exit 1; }
port=$(ps -o args= -p "$pid" | sed -n 's/.*--urls http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p')
# The bench loads once the dashboard answers, warms up for 1 s and measures for 6 s: the window starts 1.5 s in.
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/bench/profile" > /dev/null 2>&1 && break; sleep 0.1; done
sleep 1.5
if [ "$trace" = "--trace" ]; then
  dotnet dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time,dotnet-common --duration 00:00:00:04 -o "$out/ingest.nettrace" > "$out/trace.log" 2>&1 &
fi
curl -sf "http://127.0.0.1:$port/bench/profile" > "$out/before.json"
sleep 4
curl -sf "http://127.0.0.1:$port/bench/profile" > "$out/after.json"
wait "$bpid"
wait
echo "load after: $(cat /proc/loadavg)"
tail -1 "$out/bench.txt"
python3 - "$out/before.json" "$out/after.json" <<'PY'
import json, sys
def load(p):
    return {(t["instrument"], t["tag"]): (t["sum"], t["count"]) for t in json.load(open(p))}
before, after = load(sys.argv[1]), load(sys.argv[2])
delta = {k: (v[0] - before.get(k, (0, 0))[0], v[1] - before.get(k, (0, 0))[1]) for k, v in after.items()}
def tagged(name):
    return {tag: v for (inst, tag), v in delta.items() if inst == name}
stored = tagged("welink.ingest.operations").get("StoreWebhookEvent", (0, 0))[0]
if stored == 0:
    print("no events stored in the window"); sys.exit(1)
print(f"\n{stored:.0f} events stored in the 4 s window ({stored / 4:.0f}/s)\n")
print("| stage | ms per event |\n|---|---:|")
for route, (ms, n) in tagged("http.server.request.duration").items():
    if route and "webhooks" in route: print(f"| HTTP request (Kestrel, {route}) | {ms / n:.3f} |")
order = ["handler", "read", "parse", "verify", "store", "queued", "apply StoreWebhookEvent", "classify", "commit", "publish"]
stages = {k: v[0] for k, v in tagged("welink.ingest.stage.time").items()}
for s in order + sorted(k for k in stages if k not in order):
    if s in stages: print(f"| {s} | {stages[s] / stored:.3f} |")
times = {k: v[0] for k, v in tagged("welink.ingest.statement.time").items()}
counts = {k: v[0] for k, v in tagged("welink.ingest.statement.count").items()}
print("\n| writer statement | ms per event | statements per event |\n|---|---:|---:|")
for s, v in sorted(times.items(), key=lambda kv: -kv[1]):
    print(f"| {s} | {v / stored:.3f} | {counts.get(s, 0) / stored:.2f} |")
print(f"| all | {sum(times.values()) / stored:.3f} | {sum(counts.values()) / stored:.2f} |")
PY
echo "raw files: $out"
