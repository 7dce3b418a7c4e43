#!/usr/bin/env bash
# The write path's floors: what the same machine gives when the dashboard leaves work out, beside the product, in
# one run. bench/floor.patch (applied to a throwaway worktree of HEAD under /var/tmp, never to this tree) reads
# WELINK_BENCH_FLOOR at start:
#   (unset)          the product;
#   row+index        the event row with its indexes and the search index, no projection (no counters, requests,
#                    PIN requests, accounts, alerts) and no live push;
#   row+projections  every projection, no search index;
#   row              the event row with its indexes alone: the durable log the query routes need, nothing else;
#   nothing          read, parsed and verified, then answered 200 without the writer (HTTP's and the signature's share).
# Each floor is measured as the product is: bench/wrk-compare.sh on a fresh dashboard (32 and 1 connections, its
# own no-op in the same run), the floors and the product alternating round by round. With --seed N, the seeder
# then stores N events through the product and through the row+index floor (its index built beside it), alternating.
#   bench/floor-compare.sh [--rounds N] [--floors "product row+index row+projections row nothing"] [--seed N]
# A ratio here is one wrk-compare run's median of 3 (10 s each); the table prints every round and their medians.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=2 floors="product row+index row+projections row nothing" seed=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --floors) floors=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

tree=$(mktemp -d /var/tmp/welink-floor-XXXXXX)
results=$(mktemp /var/tmp/welink-floor-results-XXXXXX)
cleanup() {
  git worktree remove --force "$tree" >/dev/null 2>&1 || rm -rf "$tree"
  git worktree prune
  rm -f "$results"
}
trap cleanup EXIT
git worktree add --detach -q "$tree" HEAD
if ! git -C "$tree" apply "$PWD/bench/floor.patch"; then
  echo "bench/floor.patch no longer applies to HEAD: make the same three switches again and write the patch anew." >&2
  exit 1
fi
echo "Building the floors' build of $(git rev-parse --short HEAD) in $tree…"
dotnet build "$tree/src/WeLink.Dashboard/WeLink.Dashboard.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$tree/bench/WeLink.Dashboard.Bench/WeLink.Dashboard.Bench.csproj" -c Release -nologo -v q >/dev/null
dll=$tree/src/WeLink.Dashboard/bin/Release/net10.0/WeLink.Dashboard.dll

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "–"; else if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
value() { grep "^$1=" "$2" | cut -d= -f2; }

for r in $(seq 1 "$rounds"); do
  for f in $floors; do
    echo "Round $r, $f ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg))…"
    summary=$(mktemp /var/tmp/welink-floor-summary-XXXXXX)
    # A floor that stores nothing answers far faster than 8,000 events/s: enough bodies for it.
    cap=8000; [ "$f" = nothing ] && cap=40000
    if [ "$f" = product ]; then unset WELINK_BENCH_FLOOR; else export WELINK_BENCH_FLOOR=$f; fi
    bench/wrk-compare.sh --no-build --dll "$dll" --rounds 3 --warm 15 --rate-cap "$cap" --summary "$summary" | grep -E "median" || true
    unset WELINK_BENCH_FLOOR
    echo "$f $r $(value ingest32 "$summary") $(value noop32 "$summary") $(value ratio32 "$summary") $(value ingest1 "$summary") $(value noop1 "$summary") $(value ratio1 "$summary")" >>"$results"
    rm -f "$summary"
  done
done

if [ "$seed" -gt 0 ]; then
  bench=$tree/bench/WeLink.Dashboard.Bench/bin/Release/net10.0/WeLink.Dashboard.Bench.dll
  for r in $(seq 1 "$rounds"); do
    for f in product row+index; do
      echo "Seeding $seed events, round $r, $f ($(date -u +%H:%M:%S) UTC)…"
      file=$(mktemp -u /var/tmp/welink-floor-seed-XXXXXX).db
      if [ "$f" = product ]; then unset WELINK_BENCH_FLOOR; else export WELINK_BENCH_FLOOR=$f; fi
      out=$(dotnet "$bench" --seed-only --seed "$seed" --db "$file" --dll "$dll")
      unset WELINK_BENCH_FLOOR
      rm -f "$file" "$file"-* "${file%.db}"-search.db*
      echo "$out" | grep -E "events in|stored in"
      s=$(echo "$out" | sed -nE 's/.* events in ([0-9.]+) s .*/\1/p')
      echo "seed-$f $r $s" >>"$results"
    done
  done
fi

echo
echo "Floors of $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d) UTC; each ratio against the no-op of its own run (wrk, same two cores):"
printf '| %-16s | %-28s | %6s | %-28s | %6s |\n' build "32 connections ÷ no-op, rounds" median "1 connection ÷ no-op, rounds" median
printf '|%s|%s|%s|%s|%s|\n' ------------------ ------------------------------ -------: ------------------------------ -------:
for f in $floors; do
  r32=$(awk -v f="$f" '$1 == f {printf "%s%s (%s/s)", sep, $5, $3; sep=" / "}' "$results")
  r1=$(awk -v f="$f" '$1 == f {printf "%s%s (%s/s)", sep, $8, $6; sep=" / "}' "$results")
  m32=$(awk -v f="$f" '$1 == f {print $5}' "$results" | median)
  m1=$(awk -v f="$f" '$1 == f {print $8}' "$results" | median)
  printf '| %-16s | %-28s | %6s | %-28s | %6s |\n' "$f" "$r32" "$m32" "$r1" "$m1"
done
if [ "$seed" -gt 0 ]; then
  echo
  for f in product row+index; do
    echo "Seeding $seed events, $f: $(awk -v f="seed-$f" '$1 == f {printf "%s%s s", sep, $3; sep=" / "}' "$results")"
  done
fi
