#!/usr/bin/env bash
# Ack and push latency at a steady 1,000 events/s (after a 5 s closed-loop warm-up, 10 s measured) of this tree's
# dashboard against another build's, runs interleaved (A B A B ...) so both see the same load.
#   bench/steady-compare.sh /path/to/other/WeLink.Dashboard.dll [rounds, default 5] [--steady-warm S]
# Build both in Release first (bench/run.sh's builds for this tree). Prints each run and the load average.
exec "$(dirname "$0")/ingest-compare.sh" --steady "$@"
