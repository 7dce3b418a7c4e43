#!/usr/bin/env bash
# Runs every test of WeLink.Dashboard: unit, component, integration, reliability and browser tests.
# Installs what the tests need when it is missing (Debian's Chromium for the browser tests).
# Prints a closing line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
if [ ! -x /usr/bin/chromium ]; then
  echo "run-tests: installing Debian's chromium for the browser tests (apt-get install chromium)"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
     || ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; then
    echo "run-tests: could not install chromium; the browser tests need /usr/bin/chromium" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  [ -x /usr/bin/chromium ] || { echo "run-tests: chromium installed but /usr/bin/chromium is missing" >&2; echo "0 passed, 1 failed"; exit 1; }
  echo "run-tests: installed $(/usr/bin/chromium --version 2>/dev/null | head -1)"
fi

dotnet tool restore >/dev/null || { echo "run-tests: dotnet tool restore failed" >&2; echo "0 passed, 1 failed"; exit 1; }
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build WeLink.Dashboard.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
dotnet test WeLink.Dashboard.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" "$@"
status=$?

# VSTest's own summary is per assembly; add the TRX counts up into one closing line.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); p=${p:-0}
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=${f:-0}
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); t=${t:-0}
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters"); e=${e:-0}
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
