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
#                          [--seconds S] [--warm S] [--summary FILE]
# A ratio here is one wrk-compare run's median of 3 (--seconds each, 10 by default); the table prints every round and
# their medians. --summary writes those medians as <floor>_ratio32=… lines (bench/run.sh puts the row floor in the
# targets table). The build is of the working tree's tracked files as they are (uncommitted changes included).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=2 floors="product row+index row+projections row nothing" seed=0 seconds=10 warm=15 summary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --floors) floors=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warm) warm=$2; shift 2 ;;
    --summary) summary=$2; shift 2 ;;
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
# The tracked files as they are now: a commit of the working tree when it has changes (git stash create stores one
# without touching the tree or the stash list), else HEAD.
rev=$(git stash create); rev=${rev:-$(git rev-parse HEAD)}
label=$(git rev-parse --short HEAD); [ "$rev" = "$(git rev-parse HEAD)" ] || label="$label with uncommitted changes"
git worktree add --detach -q "$tree" "$rev"
if ! git -C "$tree" apply "$PWD/bench/floor.patch"; then
  echo "bench/floor.patch no longer applies to this tree: make the same three switches again and write the patch anew." >&2
  exit 1
fi
echo "Building the floors' build of $label in $tree…"
dotnet build "$tree/src/WeLink.Dashboard/WeLink.Dashboard.csproj" -c Release -nologo -v q >/dev/null
dotnet build "$tree/bench/WeLink.Dashboard.Bench/WeLink.Dashboard.Bench.csproj" -c Release -nologo -v q >/dev/null
dll=$tree/src/WeLink.Dashboard/bin/Release/net10.0/WeLink.Dashboard.dll

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "–"; else if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
value() { grep "^$1=" "$2" | cut -d= -f2; }

for r in $(seq 1 "$rounds"); do
  for f in $floors; do
    echo "Round $r, $f ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1 /proc/loadavg))…"
    run_summary=$(mktemp /var/tmp/welink-floor-run-XXXXXX)
    # A floor that stores nothing answers far faster than 8,000 events/s: enough bodies for it.
    cap=8000; [ "$f" = nothing ] && cap=40000
    if [ "$f" = product ]; then unset WELINK_BENCH_FLOOR; else export WELINK_BENCH_FLOOR=$f; fi
    bench/wrk-compare.sh --no-build --dll "$dll" --rounds 3 --seconds "$seconds" --warm "$warm" --rate-cap "$cap" --summary "$run_summary" | grep -E "median" || true
    unset WELINK_BENCH_FLOOR
    echo "$f $r $(value ingest32 "$run_summary") $(value noop32 "$run_summary") $(value ratio32 "$run_summary") $(value ingest1 "$run_summary") $(value noop1 "$run_summary") $(value ratio1 "$run_summary")" >>"$results"
    rm -f "$run_summary"
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
echo "Floors of $label, $(date -u +%Y-%m-%d) UTC; each ratio against the no-op of its own run (wrk, same two cores):"
printf '| %-16s | %-28s | %6s | %-28s | %6s |\n' build "32 connections ÷ no-op, rounds" median "1 connection ÷ no-op, rounds" median
printf '|%s|%s|%s|%s|%s|\n' ------------------ ------------------------------ -------: ------------------------------ -------:
for f in $floors; do
  r32=$(awk -v f="$f" '$1 == f {printf "%s%s (%s/s)", sep, $5, $3; sep=" / "}' "$results")
  r1=$(awk -v f="$f" '$1 == f {printf "%s%s (%s/s)", sep, $8, $6; sep=" / "}' "$results")
  m32=$(awk -v f="$f" '$1 == f {print $5}' "$results" | median)
  m1=$(awk -v f="$f" '$1 == f {print $8}' "$results" | median)
  printf '| %-16s | %-28s | %6s | %-28s | %6s |\n' "$f" "$r32" "$m32" "$r1" "$m1"
done
if [ -n "$summary" ]; then
  : >"$summary"
  for f in $floors; do
    for k in 3:ingest32 4:noop32 5:ratio32 6:ingest1 7:noop1 8:ratio1; do
      echo "${f}_${k#*:}=$(awk -v f="$f" -v c="${k%%:*}" '$1 == f {print $c}' "$results" | median)" >>"$summary"
    done
  done
fi
if [ "$seed" -gt 0 ]; then
  echo
  for f in product row+index; do
    echo "Seeding $seed events, $f: $(awk -v f="seed-$f" '$1 == f {printf "%s%s s", sep, $3; sep=" / "}' "$results")"
  done
fi
