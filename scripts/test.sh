#!/usr/bin/env bash
# Runs the whole test suite: build (Release), in-process tests (xUnit), then the end-to-end,
# compatibility and conformance suites that drive the real server with the official Better Auth client, and the
# package check (scripts/package-smoke.sh: pack, then build and run the sample and a template project from the packages).
# Prints one closing line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
logs="$root/.artifacts/test"
mkdir -p "$logs"

bash scripts/setup.sh || { echo "setup failed"; exit 1; }

echo "== build (Release)"
dotnet build BetterAuth.sln -c Release -nologo -v q 2>&1 | tail -n 3
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build failed"; exit 1; }

passed=0; failed=0; status=0

# Throwaway PostgreSQL and Redis on loopback (scripts/services.sh), shared by every suite below, stopped at exit.
services_dir=$(mktemp -d /tmp/better-auth-services-XXXXXX)
trap 'bash scripts/services.sh stop "$services_dir"' EXIT
services_env=$(bash scripts/services.sh start "$services_dir") || { echo "services failed to start"; exit 1; }
eval "$services_env"

echo "== in-process tests (xUnit)"
dotnet test tests/BetterAuth.Tests -c Release --no-build -nologo --logger "console;verbosity=minimal" 2>&1 | tee "$logs/dotnet.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
p=$(grep -Eo 'Passed: +[0-9]+' "$logs/dotnet.log" | grep -Eo '[0-9]+' | paste -sd+ | bc); f=$(grep -Eo 'Failed: +[0-9]+' "$logs/dotnet.log" | grep -Eo '[0-9]+' | paste -sd+ | bc)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))

echo "== in-process tests again on PostgreSQL, with Redis secondary storage"
BETTER_AUTH_TEST_DATABASE=postgres BETTER_AUTH_TEST_REDIS_STORAGE=1 \
  dotnet test tests/BetterAuth.Tests -c Release --no-build -nologo --logger "console;verbosity=minimal" 2>&1 | tee "$logs/dotnet-postgres.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
p=$(grep -Eo 'Passed: +[0-9]+' "$logs/dotnet-postgres.log" | grep -Eo '[0-9]+' | paste -sd+ | bc); f=$(grep -Eo 'Failed: +[0-9]+' "$logs/dotnet-postgres.log" | grep -Eo '[0-9]+' | paste -sd+ | bc)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))

echo "== packages: pack every package, then build and smoke-test the sample and a template project from them only"
bash scripts/package-smoke.sh 2>&1 | tee "$logs/packages.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
p=$(sed -n 's/^package smoke: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$logs/packages.log")
f=$(sed -n 's/^package smoke: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$logs/packages.log")
if [ -z "$p" ]; then f=1; status=1; fi
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))

echo "== end-to-end, compatibility and conformance suites (Node, official better-auth client)"
# Every server the suites start records the operations it serves here (e2e/lib/servers.mjs); see coverage below.
export BETTER_AUTH_COVERAGE_DIR="$root/.artifacts/coverage"
rm -rf "$BETTER_AUTH_COVERAGE_DIR"; mkdir -p "$BETTER_AUTH_COVERAGE_DIR"
(cd e2e && node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$logs/node.tap" ./tests/) 2>&1 | tee "$logs/node.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
p=$(grep -E '^# pass ' "$logs/node.tap" | awk '{print $3}'); f=$(grep -E '^# fail ' "$logs/node.tap" | awk '{print $3}')
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))

echo "== operation coverage of the Node suites (all of the spec's operations must be reached)"
if (cd e2e && node coverage.mjs "$BETTER_AUTH_COVERAGE_DIR") 2>&1 | tee "$logs/coverage.log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); status=1
fi

if [ "$passed" -eq 0 ]; then status=1; fi
echo "$passed passed, $failed failed"
exit $status
