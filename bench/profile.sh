#!/usr/bin/env bash
# Where an ingested webhook's time goes: runs the bench's --ingest-only mode (32 connections, closed
# loop, 1 s warm-up + 6 s) on a dashboard build and, from 2 s in, reads the dashboard's own
# instruments (meter WeLink.Dashboard.Ingest) with dotnet-counters for 4 s; prints milliseconds per
# stored event for each stage and the writer's SQL statements, and statements per event.
#   bench/profile.sh [dashboard dll, default this tree's Release build] [--trace]
# --trace also records a dotnet-trace (sampled thread time) of the same window next to the counters.
# Build first (bench/run.sh's builds, or dotnet build -c Release of src/WeLink.Dashboard and the bench).
set -euo pipefail
cd "$(dirname "$0")/.."
dll=${1:-$PWD/src/WeLink.Dashboard/bin/Release/net10.0/WeLink.Dashboard.dll}
trace=${2:-}
bench=bench/WeLink.Dashboard.Bench/bin/Release/net10.0/WeLink.Dashboard.Bench.dll
out=$(mktemp -d /tmp/welink-profile.XXXXXX)
dotnet tool restore > /dev/null
echo "load before: $(cat /proc/loadavg)"
dotnet "$bench" --ingest-only --dll "$dll" > "$out/bench.txt" 2>&1 &
bpid=$!
pid=
for _ in $(seq 1 600); do
  pid=$(pgrep -P "$bpid" -f WeLink.Dashboard.dll | head -1 || true)
  [ -n "$pid" ] && break
  sleep 0.1
done
[ -n "$pid" ] || { echo "the dashboard did not start"; cat "$out/bench.txt"; exit 1; }
# The bench starts the dashboard once its bodies are ready, then warms up for 1 s and measures for 6 s.
sleep 2.5
if [ "$trace" = "--trace" ]; then
  dotnet dotnet-trace collect -p "$pid" --profile dotnet-sampled-thread-time,dotnet-common --duration 00:00:00:04 -o "$out/ingest.nettrace" > "$out/trace.log" 2>&1 &
fi
dotnet dotnet-counters collect -p "$pid" --refresh-interval 1 --maxTimeSeries 2000 --format json -o "$out/counters.json" --duration 00:00:00:04 \
  --counters "WeLink.Dashboard.Ingest[welink.ingest.stage.time,welink.ingest.statement.time,welink.ingest.statement.count,welink.ingest.operations]" \
  > "$out/counters.log" 2>&1
wait "$bpid"
wait
echo "load after: $(cat /proc/loadavg)"
tail -1 "$out/bench.txt"
python3 - "$out/counters.json" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read().replace('"Events": ]', '"Events": []')
events = json.loads(text)["Events"]
sums = {}
for e in events:
    tag = e.get("tags", "")
    name = re.sub(r" \(.*\)$", "", e["name"])
    sums[(name, tag)] = sums.get((name, tag), 0.0) + float(e["value"])
def tagged(name, key):
    return {re.sub(rf"^.*{key}=([^,]*).*$", r"\1", t): v for (n, t), v in sums.items() if n == name}
stored = tagged("welink.ingest.operations", "operation").get("StoreWebhookEvent", 0)
if stored == 0:
    print("no events stored in the window"); sys.exit(1)
print(f"\n{stored:.0f} events stored in the 4 s window ({stored / 4:.0f}/s)\n")
print("| stage | ms per event |\n|---|---:|")
order = ["handler", "read", "parse", "verify", "store", "queued", "apply StoreWebhookEvent", "classify", "commit", "publish"]
stages = tagged("welink.ingest.stage.time", "stage")
for s in order + sorted(k for k in stages if k not in order):
    if s in stages: print(f"| {s} | {stages[s] / stored:.3f} |")
times = tagged("welink.ingest.statement.time", "statement")
counts = tagged("welink.ingest.statement.count", "statement")
print("\n| writer statement | ms per event | statements per event |\n|---|---:|---:|")
for s, v in sorted(times.items(), key=lambda kv: -kv[1]):
    print(f"| {s} | {v / stored:.3f} | {counts.get(s, 0) / stored:.2f} |")
print(f"| all | {sum(times.values()) / stored:.3f} | {sum(counts.values()) / stored:.2f} |")
PY
echo "raw files: $out"
