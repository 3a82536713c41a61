#!/usr/bin/env python3
"""Differential test: Debezium 3.0.7 (the original, in Kafka Connect 3.9.0) and Sluice's CDC source on one database.

    scripts/debezium-diff.py --sluice .build/debug/sluice [--workdir DIR] [--keep] [--all]

Starts a PostgreSQL 15 (logical), two noida-db brokers (one per worker, so both use the same topic.prefix and their
topic and schema names can be compared as they are), `scripts/reference.sh connect-standalone` with Debezium and
`sluice standalone` with the same connector configs (each with its own slot and publication), snapshots a set of
tables covering the types and table shapes Debezium maps, runs one streaming workload, reads every topic of both
brokers with kcat and compares key, value and headers event by event (JsonConverter, schemas on).

Normalized (legitimately different): processing times (ts_ms/ts_us/ts_ns of the envelope and of heartbeats and
transaction records), and for snapshot reads the source's times, txId, lsn, xmin and sequence (each connector
snapshots in its own transaction at its own slot's position). Streamed events keep txId/lsn/sequence: both read the
same WAL. Known deviations where Debezium is plainly broken are listed in COMPATIBILITY.md, section
"Debezium PostgreSQL", table rows `| <topic regex> | <path regex> | <why> |`; a difference matching one is reported
as accepted, any other fails (exit 1). Needs `scripts/reference.sh setup` done.
"""
import argparse, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PGBIN = "/usr/lib/postgresql/15/bin"
PREFIX = "dbz"

SETUP = r"""
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TABLE types (
    id integer PRIMARY KEY, b boolean, i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision,
    num numeric(10,2), vnum numeric, n0 numeric(5), cash money, c char(3), vc varchar(10), t text, bin bytea,
    d date, tm time, tm3 time(3), ts timestamp, ts3 timestamp(3), tstz timestamptz, tmtz timetz, iv interval,
    u uuid, j json, jb jsonb, x xml, m mood, dom posint, ip inet, net cidr, mac macaddr, pt point, tsv tsvector,
    i4r int4range, i8r int8range, nr numrange, tsr tsrange, tstzr tstzrange, dr daterange,
    arr_i integer[], arr_t text[], arr_n numeric[], bits bit(3), vbits varbit(8), h hstore, o oid,
    ltr "char", nm name);
CREATE TABLE defaults (
    id serial PRIMARY KEY, di integer NOT NULL DEFAULT 42, dt text DEFAULT 'x''y', db boolean DEFAULT true,
    dn numeric(6,2) DEFAULT 1.50, dd date DEFAULT '2020-01-02', dts timestamp DEFAULT now(), dv varchar(5) DEFAULT 'ab',
    dm mood DEFAULT 'ok', df double precision DEFAULT 2.5, dneg integer DEFAULT -3,
    gen integer GENERATED ALWAYS AS (di * 2) STORED);
CREATE TABLE nopk_default (a integer, b text);
CREATE TABLE nopk_full (a integer, b text);
ALTER TABLE nopk_full REPLICA IDENTITY FULL;
CREATE TABLE nopk_nothing (a integer, b text);
ALTER TABLE nopk_nothing REPLICA IDENTITY NOTHING;
CREATE TABLE pk_full (id integer PRIMARY KEY, a integer, b text);
ALTER TABLE pk_full REPLICA IDENTITY FULL;
CREATE TABLE uniq_idx (a integer NOT NULL, b text, c integer);
CREATE UNIQUE INDEX uniq_idx_a ON uniq_idx (a);
ALTER TABLE uniq_idx REPLICA IDENTITY USING INDEX uniq_idx_a;
CREATE TABLE nn (id integer PRIMARY KEY, req integer NOT NULL, s text NOT NULL, opt text, ts timestamp NOT NULL,
    bo boolean NOT NULL, n numeric(5,1) NOT NULL);
CREATE TABLE pkchg (id integer PRIMARY KEY, v text);
CREATE TABLE toasty (id integer PRIMARY KEY, big text, small integer, arr text[]);
CREATE TABLE parted (id integer, region text, v text, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE parted_eu PARTITION OF parted FOR VALUES IN ('eu');
CREATE TABLE parted_us PARTITION OF parted FOR VALUES IN ('us');
CREATE TABLE special (id integer PRIMARY KEY, num numeric(10,2), vnum numeric, d date, ts timestamp, tstz timestamptz,
    f8 double precision, f4 real);
CREATE TABLE modes (id integer PRIMARY KEY, num numeric(10,3), vnum numeric, iv interval, bin bytea, tm time(6),
    tm0 time(0), ts timestamp(6), d date, h hstore, cash money);
CREATE TABLE unwrapped (id integer PRIMARY KEY, v text, n integer);
CREATE DOMAIN money2 AS numeric(8,2);
CREATE DOMAIN shorttext AS varchar(4);
CREATE TABLE types2 (
    id smallserial PRIMARY KEY, m8 macaddr8, c1 char, b1 bit(1), f4a real[], f8a float8[], da date[], tsa timestamp[],
    tstza timestamptz[], ua uuid[], ja jsonb[], ia inet[], ma mood[], ba bytea[], iva interval[], na numeric(5,2)[],
    ba2 boolean[], dm money2, ds shorttext, tz6 timestamptz(6), tz0 timestamptz(0), t0 time(0), tt timetz(3),
    ts0 timestamp(0), big numeric(30,5), i2a smallint[], i8a bigint[], va varchar(3)[],
    d_tz timestamptz DEFAULT now(), d_u uuid DEFAULT '00000000-0000-0000-0000-000000000001', d_j jsonb DEFAULT '{}',
    d_tm time DEFAULT '12:00', d_iv interval DEFAULT '1 day', d_i8 bigint DEFAULT 9, d_f4 real DEFAULT 1.5,
    d_c char(2) DEFAULT 'a', d_dm money2 DEFAULT 3.5, d_txt text DEFAULT ('a' || 'b'), d_neg numeric(4,1) DEFAULT -1.5,
    d_b bit(1) DEFAULT B'1', d_arr integer[] DEFAULT '{1,2}', d_bool boolean NOT NULL DEFAULT false);
CREATE TABLE keyed (id integer PRIMARY KEY, k2 integer, secret text, v text);
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE SCHEMA "Other";
CREATE TABLE "Other"."Mixed Table$" (id integer PRIMARY KEY, "Mixed Col" text, "ü" integer, ci citext, lt ltree,
    cash_a money[], tm_a time[], ttz_a timetz[], ch_a char(2)[], x_a xml[], pt_a point[], tsr_a tsrange[], n_a numeric[],
    j json, d_ci citext DEFAULT 'Ab');
CREATE TABLE toast_full (id integer PRIMARY KEY, big text, small integer);
ALTER TABLE toast_full REPLICA IDENTITY FULL;
"""

TYPES_ROW = (
    "INSERT INTO types VALUES ({id}, true, -7, 123456, 9007199254740993, 1.5, -2.25, 12345.67, {vnum}, 123, 12.34,"
    " 'ab', 'héllo', 'a \"q\" text', '\\x00ff10', '2024-02-29', '13:14:15.123456', '13:14:15.123',"
    " '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.123', '2024-02-29 13:14:15.5+02', '13:14:15+02',"
    " '1 year 2 mons 3 days 04:05:06.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{{\"k\": [1, 2]}}', '{{\"k\": 1}}',"
    " '<a>1</a>', 'happy', 5, '192.168.0.1/32', '10.0.0.0/8', '08:00:2b:01:02:03', '(1.5,-2)', 'a fat cat',"
    " '[1,5)', '[10,20)', '[1.5,2.5]', '[2024-01-01 00:00,2024-01-02 00:00)', '[2024-01-01 00:00+00,2024-01-02 00:00+00)',"
    " '[2024-01-01,2024-02-01)', '{{1,2,3}}', '{{a,\"b c\",NULL}}', '{{1.5,2}}', B'101', B'1101', 'a=>1, b=>NULL', 12345,"
    " 'z', 'nm')")

SNAPSHOT = [
    TYPES_ROW.format(id=1, vnum="3.14159"),
    "INSERT INTO types (id) VALUES (2)",
    "INSERT INTO defaults DEFAULT VALUES",
    "INSERT INTO defaults (di, dt) VALUES (7, NULL)",
    "INSERT INTO nopk_default VALUES (1, 'a'), (2, 'b')",
    "INSERT INTO nopk_full VALUES (1, 'a'), (2, 'b')",
    "INSERT INTO nopk_nothing VALUES (1, 'a')",
    "INSERT INTO pk_full VALUES (1, 1, 'a'), (2, 2, 'b')",
    "INSERT INTO uniq_idx VALUES (1, 'a', 1), (2, 'b', 2)",
    "INSERT INTO nn VALUES (1, 5, 'x', 'o', '2024-01-01 00:00', true, 1.5), (2, 6, 'y', NULL, '2024-01-01 00:00', false, 2.5)",
    "INSERT INTO pkchg VALUES (1, 'a'), (2, 'b')",
    "INSERT INTO types2 (m8, c1, b1, f4a, f8a, da, tsa, tstza, ua, ja, ia, ma, ba, iva, na, ba2, dm, ds, tz6, tz0, t0, tt, ts0,"
    " big, i2a, i8a, va) VALUES ('08:00:2b:01:02:03:04:05', 'x', B'1', '{1.5,NaN}', '{-2.25,Infinity}', '{2024-02-29,NULL}',"
    " '{\"2024-02-29 13:14:15.123456\"}', '{\"2024-02-29 13:14:15.5+02\"}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',"
    " ARRAY['{\"k\": 1}'::jsonb], '{10.0.0.1,::1}', '{sad,happy}', '{\"\\\\x00ff\"}', '{\"1 day\",\"-01:00:00\"}',"
    " '{1.5,-2.25}', '{t,f,NULL}', 12.5, 'abcd', '2024-02-29 13:14:15.123456+00', '2024-02-29 13:14:15+00', '13:14:15',"
    " '13:14:15.123+05:30', '2024-02-29 13:14:15', 12345678901234567890.12345, '{1,-2}', '{9007199254740993}', '{ab,c}')",
    "INSERT INTO types2 DEFAULT VALUES",
    "INSERT INTO keyed VALUES (1, 10, 's', 'a'), (2, 20, 's', 'b')",
    "INSERT INTO \"Other\".\"Mixed Table$\" VALUES (1, 'x', 2, 'CaSe', 'a.b.c', '{1.5,-2}', '{12:00:01.5}', '{12:00+02}', '{a,b}',"
    " '{<a/>}', '{\"(1,2)\"}', '{\"[2024-01-01,2024-01-02)\"}', '{1.10,NaN}', '{\"ü\": \"\\u00e9\"}')",
    "INSERT INTO toast_full SELECT 1, string_agg(md5(g::text), ''), 1 FROM generate_series(1, 400) g",
    "INSERT INTO toasty SELECT 1, string_agg(md5(g::text), '') , 1, ARRAY[string_agg(md5(g::text), '')] FROM generate_series(1, 400) g",
    "INSERT INTO parted VALUES (1, 'eu', 'a'), (2, 'us', 'b')",
    "INSERT INTO special VALUES (1, 'NaN', 'NaN', 'infinity', 'infinity', 'infinity', 'NaN', 'Infinity'),"
    " (2, -1.5, '-Infinity', '-infinity', '-infinity', '-infinity', '-Infinity', '-Infinity'),"
    " (3, 0, 1.10, '1970-01-01', '1970-01-01', '1970-01-01 00:00+00', 0, 0), (4, NULL, 'Infinity', NULL, NULL, NULL, NULL, NULL)",
    "INSERT INTO modes VALUES (1, 1.5, 12.3400, '1 year 2 mons 3 days 04:05:06.789', '\\xdeadbeef', '01:02:03.456789', '01:02:03',"
    " '2024-02-29 13:14:15.654321', '2024-02-29', 'k=>v', -1.25), (2, NULL, 0, '-1 day -00:00:01', '', NULL, NULL, NULL, NULL, '', NULL)",
    "INSERT INTO unwrapped VALUES (1, 'a', 1)",
    "INSERT INTO types (id, vnum, arr_n) VALUES (10, 100, '{1.10,100}'), (11, 1.10, NULL), (12, 0.00, NULL), (13, 12.3400, NULL), (14, -5E+3, NULL)",
]

STREAM = [
    # one transaction over several tables (transaction metadata: total and per-collection order)
    ["BEGIN", TYPES_ROW.format(id=3, vnum="-0.000123"), "INSERT INTO types (id, vnum) VALUES (4, 100)",
     "UPDATE types SET vc = 'changed', num = -0.01, arr_i = '{}', jb = NULL, m = 'sad', pt = '(0,0)' WHERE id = 1",
     "DELETE FROM types WHERE id = 2", "COMMIT"],
    ["INSERT INTO defaults (di) VALUES (9)", "UPDATE defaults SET dt = 'z' WHERE id = 1", "DELETE FROM defaults WHERE id = 2"],
    # without a replica identity PostgreSQL refuses UPDATE/DELETE once a publication publishes them
    ["INSERT INTO nopk_default VALUES (3, 'c')"],
    ["INSERT INTO nopk_full VALUES (3, 'c')", "UPDATE nopk_full SET b = 'bb' WHERE a = 2", "DELETE FROM nopk_full WHERE a = 1"],
    ["INSERT INTO nopk_nothing VALUES (3, 'c')"],
    ["INSERT INTO pk_full VALUES (3, 3, 'c')", "UPDATE pk_full SET b = 'bb' WHERE id = 2", "UPDATE pk_full SET id = 20 WHERE id = 3",
     "DELETE FROM pk_full WHERE id = 1"],
    ["INSERT INTO uniq_idx VALUES (3, 'c', 3)", "UPDATE uniq_idx SET b = 'bb' WHERE a = 2", "UPDATE uniq_idx SET a = 30 WHERE a = 3",
     "DELETE FROM uniq_idx WHERE a = 1"],
    ["INSERT INTO nn VALUES (3, 7, 'z', 'p', '2024-01-01 00:00', true, 3.5)", "UPDATE nn SET req = 8 WHERE id = 3",
     "DELETE FROM nn WHERE id = 1"],
    ["BEGIN", "INSERT INTO pkchg VALUES (3, 'c')", "UPDATE pkchg SET id = 10 WHERE id = 1", "UPDATE pkchg SET v = 'x' WHERE id = 2",
     "COMMIT"],
    ["UPDATE toasty SET small = 2 WHERE id = 1", "INSERT INTO toasty VALUES (2, 'short', 1, '{x}')", "DELETE FROM toasty WHERE id = 1"],
    ["UPDATE toast_full SET small = 2 WHERE id = 1", "DELETE FROM toast_full WHERE id = 1"],
    ["INSERT INTO parted VALUES (3, 'eu', 'c'), (4, 'us', 'd')", "UPDATE parted SET v = 'z' WHERE id = 1",
     "DELETE FROM parted WHERE id = 2"],
    ["INSERT INTO special VALUES (5, 'NaN', '-Infinity', 'infinity', '-infinity', 'infinity', 'Infinity', 'NaN')",
     "UPDATE special SET vnum = 'NaN' WHERE id = 3"],
    ["INSERT INTO modes VALUES (3, -99.125, -1.5E-10, '-2 years 3 mons', '\\x00', '23:59:59.999999', '00:00:00',"
     " '1900-01-01 00:00', '1900-01-01', 'a=>\"b c\"', 0)", "UPDATE modes SET vnum = 7 WHERE id = 1"],
    ["INSERT INTO unwrapped VALUES (2, 'b', 2)", "UPDATE unwrapped SET v = 'bb' WHERE id = 2", "DELETE FROM unwrapped WHERE id = 1"],
    ["INSERT INTO types (id, vnum, arr_n) VALUES (20, 100, '{1.10,100}'), (21, 1.10, NULL), (22, 0.00, NULL), (23, 12.3400, NULL), (24, -5E+3, NULL)"],
    ["INSERT INTO types2 (dm, ds, big) VALUES (-0.5, 'x', -1)", "UPDATE types2 SET tz0 = '1999-12-31 23:59:59.9+00', b1 = B'0' WHERE id = 1",
     "DELETE FROM types2 WHERE id = 2"],
    ["INSERT INTO keyed VALUES (3, 30, 's', 'c')", "UPDATE keyed SET k2 = 21 WHERE id = 2", "DELETE FROM keyed WHERE id = 1"],
    ["UPDATE \"Other\".\"Mixed Table$\" SET \"Mixed Col\" = 'y', lt = 'a.b' WHERE id = 1",
     "INSERT INTO \"Other\".\"Mixed Table$\" (id) VALUES (2)", "DELETE FROM \"Other\".\"Mixed Table$\" WHERE id = 2"],
    ["TRUNCATE pkchg"],
    ["SELECT pg_logical_emit_message(true, 'pfx', 'hello')"],
]

COMMON = {
    "connector.class": "io.debezium.connector.postgresql.PostgresConnector", "tasks.max": "1",
    "database.hostname": "127.0.0.1", "database.user": "postgres", "database.password": "x",
    "database.dbname": "compat", "plugin.name": "pgoutput", "skipped.operations": "none",
    "status.update.interval.ms": "1000", "snapshot.mode": "initial",
}

# name -> (topic.prefix, extra config)
CONNECTORS = {
    "main": (PREFIX, {"provide.transaction.metadata": "true", "table.exclude.list": "public\\.modes,public\\.unwrapped",
                      "heartbeat.interval.ms": "1000"}),
    "strs": ("strs", {"table.include.list": "public\\.(modes|special)", "decimal.handling.mode": "string",
                      "interval.handling.mode": "string", "binary.handling.mode": "base64", "hstore.handling.mode": "map",
                      "time.precision.mode": "connect"}),
    "dbls": ("dbls", {"table.include.list": "public\\.(modes|special)", "decimal.handling.mode": "double",
                      "binary.handling.mode": "hex", "time.precision.mode": "adaptive_time_microseconds"}),
    "unwr": ("unwr", {"table.include.list": "public\\.(unwrapped|nopk_full|pkchg)", "transforms": "unwrap",
                      "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
                      "transforms.unwrap.add.fields": "op,table,lsn,source.ts_ms",
                      "transforms.unwrap.add.headers": "db,op",
                      "transforms.unwrap.delete.tombstone.handling.mode": "rewrite-with-tombstone"}),
    "keys": ("keys", {"table.include.list": "public\\.(keyed|nopk_full)", "message.key.columns": "public.keyed:k2;public.nopk_full:a",
                      "column.exclude.list": "public\\.keyed\\.secret", "tombstones.on.delete": "false",
                      "skipped.operations": "u"}),
    # the deprecated options, another field selection and drop of tombstones
    "unw2": ("unw2", {"table.include.list": "public\\.(unwrapped|defaults)", "transforms": "unwrap",
                      "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
                      "transforms.unwrap.delete.handling.mode": "rewrite", "transforms.unwrap.drop.tombstones": "true",
                      "transforms.unwrap.add.fields": "op,source.txId,db,schema,ts_ms",
                      "transforms.unwrap.add.fields.prefix": "meta_", "transforms.unwrap.add.headers": "source.table"}),
}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def as_postgres(cmd):
    if os.getuid() == 0:
        return subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", cmd], check=True, capture_output=True, text=True)
    return subprocess.run(["sh", "-c", cmd], check=True, capture_output=True, text=True)


class Harness:
    def __init__(self, args):
        self.args = args
        self.dir = os.path.abspath(args.workdir or tempfile.mkdtemp(prefix="dbz-diff-")).rstrip("/")
        os.makedirs(self.dir, exist_ok=True)
        self.procs = []
        self.pgport = free_port()

    def log(self, *a):
        print("[diff]", *a, file=sys.stderr, flush=True)

    def psql(self, sql, db="compat"):
        r = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.pgport), "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1",
                            "-q", "-At", "-c", sql], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"psql failed: {sql}\n{r.stderr}")
        return r.stdout

    def start_pg(self):
        pgdir = os.path.join(self.dir, "pg")
        os.makedirs(pgdir, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(pgdir, "postgres", "postgres")
            os.chmod(self.dir, 0o755)
        as_postgres(f"{PGBIN}/initdb -D {pgdir}/data -U postgres -A trust -E UTF8 --locale=C -N >/dev/null")
        opts = (f"-p {self.pgport} -k {pgdir} -c listen_addresses=127.0.0.1 -c wal_level=logical -c max_wal_senders=20"
                " -c max_replication_slots=20 -c fsync=off -c TimeZone=UTC")
        as_postgres(f"{PGBIN}/pg_ctl -D {pgdir}/data -l {pgdir}/log -w -o '{opts}' start >/dev/null")
        self.pgstop = f"{PGBIN}/pg_ctl -D {pgdir}/data -m immediate stop"
        self.psql("CREATE DATABASE compat", db="postgres")
        self.psql(SETUP)
        for s in SNAPSHOT:
            self.psql(s)

    def spawn(self, name, argv, **kw):
        out = open(os.path.join(self.dir, name + ".log"), "w")
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def write_props(self, path, d):
        with open(path, "w") as f:
            for k, v in d.items():
                f.write(f"{k}={v}\n".replace("\\", "\\\\"))

    def start_side(self, side, extra_worker):
        port = free_port()
        self.spawn(f"broker-{side}", [os.path.join(ROOT, "scripts/reference.sh"), "broker", str(port), os.path.join(self.dir, f"data-{side}")])
        worker = {
            "bootstrap.servers": f"127.0.0.1:{port}", "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "offset.storage.file.filename": os.path.join(self.dir, f"{side}.offsets"), "offset.flush.interval.ms": "1000",
            "listeners": f"http://127.0.0.1:{free_port()}",
        }
        worker.update(extra_worker)
        wprops = os.path.join(self.dir, f"worker-{side}.properties")
        self.write_props(wprops, worker)
        files = [wprops]
        for name, (prefix, extra) in CONNECTORS.items():
            if self.args.only and name not in self.args.only.split(","):
                continue
            c = dict(COMMON)
            c.update({"name": f"{name}-{side}", "database.port": str(self.pgport), "topic.prefix": prefix,
                      "slot.name": f"{name}_{side}", "publication.name": f"pub_{name}_{side}"})
            c.update(extra)
            f = os.path.join(self.dir, f"{name}-{side}.properties")
            self.write_props(f, c)
            files.append(f)
        return port, files

    def wait_broker(self, port):
        for _ in range(100):
            r = subprocess.run(["kcat", "-b", f"127.0.0.1:{port}", "-L", "-J", "-m", "2"], capture_output=True, text=True)
            if r.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"broker {port} did not start")

    def topics(self, port):
        r = subprocess.run(["kcat", "-b", f"127.0.0.1:{port}", "-L", "-J", "-m", "5"], capture_output=True, text=True, check=True)
        md = json.loads(r.stdout)
        return {t["topic"]: len(t["partitions"]) for t in md["topics"]}

    def read(self, port, topic):
        r = subprocess.run(["kcat", "-b", f"127.0.0.1:{port}", "-C", "-t", topic, "-e", "-q", "-J", "-o", "beginning", "-m", "10"],
                           capture_output=True, text=True)
        msgs = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
        msgs.sort(key=lambda m: (m["partition"], m["offset"]))
        return msgs

    def prefixes(self):
        return [prefix for name, (prefix, _) in CONNECTORS.items() if not self.args.only or name in self.args.only.split(",")]

    def counts(self, port):
        """Records per connector (topic prefix) on a broker, from the partitions' end offsets (one kcat run)."""
        args = []
        for t, n in self.topics(port).items():
            if not t.startswith(("_", "connect-")):
                args += [a for p in range(n) for a in ("-t", f"{t}:{p}:-1")]
        out = {prefix: 0 for prefix in self.prefixes()}
        if not args:
            return out
        r = subprocess.run(["kcat", "-b", f"127.0.0.1:{port}", "-Q"] + args, capture_output=True, text=True)
        for line in r.stdout.splitlines():
            if " offset " in line:
                topic = line.split(" ", 1)[0]
                prefix = topic.split(".", 1)[0]
                if prefix in out:
                    out[prefix] += int(line.rsplit(" ", 1)[1])
        return out

    def settle(self, ports, what, timeout=180):
        """Waits until every connector wrote records on every broker and the counts stopped growing (snapshots are
        written in one go once a connector started; three equal looks a second apart)."""
        last, stable, deadline = None, 0, time.time() + timeout
        while time.time() < deadline:
            now = [self.counts(p) for p in ports]
            if now == last and all(n > 0 for c in now for n in c.values()):
                stable += 1
                if stable >= 3:
                    self.log(f"{what}: settled at {now}")
                    return
            else:
                stable = 0
            last = now
            time.sleep(1)
        raise RuntimeError(f"{what}: not settled after {timeout}s: {last}")

    def wait_markers(self, ports, count, what, timeout=180):
        """Waits until every connector's `<prefix>.message` topic holds `count` logical messages on every broker.

        Each connector is one task writing in WAL order, so once the marker emitted last is there, every change before
        it is too (reading every topic until it stops growing costs a kcat run per topic and check)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            have = [len(self.read(p, f"{prefix}.message")) for p in ports for prefix in self.prefixes()]
            if all(n >= count for n in have):
                self.log(f"{what}: {count} marker(s) seen on {len(have)} topics")
                time.sleep(2)  # records produced just before the marker are acknowledged with it; margin for a slow broker
                return
            time.sleep(0.5)
        raise RuntimeError(f"{what}: markers not seen within {timeout}s: {have}")

    def run(self):
        try:
            self.start_pg()
            ref_port, ref_files = self.start_side("ref", {"plugin.discovery": "service_load"})
            slu_port, slu_files = self.start_side("slu", {})
            self.wait_broker(ref_port)
            self.wait_broker(slu_port)
            self.spawn("connect-ref", [os.path.join(ROOT, "scripts/reference.sh"), "connect-standalone"] + ref_files)
            ports = [ref_port]
            if self.args.sluice != "none":
                self.spawn("connect-slu", [self.args.sluice, "standalone"] + slu_files)
                ports.append(slu_port)
            # No marker message for the snapshot: Debezium skips WAL between its slot's creation and its snapshot's
            # position, so a message emitted then may never reach it. Table changes there are in the snapshot.
            self.settle(ports, "snapshot")
            for tx in STREAM:
                self.psql(";\n".join(tx))
            # The workload ends with a logical message: once every connector wrote it, everything before it is there.
            self.wait_markers(ports, 1, "streaming")
            return self.compare(ref_port, slu_port)
        finally:
            for p in self.procs[::-1]:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            for p in self.procs:
                try:
                    p.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
            try:
                as_postgres(self.pgstop + " >/dev/null 2>&1")
            except Exception:
                pass
            self.reap()
            if not self.args.keep:
                shutil.rmtree(self.dir, ignore_errors=True)
            else:
                self.log("kept", self.dir)

    def reap(self):
        """Stops what is still running from this run's directory: noida-db serves from a child in its own session
        that may outlive `reference.sh broker` (and ignores SIGTERM when started with signals ignored, as under a
        test runner). Only processes whose command line names this run's unique directory are touched."""
        def ours():
            pids = []
            for d in os.listdir("/proc"):
                if d.isdigit() and int(d) != os.getpid():
                    try:
                        with open(f"/proc/{d}/cmdline", "rb") as f:
                            if (self.dir + "/").encode() in f.read():
                                pids.append(int(d))
                    except OSError:
                        pass
            return pids
        for sig in (signal.SIGTERM, signal.SIGKILL):
            pids = ours()
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.time() + 5
            while pids and time.time() < deadline:
                time.sleep(0.2)
                pids = ours()
            if not pids:
                return

    # ---- comparison ---------------------------------------------------------------------------------------------

    def compare(self, ref_port, slu_port):
        allowed = load_deviations()
        rt, st = self.topics(ref_port), self.topics(slu_port)
        data = lambda ts: sorted(t for t in ts if (not t.startswith("_") or t.startswith("__debezium-heartbeat"))
                                 and not t.startswith("connect-"))
        diffs = []
        pairs = 0
        for t in sorted(set(data(rt)) | set(data(st))):
            if t not in rt or t not in st:
                diffs.append((t, "<topic>", "exists" if t in rt else "missing", "exists" if t in st else "missing"))
                continue
            rm, sm = self.read(ref_port, t), self.read(slu_port, t)
            if t.startswith("__debezium-heartbeat"):  # timer-driven: how many differs, their shape must not
                rm, sm = rm[:1], sm[:1]
            if self.args.dump:
                with open(os.path.join(self.args.dump, t + ".ref.jsonl"), "w") as f:
                    f.writelines(json.dumps(m) + "\n" for m in rm)
                with open(os.path.join(self.args.dump, t + ".slu.jsonl"), "w") as f:
                    f.writelines(json.dumps(m) + "\n" for m in sm)
            if len(rm) != len(sm):
                diffs.append((t, "<count>", len(rm), len(sm)))
            if t.endswith(".transaction"):
                rm, sm = sorted(rm, key=txn_order), sorted(sm, key=txn_order)
            for i, (a, b) in enumerate(zip(rm, sm)):
                pairs += 1
                for path, x, y in diff_json(normalize(a), normalize(b), f"[{i}]"):
                    diffs.append((t, path, x, y))
        accepted, failed = [], []
        for d in diffs:
            ref_value = d[2] if isinstance(d[2], str) else json.dumps(d[2])
            ok = any(re.search(tp, d[0]) and re.search(pp, d[1]) and re.search(vp, ref_value) for tp, pp, vp, _ in allowed)
            (accepted if ok else failed).append(d)
        print(f"compared {pairs} event pairs: {len(failed)} differences, {len(accepted)} accepted deviations")
        for t, p, x, y in failed[: self.args.max]:
            print(f"DIFF {t} {p}\n   debezium: {short(x)}\n   sluice:   {short(y)}")
        return 1 if failed else 0


def txn_order(m):
    v = json.loads(m["payload"]) if m.get("payload") else {}
    p = (v or {}).get("payload") or {}
    return (str(p.get("id")), p.get("status", ""))


def short(v, n=400):
    s = v if isinstance(v, str) else json.dumps(v)
    return s if len(s) <= n else s[:n] + "..."


def parse(s):
    if s is None:
        return None
    try:
        return json.loads(s)
    except Exception:
        return s


def normalize(m):
    key, value = parse(m.get("key")), parse(m.get("payload"))
    headers = m.get("headers") or []
    hdr = [[headers[i], parse(headers[i + 1])] for i in range(0, len(headers) - 1, 2)]
    if isinstance(value, dict) and isinstance(value.get("payload"), dict):
        p = value["payload"]
        for k in ("ts_ms", "ts_us", "ts_ns"):
            if k in p and p[k] is not None:
                p[k] = "<time>"
        src = p.get("source")
        if isinstance(src, dict):
            snap = p.get("op") == "r"
            for k in ("ts_ms", "ts_us", "ts_ns") + (("txId", "lsn", "xmin", "sequence") if snap else ()):
                if src.get(k) is not None:
                    src[k] = "<snapshot>" if k in ("txId", "lsn", "xmin", "sequence") else "<time>"
        # ExtractNewRecordState add.fields (any prefix): times always, the snapshot's txId/lsn for reads
        snap_read = any(k.endswith("op") and v == "r" for k, v in p.items())
        for k in list(p):
            if k.startswith(("__", "meta_")) and k.endswith(("ts_ms", "ts_us", "ts_ns")) and p[k] is not None:
                p[k] = "<time>"
            if snap_read and k.startswith(("__", "meta_")) and k.endswith(("txId", "lsn")) and p[k] is not None:
                p[k] = "<snapshot>"
    return {"key": key, "value": value, "headers": hdr}


def diff_json(a, b, path):
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a.keys()) != list(b.keys()) and set(a.keys()) == set(b.keys()):
            yield (path + "<order>", list(a.keys()), list(b.keys()))
        for k in list(a.keys()) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                yield (f"{path}.{k}", a.get(k, "<absent>"), b.get(k, "<absent>"))
            else:
                yield from diff_json(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        # arrays of schema fields: match by field name for readable diffs
        if all(isinstance(x, dict) and "field" in x for x in a + b) and a and b:
            an, bn = [x["field"] for x in a], [x["field"] for x in b]
            if an != bn:
                yield (path + "<fields>", an, bn)
            bm = {x["field"]: x for x in b}
            for x in a:
                if x["field"] in bm:
                    yield from diff_json(x, bm[x["field"]], f"{path}{{{x['field']}}}")
            return
        if len(a) != len(b):
            yield (path, a, b)
            return
        for i, (x, y) in enumerate(zip(a, b)):
            yield from diff_json(x, y, f"{path}[{i}]")
    elif a != b or type(a) != type(b):
        yield (path, a, b)


def load_deviations():
    """Rows `| topic regex | path regex | Debezium's value regex | reason |` of the table in COMPATIBILITY.md
    § Debezium PostgreSQL (regexes in backquotes, Python `re.search`; the path as this script prints it)."""
    path = os.path.join(ROOT, "COMPATIBILITY.md")
    if not os.path.exists(path):
        return []
    rows, inside = [], False
    for line in open(path, encoding="utf-8"):
        if line.startswith("## "):
            inside = line.strip() == "## Debezium PostgreSQL"
            continue
        if inside and line.startswith("| `"):
            # Markdown escapes a pipe inside a cell as \|: split on the others, then unescape.
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            if len(cells) >= 4:
                rows.append((cells[0].strip("`"), cells[1].strip("`"), cells[2].strip("`"), cells[3]))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sluice", default=os.path.join(ROOT, ".build/debug/sluice"), help='"none": only the reference')
    ap.add_argument("--workdir")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--dump", help="write each topic's raw records of both sides here")
    ap.add_argument("--only", help="comma-separated connector names (main,strs,dbls,unwr)")
    ap.add_argument("--max", type=int, default=10000, help="differences printed")
    args = ap.parse_args()
    if args.dump:
        os.makedirs(args.dump, exist_ok=True)
    sys.exit(Harness(args).run())


if __name__ == "__main__":
    main()
