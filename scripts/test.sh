#!/usr/bin/env bash
# Runs the whole test suite: build (Release), in-process tests (xUnit), then the end-to-end,
# compatibility and conformance suites that drive the real server with the official Better Auth client, and the
# package check (scripts/package-smoke.sh: pack, then build and run the sample and a template project from the packages).
# Every runner writes a result file under .artifacts/test (xUnit: TRX; Node and the package check: TAP); the closing
# line "N passed, N failed" is counted from those files (scripts/test-results.mjs), with the failed tests named above it.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
logs="$root/.artifacts/test"
rm -rf "$logs"; mkdir -p "$logs"

bash scripts/setup.sh || { echo "setup failed"; exit 1; }

echo "== build (Release)"
dotnet build BetterAuth.sln -c Release -nologo -v q > "$logs/build.log" 2>&1
build_status=$?
# Every warning and error once (MSBuild repeats them in its summary), then its counts.
grep -E ': (warning|error) [A-Z]+[0-9]+' "$logs/build.log" | sort -u
grep -E '^ +[0-9]+ (Warning|Error)\(s\)$' "$logs/build.log"
[ "$build_status" -eq 0 ] || { tail -n 20 "$logs/build.log"; echo "build failed"; exit 1; }
# The build fails on any analyzer or compiler warning (TreatWarningsAsErrors, AnalysisLevel latest-recommended,
# eng/*.globalconfig); formatting is checked against .editorconfig the same way: a file dotnet format would change fails.
# Recorded as a result (format.tap) and the run goes on, so a formatting slip does not hide the tests' results.
status=0
echo "== format (dotnet format --verify-no-changes)"
if dotnet format BetterAuth.sln --verify-no-changes --no-restore > "$logs/format.log" 2>&1; then format="ok 1"
else
  grep -E ': (error|warning) ' "$logs/format.log" | sed "s|$root/||" | sort -u | head -n 100
  echo "format check failed: run \`dotnet format BetterAuth.sln\` and commit"; format="not ok 1"; status=1
fi
printf 'TAP version 13\n%s - dotnet format --verify-no-changes\n1..1\n' "$format" > "$logs/format.tap"

# Throwaway PostgreSQL and Redis on loopback (scripts/services.sh), shared by every suite below, stopped at exit.
services_dir=$(mktemp -d /tmp/better-auth-services-XXXXXX)
trap 'bash scripts/services.sh stop "$services_dir"' EXIT
services_env=$(bash scripts/services.sh start "$services_dir") || { echo "services failed to start"; exit 1; }
eval "$services_env"

echo "== in-process tests (xUnit)"
dotnet test tests/BetterAuth.Tests -c Release --no-build -nologo --logger "console;verbosity=minimal" \
  --logger "trx;LogFileName=$logs/dotnet.trx" 2>&1 | tee "$logs/dotnet.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== in-process tests again on PostgreSQL, with Redis secondary storage"
BETTER_AUTH_TEST_DATABASE=postgres BETTER_AUTH_TEST_REDIS_STORAGE=1 \
  dotnet test tests/BetterAuth.Tests -c Release --no-build -nologo --logger "console;verbosity=minimal" \
  --logger "trx;LogFileName=$logs/dotnet-postgres.trx" 2>&1 | tee "$logs/dotnet-postgres.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== packages: pack every package, then build and smoke-test the sample and a template project from them only"
PACKAGE_SMOKE_TAP="$logs/packages.tap" bash scripts/package-smoke.sh 2>&1 | tee "$logs/packages.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== end-to-end, compatibility and conformance suites (Node, official better-auth client)"
# Every server the suites start records the operations it serves here (e2e/lib/servers.mjs); see coverage below.
export BETTER_AUTH_COVERAGE_DIR="$root/.artifacts/coverage"
rm -rf "$BETTER_AUTH_COVERAGE_DIR"; mkdir -p "$BETTER_AUTH_COVERAGE_DIR"
(cd e2e && node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$logs/node.tap" ./tests/) 2>&1 | tee "$logs/node.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== operation coverage of the Node suites (all of the spec's operations must be reached)"
(cd e2e && node coverage.mjs "$BETTER_AUTH_COVERAGE_DIR") 2>&1 | tee "$logs/coverage.log"
if [ "${PIPESTATUS[0]}" -eq 0 ]; then coverage="ok 1"; else coverage="not ok 1"; status=1; fi
printf 'TAP version 13\n%s - operation coverage of the Node suites\n1..1\n' "$coverage" > "$logs/coverage.tap"

echo "== results (from the runners' result files)"
node scripts/test-results.mjs "$logs/dotnet.trx" "$logs/dotnet-postgres.trx" "$logs/packages.tap" "$logs/node.tap" "$logs/coverage.tap" "$logs/format.tap" \
  || status=1
exit $status
