#!/usr/bin/env bash
# The Sluice quickstart: the job users come for, on one machine with nothing else to install.
#
#   1. CSV files dropped into a landing directory become a typed PostgreSQL table (SpoolDir → JDBC sink):
#      a 1,000,000-row orders CSV by default, with rows/s progress and a count at the end;
#   2. a PostgreSQL table is offloaded to another database by CDC (Debezium-compatible source →
#      ExtractNewRecordState → JDBC sink into SQLite), inserts, updates and deletes included.
#
# Both run as direct pipelines (bootstrap.servers=none): no Kafka; records go from sources to sinks in memory and a
# source offset is committed only after the sink committed the row, so nothing is lost even on kill -9.
# (scripts/quickstart-kafka.sh shows the same runtime with the embedded Kafka, FileStream and kcat.)
#
#   scripts/quickstart.sh              # install what is missing, build, start PostgreSQL + Sluice, run both jobs
#   scripts/quickstart.sh --rows 50000 # a smaller CSV
#   scripts/quickstart.sh --stop       # stop Sluice and the quickstart's PostgreSQL
#
# Files live in /tmp/sluice-quickstart. SLUICE_BIN=/path/to/sluice skips the build and uses that binary.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=/tmp/sluice-quickstart
PORT=8083
PGPORT=55432
REST=http://localhost:$PORT
PIDFILE=$WORK/sluice.pid
LOG=$WORK/sluice.log
PGDIR=$WORK/pg
ROWS=1000000

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'quickstart: error: %s\n' "$*" >&2; exit 1; }
pretty() { python3 -m json.tool 2>/dev/null || cat; }

as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
PGBIN=/usr/lib/postgresql/15/bin
psql_shop() { psql -X -q -h 127.0.0.1 -p $PGPORT -U postgres -d shop "$@"; }

running_pid() {
    [[ -f $PIDFILE ]] || return 1
    local pid
    pid=$(cat "$PIDFILE")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop_all() {
    local pid
    if pid=$(running_pid); then
        echo "quickstart: stopping Sluice (PID $pid); SIGTERM lets it flush offsets"
        kill -TERM "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    if [[ -f $PGDIR/data/postmaster.pid ]]; then
        echo "quickstart: stopping the quickstart's PostgreSQL"
        as_postgres "$PGBIN/pg_ctl -D $PGDIR/data -m fast stop" >/dev/null || true
    fi
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --stop) stop_all; exit 0 ;;
        --rows) ROWS=${2:?--rows needs a number}; shift 2 ;;
        -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument '$1' (use --rows N, --stop or --help)" ;;
    esac
done
[[ $ROWS =~ ^[0-9]+$ && $ROWS -gt 0 ]] || die "--rows must be a positive number"

cd "$ROOT"
if ! command -v swift >/dev/null 2>&1 && [[ -x /opt/swift/usr/bin/swift ]]; then export PATH=/opt/swift/usr/bin:$PATH; fi
if pid=$(running_pid); then die "a quickstart Sluice is already running (PID $pid). Stop it first: scripts/quickstart.sh --stop"; fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    die "port $PORT is already in use (another Kafka Connect or Sluice?). Free it and run again."
fi

say "Installing missing system packages"
bash "$ROOT/scripts/install-deps.sh"

if [[ -n ${SLUICE_BIN:-} ]]; then
    BIN=$SLUICE_BIN
    [[ -x $BIN ]] || die "SLUICE_BIN=$BIN is not an executable file"
else
    say "Building sluice (release; the first build takes a few minutes)"
    swift build -c release --static-swift-stdlib --product sluice
    BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)/sluice
    [[ -x $BIN ]] || die "build finished but $BIN is missing"
fi

say "PostgreSQL for the demo on 127.0.0.1:$PGPORT (data in $PGDIR)"
mkdir -p "$WORK"
rm -rf "$WORK/landing" "$WORK/finished" "$WORK/error" "$WORK/connect.offsets"* "$WORK/offload.db"
mkdir -p "$WORK/landing" "$WORK/finished" "$WORK/error" "$PGDIR"
[[ $(id -u) -eq 0 ]] && chown postgres "$PGDIR"
if [[ ! -f $PGDIR/data/PG_VERSION ]]; then
    as_postgres "$PGBIN/initdb -D $PGDIR/data -U postgres -A trust" >/dev/null
fi
if [[ ! -f $PGDIR/data/postmaster.pid ]]; then
    as_postgres "$PGBIN/pg_ctl -D $PGDIR/data -l $PGDIR/log -w -o '-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c wal_level=logical -c max_wal_senders=10 -c max_replication_slots=10' start" >/dev/null
fi
psql -X -q -h 127.0.0.1 -p $PGPORT -U postgres -d postgres -c "DROP DATABASE IF EXISTS shop WITH (FORCE)" -c "CREATE DATABASE shop"
psql_shop <<'SQL'
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'sluice_quickstart';
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text, vip boolean NOT NULL DEFAULT false,
                        balance numeric(10,2), created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO customers (id, name, email, balance)
  SELECT i, 'customer ' || i, 'c' || i || '@example.com', i * 1.25 FROM generate_series(1, 1000) i;
SQL
echo "database shop: table customers with 1000 rows"

say "Starting Sluice: $BIN standalone config/quickstart-worker.properties"
nohup "$BIN" standalone config/quickstart-worker.properties >"$LOG" 2>&1 </dev/null &
SLUICE_PID=$!
echo "$SLUICE_PID" >"$PIDFILE"
for i in $(seq 1 150); do
    kill -0 "$SLUICE_PID" 2>/dev/null || { tail -n 30 "$LOG" >&2; rm -f "$PIDFILE"; die "sluice exited during startup (see $LOG)"; }
    curl -fsS "$REST/health" >/dev/null 2>&1 && break
    [[ $i -eq 150 ]] && die "sluice did not answer $REST/health within 30 s (see $LOG)"
    sleep 0.2
done
echo "PID $SLUICE_PID, log $LOG, REST $REST"

say "Creating the connectors over the REST API, as with Kafka Connect"
for c in quickstart-orders-csv quickstart-orders-postgres quickstart-customers-cdc quickstart-customers-sqlite; do
    echo "curl -s -X POST -H 'Content-Type: application/json' $REST/connectors -d @config/$c.json"
    code=$(curl -s -o "$WORK/response.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        "$REST/connectors" -d @"config/$c.json")
    [[ $code == 201 ]] || { cat "$WORK/response.json" >&2; die "creating $c answered HTTP $code"; }
done

say "Job 1: a $ROWS-row orders CSV dropped into $WORK/landing"
python3 - "$ROWS" "$WORK/orders.csv.part" <<'PY'
import sys
rows, path = int(sys.argv[1]), sys.argv[2]
names = ["Ann", "Bob", "Cleo", "Dmitri", "Eve", "Farid", "Gao", "Hana"]
with open(path, "w") as f:
    f.write("order_id,customer,amount,created_at,note,qty,active\n")
    out = []
    for i in range(1, rows + 1):
        cents = (i * 7919) % 1000000
        s, m, h, d = i % 60, (i // 60) % 60, (i // 3600) % 24, 1 + (i // 86400) % 28
        out.append(f'{i},{names[i % 8]} {i % 977},{cents // 100}.{cents % 100:02d},2024-03-{d:02d}T{h:02d}:{m:02d}:{s:02d}Z,'
                   f'"order {i}, item {i % 13}, ""gift""",{i % 50},{"true" if i % 3 == 0 else "false"}\n')
        if len(out) >= 50000:
            f.write("".join(out)); out = []
    f.write("".join(out))
PY
mv "$WORK/orders.csv.part" "$WORK/landing/orders.csv"   # a rename: SpoolDir never sees a half-written file
echo "$(du -h "$WORK/landing/orders.csv" | cut -f1) CSV; Sluice infers its column types and the sink creates a typed table"

start=$(date +%s.%N)
count=0
last=0
for _ in $(seq 1 600); do
    sleep 2
    count=$(psql_shop -At -c "SELECT count(*) FROM orders" 2>/dev/null || echo 0)
    now=$(date +%s.%N)
    printf '  %9d / %d rows in PostgreSQL table orders  (%d rows/s over the last 2 s)\n' "$count" "$ROWS" \
        $(((count - last) / 2))
    last=$count
    [[ $count -ge $ROWS ]] && break
    kill -0 "$SLUICE_PID" 2>/dev/null || die "sluice exited (see $LOG)"
done
elapsed=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
[[ $count -eq $ROWS ]] || die "only $count of $ROWS rows arrived (see $LOG and: curl -s $REST/connectors?expand=status)"
printf '\nAll %d rows arrived in %.1f s (%.0f rows/s, measured from the file drop)\n' "$count" "$elapsed" "$(awk -v c="$count" -v e="$elapsed" 'BEGIN { print c / e }')"
echo "psql -h 127.0.0.1 -p $PGPORT -U postgres shop -c '\\d orders'"
psql_shop -c '\d orders'
psql_shop -c 'SELECT * FROM orders ORDER BY order_id LIMIT 3'
for _ in $(seq 1 50); do [[ -n $(ls "$WORK/finished") ]] && break; sleep 0.2; done
echo "The file moved to $WORK/finished once every row was committed: $(ls "$WORK/finished")"

say "Job 2: CDC offload of PostgreSQL table customers into SQLite ($WORK/offload.db)"
sqlite_count() {
    python3 -c 'import sqlite3,sys
try: print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])
except Exception: print(-1)' "$WORK/offload.db" "$1"
}
for _ in $(seq 1 60); do [[ $(sqlite_count 'SELECT count(*) FROM customers') -ge 1000 ]] && break; sleep 1; done
echo "snapshot: $(sqlite_count 'SELECT count(*) FROM customers') rows in SQLite"
echo "changing PostgreSQL: insert customer 1001, update customer 1, delete customer 2"
psql_shop -c "INSERT INTO customers (id, name, email, vip, balance) VALUES (1001, 'new customer', 'new@example.com', true, 99.50)" \
    -c "UPDATE customers SET name = 'renamed', vip = true WHERE id = 1" -c "DELETE FROM customers WHERE id = 2"
for _ in $(seq 1 30); do
    [[ $(sqlite_count "SELECT count(*) FROM customers WHERE id = 1001 OR (id = 1 AND name = 'renamed')") -eq 2 &&
       $(sqlite_count 'SELECT count(*) FROM customers WHERE id = 2') -eq 0 ]] && break
    sleep 1
done
python3 - "$WORK/offload.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print("SQLite customers:", db.execute("SELECT count(*) FROM customers").fetchone()[0], "rows")
for row in db.execute("SELECT * FROM customers WHERE id IN (1, 2, 1001) ORDER BY id"):
    print("   ", row)
PY

say "Status of every connector: curl -s '$REST/connectors?expand=status'"
curl -fsS "$REST/connectors?expand=status" | pretty

cat <<EOT

$(printf '\033[1m')Sluice is running (PID $SLUICE_PID). Things to try:$(printf '\033[0m')

  cp more.csv $WORK/landing/                        # another file (same columns; wider numbers evolve the schema)
  psql -h 127.0.0.1 -p $PGPORT -U postgres shop -c 'SELECT count(*) FROM orders'
  psql -h 127.0.0.1 -p $PGPORT -U postgres shop -c "UPDATE customers SET vip = true WHERE id < 10"
  curl -s $REST/connectors/orders-postgres/status
  curl -s $REST/connectors/customers-cdc/offsets
  curl -s -X PUT $REST/connectors/customers-offload/pause
  curl -s $REST/metrics | grep sluice_
  grep rows/s $LOG
  scripts/quickstart-kafka.sh                      # the same runtime with the embedded Kafka, FileStream and kcat

Stop everything with:  scripts/quickstart.sh --stop
EOT
