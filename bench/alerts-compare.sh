#!/usr/bin/env bash
# Ingest throughput (32 connections, closed loop, 1 s warm-up + 6 s measured) of this tree's
# dashboard with two alert channels configured (a Webhook and a Slack channel, both posting to a
# local receiver that answers 200) against the same build with none, interleaved (none, two, none,
# two ...) so both see the same load. Prints each run, the alerts the receiver got, and the load average.
#   bench/alerts-compare.sh [rounds, default 3]
# Build in Release first (bench/run.sh's builds).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
dll=$PWD/src/WeLink.Dashboard/bin/Release/net10.0/WeLink.Dashboard.dll
bench=bench/WeLink.Dashboard.Bench/bin/Release/net10.0/WeLink.Dashboard.Bench.dll
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
hits=$(mktemp)
python3 - "$port" "$hits" <<'PY' &
import http.server, sys
port, hits = int(sys.argv[1]), sys.argv[2]
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(hits, "a") as f: f.write(self.path + "\n")
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
PY
receiver=$!
trap 'kill $receiver 2>/dev/null || true; rm -f "$hits"' EXIT
echo "load before: $(cat /proc/loadavg)"
for i in $(seq 1 "$rounds"); do
  echo "round $i none: $(timeout 120 dotnet "$bench" --ingest-only --dll "$dll" | tail -1)"
  : > "$hits"
  echo "round $i two channels: $(Dashboard__PublicUrl=http://127.0.0.1:5000 \
    Alerts__Channels__0__Name=bench-webhook Alerts__Channels__0__Kind=Webhook \
    Alerts__Channels__0__Url=http://127.0.0.1:$port/webhook Alerts__Channels__0__Secret=bench-alert-secret \
    Alerts__Channels__1__Name=bench-slack Alerts__Channels__1__Kind=Slack Alerts__Channels__1__Url=http://127.0.0.1:$port/slack \
    timeout 120 dotnet "$bench" --ingest-only --dll "$dll" | tail -1) (alerts received: $(wc -l < "$hits"))"
done
echo "load after: $(cat /proc/loadavg)"
