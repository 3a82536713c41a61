#!/usr/bin/env bash
# Runs every Sluice test: installs missing system packages, builds the tests, runs them.
#
#   scripts/test.sh                          # everything
#   scripts/test.sh --filter FileStreamTests # extra arguments go to `swift test`
#
# Environment:
#   SLUICE_TEST_SERIAL=1   run tests one at a time (`--no-parallel`). By default Swift Testing runs tests in
#                          parallel inside one process; that is fine on 2 cores because database tests use their own
#                          servers and databases per test, but serial runs make a flaky-looking failure easier to read.
#   SLUICE_BUILD_JOBS=N    parallel compile jobs (default: SwiftPM's choice, the number of cores).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH=/opt/swift/usr/bin:$PATH
fi

bash "$ROOT/scripts/install-deps.sh"
# The originals the compatibility tests (CompatTests|DebeziumCompatTests) compare against: Kafka Connect 3.9.0 and a noida-db broker.
bash "$ROOT/scripts/reference.sh" setup
# Confluent's AvroConverter 7.0.16 for AvroCompatTests (~200 MB download once, then cached).
bash "$ROOT/scripts/reference.sh" setup-confluent

build_args=()
if [[ -n ${SLUICE_BUILD_JOBS:-} ]]; then build_args+=(--jobs "$SLUICE_BUILD_JOBS"); fi

echo "test: swift build --build-tests ${build_args[*]}"
swift build --build-tests "${build_args[@]}"

test_args=(--skip-build)
if [[ ${SLUICE_TEST_SERIAL:-0} == 1 ]]; then test_args+=(--no-parallel); fi

if [[ $# -gt 0 ]]; then
    echo "test: swift test ${test_args[*]} $*"
    swift test "${test_args[@]}" "$@"
    exit
fi

# Two phases. Swift Testing runs tests as tasks on the cooperative thread pool, which has one thread per core; the
# connector tests call blocking database and Kafka APIs directly, so running everything at once on 2 cores starves
# the tests that drive real workers over HTTP and wait on timers. Those run second, one at a time.
workers='^(RuntimeTests|IntegrationTests|CompatTests|DebeziumCompatTests)\.'
status=0
echo "test: phase 1/2: unit, database, Kafka client and connector tests (parallel)"
swift test "${test_args[@]}" --skip "$workers" || status=$?
echo "test: phase 2/2: real workers, pipelines, crash and cluster tests (one at a time)"
swift test --skip-build --no-parallel --filter "$workers" || status=$?
exit "$status"
