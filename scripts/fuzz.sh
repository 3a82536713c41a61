#!/usr/bin/env bash
# libFuzzer targets for Sluice's parsers (swiftc -sanitize=fuzzer,address with the toolchain's own libFuzzer):
#   json        SluiceAPI JSONReader + JSONWriter round trip: REST request bodies, JsonConverter, offsets/config files
#   properties  Runtime JavaProperties: worker/connector .properties and REST users files
#   csv         SpoolDir CSVParser under every option combination and chunk size
#   pgoutput    CDC pgoutput logical-replication message decoder
#   jaas        Runtime JaasConfig: java.security.auth.login.config files (REST basic auth)
#   spooljson   SpoolDir JSON input: JSONObjectScanner + JSONReader, any chunking gives the same documents
#   registry    AvroConverter, ProtobufConverter and JsonSchemaConverter reading record values (wire header + payload)
#
#   scripts/fuzz.sh [TARGET...]   build and run each for FUZZ_RUNS executions (default 10,000,000) or FUZZ_SECONDS
#                                 seconds (default 600), whichever comes first; all targets when none is named
# Needs one `swift build` first (csv, pgoutput, jaas, spooljson and registry link the Logging module it builds). Crashes are written to
# .build/fuzz/<target>/; committed seed corpora (and regression inputs) live in Fuzz/<target>/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
RUNS=${FUZZ_RUNS:-10000000}
MAX_SECONDS=${FUZZ_SECONDS:-600}
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(json properties csv pgoutput jaas spooljson registry)
FLAGS=(-sanitize=fuzzer,address -parse-as-library -O)
quiet() { grep -v 'Cannot export local symbol' || true; }

# A module of Sources/ as an instrumented static library (`module NAME`), for targets whose sources import it.
module() {
    local lib=.build/fuzz/lib name=$1
    [[ -f $lib/lib$name.a ]] && return
    [[ -d .build/debug/Logging.build ]] || swift build --target SluiceAPI
    mkdir -p "$lib/mods"
    # shellcheck disable=SC2046
    swiftc "${FLAGS[@]}" -module-name "$name" -emit-module -emit-module-path "$lib/mods/$name.swiftmodule" \
        -emit-library -static -o "$lib/lib$name.a" $(find "Sources/$name" -name '*.swift') -I "$lib/mods" -I .build/debug/Modules \
        -I Sources/COpenSSL 2>&1 | quiet
}
lib() { module SluiceAPI; }

build() {
    local t=$1 out=.build/fuzz/$1
    case $t in
        json) swiftc "${FLAGS[@]}" Sources/SluiceAPI/JSON/*.swift Fuzz/json/main.swift -o "$out/fuzz" 2>&1 | quiet ;;
        properties) swiftc "${FLAGS[@]}" Sources/Runtime/Config/JavaProperties.swift Fuzz/properties/main.swift -o "$out/fuzz" 2>&1 | quiet ;;
        csv|pgoutput|jaas|spooljson)
            lib
            local srcs
            case $t in
                csv) srcs=(Sources/SpoolDir/{CSVParser,CSVOptions,CSVRow,ByteSource,ChunkBuffer}.swift) ;;
                pgoutput) srcs=(Sources/CDC/PgOutput/*.swift) ;;
                jaas) srcs=(Sources/Runtime/REST/Security/JaasConfig.swift) ;;
                spooljson) srcs=(Sources/SpoolDir/{JSONObjectScanner,ByteSource,ChunkBuffer}.swift) ;;
            esac
            swiftc "${FLAGS[@]}" -module-name "Fuzz_$t" -I .build/fuzz/lib/mods -I .build/debug/Modules "${srcs[@]}" \
                Fuzz/"$t"/main.swift .build/fuzz/lib/libSluiceAPI.a .build/debug/Logging.build/*.o -o "$out/fuzz" 2>&1 | quiet ;;
        registry)
            # The converters need SluiceAPI, JavaCompat, Converters and BlockingHTTP (the registry client's HTTP/TLS,
            # OpenSSL); the SchemaRegistry sources compile with the target.
            lib; module JavaCompat; module Converters; module BlockingHTTP
            # shellcheck disable=SC2046
            swiftc "${FLAGS[@]}" -module-name Fuzz_registry -I .build/fuzz/lib/mods -I .build/debug/Modules -I Sources/COpenSSL \
                $(find Sources/SchemaRegistry -name '*.swift') Fuzz/registry/main.swift .build/fuzz/lib/libConverters.a \
                .build/fuzz/lib/libBlockingHTTP.a .build/fuzz/lib/libJavaCompat.a .build/fuzz/lib/libSluiceAPI.a \
                .build/debug/Logging.build/*.o -lssl -lcrypto -o "$out/fuzz" 2>&1 | quiet ;;
        *) echo "unknown target $t (json, properties, csv, pgoutput, jaas, spooljson, registry)" >&2; exit 2 ;;
    esac
}

status=0
for t in "${TARGETS[@]}"; do
    out=.build/fuzz/$t
    mkdir -p "$out/corpus"
    cp Fuzz/"$t"/corpus/* "$out/corpus/"
    build "$t"
    echo "== $t: up to $RUNS runs / $MAX_SECONDS s"
    # registry: LeakSanitizer reports the same 61 allocations (2.5 KB) at exit whatever the number of runs: the
    # per-schema read plans built once at setup (a fixed cost, not a per-record leak), so leak checks are off there.
    leaks=1
    [[ $t == registry ]] && leaks=0
    if ! (cd "$out" && ASAN_OPTIONS=detect_leaks=$leaks ./fuzz -runs="$RUNS" -max_total_time="$MAX_SECONDS" -max_len=4096 -detect_leaks=$leaks -print_final_stats=1 corpus >log.txt 2>&1); then
        status=1
    fi
    grep -E 'stat::number_of_executed_units|^Done|ERROR|SUMMARY|Test unit written' "$out/log.txt" || true
done
exit $status
