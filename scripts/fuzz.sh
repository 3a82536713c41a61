#!/usr/bin/env bash
# libFuzzer targets for Sluice's parsers (swiftc -sanitize=fuzzer,address, the toolchain's own libFuzzer):
#   json        SluiceAPI JSONReader (+ write/read round trip): REST bodies, JsonConverter, offsets/configs files
#   properties  Runtime JavaProperties: worker/connector .properties, users files
#
#   scripts/fuzz.sh [TARGET...]      build and run each for FUZZ_RUNS executions (default 10,000,000) or
#                                    FUZZ_SECONDS seconds (default 600), whichever comes first
# Crashes are written to .build/fuzz/<target>/; the committed seed corpora live in Fuzz/<target>/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
RUNS=${FUZZ_RUNS:-10000000}
SECONDS_MAX=${FUZZ_SECONDS:-600}
targets=("${@:-json properties}")
# shellcheck disable=SC2206
targets=(${targets[*]})
sources() {
    case $1 in
        json) echo Sources/SluiceAPI/JSON/*.swift ;;
        properties) echo Sources/Runtime/Config/JavaProperties.swift ;;
        *) echo "unknown target $1" >&2; exit 2 ;;
    esac
}
for t in "${targets[@]}"; do
    out=.build/fuzz/$t
    mkdir -p "$out/corpus"
    cp Fuzz/"$t"/corpus/* "$out/corpus/" 2>/dev/null || true
    # shellcheck disable=SC2046
    swiftc -sanitize=fuzzer,address -parse-as-library -O $(sources "$t") Fuzz/"$t"/main.swift -o "$out/fuzz" 2>&1 | grep -v 'Cannot export local symbol' || true
    echo "== $t: up to $RUNS runs / $SECONDS_MAX s"
    (cd "$out" && ./fuzz -runs="$RUNS" -max_total_time="$SECONDS_MAX" -max_len=4096 -print_final_stats=1 corpus 2>&1 | grep -E 'stat::number_of_executed_units|Done|ERROR|SUMMARY|crash-' || true)
done
