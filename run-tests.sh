#!/usr/bin/env bash
# Runs every test of WeLink.Dashboard: unit, component, integration, reliability and browser tests.
# Installs what the tests need when it is missing (Debian's Chromium for the browser tests).
# Prints a closing line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium for the browser tests..."
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

dotnet tool restore >/dev/null
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
