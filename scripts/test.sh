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
#   SLUICE_PHASE1_LIMIT=S, SLUICE_PHASE2_LIMIT=S
#                          seconds after which a phase counts as hung: its unfinished tests are named, the test
#                          process's threads are backtraced and it is killed (default 1800 and 2400).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH=/opt/swift/usr/bin:$PATH
fi

SLUICE_EXTRA_PACKAGES=gdb bash "$ROOT/scripts/install-deps.sh"
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

# A test that hangs must not silently eat CI's time limit: each phase runs under a watchdog that, past its limit, names
# the tests that started and never finished, prints every thread of the test process (gdb, file:line frames), and
# kills it. Output is line-buffered so the log is complete up to the moment of a hang.
unfinished_tests() {
    awk '
        /^◇ Test / && / started\.$/ && !/^◇ Test (run|case passing)/ {
            n = $0; sub(/^◇ Test /, "", n); sub(/ started\.$/, "", n); open[n]++ }
        /^[✔✘] Test / && !/^[✔✘] Test (run|case) / && / (passed|failed) after / {
            n = $0; sub(/^[✔✘] Test /, "", n); sub(/ (with [0-9]+ test cases? )?(passed|failed) after .*$/, "", n)
            if (open[n] > 0) open[n]-- }
        END { for (n in open) if (open[n] > 0) print "test:   " n }' "$1"
}

run_phase() {  # LABEL LIMIT_SECONDS swift-test-arguments...
    local label=$1 limit=$2
    shift 2
    local log
    log=$(mktemp -t sluice-test.XXXXXX.log)
    stdbuf -oL -eL swift test "$@" > >(tee "$log") 2>&1 &
    local pid=$!
    (
        trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
        sleep "$limit" >/dev/null 2>&1 &
        sleeper=$!
        wait "$sleeper"
        echo "test: $label is still running after $limit s"
        for p in $(pgrep -f 'PackageTests\.xctest'); do
            echo "test: the threads of test process $p (gdb), then it is killed:"
            timeout 180 gdb -p "$p" -batch -nx -ex 'set print frame-arguments none' -ex 'thread apply all bt 40' 2>&1 \
                | grep -E '^Thread|^#.* at /[^ ]+\.swift:' | sed -E 's/^(#[0-9]+) .* at (\/[^ ]+\.swift:[0-9]+)$/\1 \2/' || true
            kill -KILL "$p" 2>/dev/null || true
        done
        echo "test: $label was stopped after $limit s; tests that started and did not finish:"
        unfinished_tests "$log"
    ) &
    local watchdog=$!
    local rc=0
    wait "$pid" || rc=$?
    kill "$watchdog" 2>/dev/null || true
    wait "$watchdog" 2>/dev/null || true
    return "$rc"
}

# Two phases. Swift Testing runs tests as tasks on the cooperative thread pool, which has one thread per core; the
# connector tests call blocking database and Kafka APIs directly, so running everything at once on 2 cores starves
# the tests that drive real workers over HTTP and wait on timers. Those run second, one at a time.
# Limits: a normal run takes 7 and 13 minutes here; a machine twice as slow still fits, a hang does not.
workers='^(RuntimeTests|IntegrationTests|CompatTests|DebeziumCompatTests)\.'
status=0
echo "test: phase 1/2: unit, database, Kafka client and connector tests (parallel)"
run_phase "phase 1/2" "${SLUICE_PHASE1_LIMIT:-1800}" "${test_args[@]}" --skip "$workers" || status=$?
echo "test: phase 2/2: real workers, pipelines, crash and cluster tests (one at a time)"
run_phase "phase 2/2" "${SLUICE_PHASE2_LIMIT:-2400}" --skip-build --no-parallel --filter "$workers" || status=$?
exit "$status"
