#!/usr/bin/env bash
# The Sluice quickstart: builds `sluice`, starts a standalone worker with the embedded (in-memory) Kafka and a
# FileStream source → Kafka → FileStream sink pipeline, and shows the REST API and the topic.
#
#   scripts/quickstart-kafka.sh          # install what is missing, build, start, demonstrate; Sluice keeps running
#   scripts/quickstart-kafka.sh --stop   # stop the Sluice started by a previous run
#
# Files live in /tmp/sluice-quickstart-kafka (the paths in config/quickstart-*.properties).
# SLUICE_BIN=/path/to/sluice skips the build and uses that binary.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=/tmp/sluice-quickstart-kafka
PORT=8083
REST=http://localhost:$PORT
PIDFILE=$WORK/sluice.pid
LOG=$WORK/sluice.log
TOPIC=connect-test

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'quickstart: error: %s\n' "$*" >&2; exit 1; }

running_pid() {
    [[ -f $PIDFILE ]] || return 1
    local pid
    pid=$(cat "$PIDFILE")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop_sluice() {
    local pid
    if ! pid=$(running_pid); then
        echo "quickstart: no Sluice from the quickstart is running"
        rm -f "$PIDFILE"
        return 0
    fi
    echo "quickstart: stopping Sluice (PID $pid) — SIGTERM lets it flush offsets"
    kill -TERM "$pid"
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; echo "quickstart: stopped"; return 0; }
        sleep 0.1
    done
    echo "quickstart: still running after 10 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PIDFILE"
}

port_in_use() {
    # bash's /dev/tcp: succeeds when something accepts connections on the port.
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

pretty() {
    if command -v python3 >/dev/null 2>&1; then python3 -m json.tool 2>/dev/null || cat; else cat; echo; fi
}

case "${1:-}" in
    --stop) stop_sluice; exit 0 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}"; exit 0 ;;
    "") ;;
    *) die "unknown argument '$1' (use --stop or --help)" ;;
esac

cd "$ROOT"
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH=/opt/swift/usr/bin:$PATH
fi

if pid=$(running_pid); then
    die "a quickstart Sluice is already running (PID $pid). Stop it first: scripts/quickstart-kafka.sh --stop"
fi
if port_in_use; then
    die "port $PORT is already in use (another Kafka Connect or Sluice?). Free it, or stop it, and run again."
fi

say "Installing missing system packages"
bash "$ROOT/scripts/install-deps.sh"

if [[ -n ${SLUICE_BIN:-} ]]; then
    BIN=$SLUICE_BIN
    [[ -x $BIN ]] || die "SLUICE_BIN=$BIN is not an executable file"
    say "Using $BIN (SLUICE_BIN)"
else
    say "Building sluice (release; the first build takes a few minutes)"
    # The Swift runtime and Foundation are linked in, so the binary runs on a machine without a Swift toolchain
    # and starts with less memory (no shared Swift libraries to map).
    swift build -c release --static-swift-stdlib --product sluice
    BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)/sluice
    [[ -x $BIN ]] || die "build finished but $BIN is missing"
fi

say "Preparing $WORK"
mkdir -p "$WORK"
rm -f "$WORK/output.txt" "$WORK/connect.offsets" "$WORK/connect.offsets.connectors.json"
printf '%s\n' "hello from Sluice" "a second line" "and a third" > "$WORK/input.txt"
echo "input file $WORK/input.txt:"
sed 's/^/    /' "$WORK/input.txt"

say "Starting: sluice standalone config/quickstart-kafka-worker.properties config/quickstart-file-source.properties config/quickstart-file-sink.properties"
nohup "$BIN" standalone config/quickstart-kafka-worker.properties \
    config/quickstart-file-source.properties config/quickstart-file-sink.properties \
    >"$LOG" 2>&1 </dev/null &
SLUICE_PID=$!
echo "$SLUICE_PID" > "$PIDFILE"
echo "PID $SLUICE_PID, log $LOG"

ready=0
for _ in $(seq 1 150); do
    if ! kill -0 "$SLUICE_PID" 2>/dev/null; then
        echo "--- last lines of $LOG ---" >&2
        tail -n 30 "$LOG" >&2 || true
        rm -f "$PIDFILE"
        die "sluice exited during startup (see $LOG)"
    fi
    if curl -fsS "$REST/health" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.2
done
if ((ready == 0)); then
    tail -n 30 "$LOG" >&2 || true
    die "sluice did not answer $REST/health within 30 s (PID $SLUICE_PID still running; stop it with scripts/quickstart-kafka.sh --stop)"
fi
echo "healthy: $(curl -fsS "$REST/health")"

say "Connectors and their status: curl -s '$REST/connectors?expand=status'"
curl -fsS "$REST/connectors?expand=status" | pretty || echo "(request failed: see $LOG)"

say "The sink file fills with the source's lines"
for _ in $(seq 1 50); do
    [[ $(wc -l < "$WORK/output.txt" 2>/dev/null || echo 0) -ge 3 ]] && break
    sleep 0.2
done
echo "$WORK/output.txt:"
sed 's/^/    /' "$WORK/output.txt" 2>/dev/null || echo "    (not written yet)"

say "Appending two lines to the input file"
printf '%s\n' "appended at $(date -u +%T)" "one more" >> "$WORK/input.txt"
for _ in $(seq 1 50); do
    [[ $(wc -l < "$WORK/output.txt" 2>/dev/null || echo 0) -ge 5 ]] && break
    sleep 0.2
done
echo "$WORK/output.txt now:"
sed 's/^/    /' "$WORK/output.txt" 2>/dev/null || true

BOOTSTRAP=$(grep -iE 'embedded kafka.*listening on' "$LOG" | tail -n 1 \
    | grep -oE '[0-9]{1,3}(\.[0-9]{1,3}){3}:[0-9]+(,[0-9]{1,3}(\.[0-9]{1,3}){3}:[0-9]+)*' | tail -n 1 || true)
if [[ -n $BOOTSTRAP ]]; then
    say "The topic, read with kcat from the embedded Kafka at $BOOTSTRAP"
    echo "kcat -b $BOOTSTRAP -C -t $TOPIC -o beginning -e -q"
    timeout 15 kcat -b "$BOOTSTRAP" -C -t "$TOPIC" -o beginning -e -q | sed 's/^/    /' \
        || echo "    (kcat could not read the topic)"
else
    BOOTSTRAP="<address from the log line 'Embedded Kafka listening on ...' in $LOG>"
    say "The embedded Kafka address was not found in $LOG"
fi

cat <<EOT

$(printf '\033[1m')Sluice is running (PID $SLUICE_PID). Things to try:$(printf '\033[0m')

  echo "another line" >> $WORK/input.txt && cat $WORK/output.txt
  curl -s $REST/connectors?expand=status
  curl -s $REST/connectors/local-file-source/status
  curl -s $REST/connectors/local-file-source/offsets
  curl -s -X PUT $REST/connectors/local-file-sink/pause
  curl -s -X PUT $REST/connectors/local-file-sink/resume
  curl -s -X POST '$REST/connectors/local-file-source/restart?includeTasks=true'
  curl -s $REST/connector-plugins
  kcat -b $BOOTSTRAP -C -t $TOPIC -o beginning
  tail -f $LOG

Stop it with:  scripts/quickstart-kafka.sh --stop     (or: kill $SLUICE_PID)
The embedded Kafka lives in memory: its topics vanish when Sluice stops; offsets are kept in $WORK.
EOT
