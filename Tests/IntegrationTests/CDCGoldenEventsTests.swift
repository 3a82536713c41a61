import Foundation
import Kafka
import SluiceAPI
import Testing
import TestSupport
import WorkerTestSupport

/// The JSON a Debezium consumer reads: a PostgreSQL table with every supported type, captured through a real worker
/// from a user's Debezium connector config, compared field for field (order included) with checked-in Debezium JSON.
///
/// Fixtures: `Fixtures/cdc/*.json`, each `{"key": ..., "value": ...}` as JsonConverter writes them; volatile values
/// (times, txId, lsn, sequence) are masked on both sides. `CDC_GOLDEN_RECORD=1` rewrites them from the actual output
/// (review the diff before committing).
@Suite(.serialized) struct CDCGoldenEventsTests {
    static let table = """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TABLE public.all_types (
            id integer PRIMARY KEY, b boolean, i2 smallint, i8 bigint, f4 real, f8 double precision,
            num numeric(10,2), vnum numeric, vc varchar(20), t text, bin bytea, d date, tm time(3), tmu time(6),
            ts timestamp(3), tsu timestamp(6), tstz timestamptz, tstz3 timestamptz(3), tmtz timetz, iv interval, u uuid, j jsonb,
            arr integer[], m mood, ip inet)
        """
    static let columns = "id, b, i2, i8, f4, f8, num, vnum, vc, t, bin, d, tm, tmu, ts, tsu, tstz, tstz3, tmtz, iv, u, j, arr, m, ip"
    static func row(_ id: Int) -> String {
        "INSERT INTO public.all_types (\(columns)) VALUES (\(id), true, -7, 9007199254740993, 1.5, -2.25, 12345.67, 3.14159, "
            + "'héllo', 'a \"quoted\" text', '\\x00ff10'::bytea, '2024-02-29', '13:14:15.123', '13:14:15.123456', "
            + "'2024-02-29 13:14:15.123', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.5+02', '2024-02-29 13:14:15.5+02', '13:14:15+02', "
            + "'1 year 2 mons 3 days 04:05:06.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"k\": [1, 2]}', '{1,2,3}', "
            + "'happy', '192.168.0.1/32')"
    }

    func connectorConfig(_ db: TestDatabase, prefix: String, extra: [String: String] = [:]) -> [String: String] {
        var c = [
            "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
            "tasks.max": "1",
            "database.hostname": db.host,
            "database.port": String(db.port),
            "database.user": "postgres",
            "database.password": "",
            "database.dbname": db.dbname,
            "topic.prefix": prefix,
            "plugin.name": "pgoutput",
            "slot.name": "slot_\(db.dbname)",
            "publication.name": "pub_\(prefix)",
            "publication.autocreate.mode": "filtered",
            "table.include.list": "public.all_types",
            "skipped.operations": "none",
            "snapshot.mode": "initial",
            "status.update.interval.ms": "500",
        ]
        c.merge(extra) { $1 }
        return c
    }

    /// Names each record the way the fixtures are named: `<op>-<id>` (`tombstone-<id>` for null values, `t` truncate).
    static func label(_ m: KafkaMessage, schemas: Bool) -> String {
        let key = CDCIT.json(m.key)
        let keyPayload = schemas ? key?["payload"] : key
        let id = keyPayload?["id"]?.int64Value.map(String.init) ?? "null"
        guard let value = CDCIT.json(m.value), value != .null else { return "tombstone-\(id)" }
        let env = schemas ? value["payload"] : value
        let op = env?["op"]?.stringValue ?? "?"
        return op == "t" ? "t" : "\(op)-\(id)"
    }

    func compare(_ messages: [KafkaMessage], database: String, schemas: Bool, fixturePrefix: String, expected: [String]) throws {
        var byLabel: [String: KafkaMessage] = [:]
        for m in messages { byLabel[Self.label(m, schemas: schemas)] = m }
        #expect(byLabel.keys.sorted() == expected.sorted(), "records on the topic: \(messages.map { Self.label($0, schemas: schemas) })")
        let record = ProcessInfo.processInfo.environment["CDC_GOLDEN_RECORD"] == "1"
        for name in expected {
            guard let m = byLabel[name] else { continue }
            let actual = JSONValue.object(JSONObject([
                ("key", CDCIT.json(m.key) ?? .null), ("value", CDCIT.mask(CDCIT.json(m.value) ?? .null, database: database)),
            ]))
            let file = "\(fixturePrefix)\(name).json"
            if record {
                try actual.compactString.write(to: CDCIT.fixtures.appendingPathComponent(file), atomically: true, encoding: .utf8)
                continue
            }
            let want = try CDCIT.fixture(file)
            #expect(actual == want, "\(file) differs.\nactual:   \(actual.compactString)\nexpected: \(want.compactString)")
        }
    }

    @Test func debeziumJSONWithSchemasMatchesGoldenFiles() async throws {
        let db = try await CDCIT.database("golden")
        try await CDCIT.exec(db, [Self.table, Self.row(100), Self.row(101)])
        let worker = try await TestWorker()
        let prefix = "golden"
        defer { Task { await worker.shutdown() } }
        let reply = try await worker.create("golden-pg", connectorConfig(db, prefix: prefix))
        #expect(reply.status == 201, "create: \(reply.raw)")
        try await worker.waitForState("golden-pg", "RUNNING", timeout: 60)
        let topic = "\(prefix).public.all_types"
        _ = try await CDCIT.waitForRecords(worker.bootstrap, topic, count: 2)
        try await CDCIT.exec(db, [
            Self.row(1),
            "INSERT INTO public.all_types (id) VALUES (2)",
            "UPDATE public.all_types SET vc = 'changed', num = -0.01, arr = '{}', j = NULL, m = 'sad' WHERE id = 1",
            "DELETE FROM public.all_types WHERE id = 2",
            "TRUNCATE public.all_types",
        ])
        let messages = try await CDCIT.waitForRecords(worker.bootstrap, topic, count: 8)
        try compare(messages, database: db.dbname, schemas: true, fixturePrefix: "schemas-",
                    expected: ["r-100", "r-101", "c-1", "c-2", "u-1", "d-2", "tombstone-2", "t"])
        await worker.shutdown()
        await CDCIT.dropSlot(db, "slot_\(db.dbname)")
    }

    /// Connector-level converter overrides, as a user writes them: `value.converter.schemas.enable=false` gives the
    /// bare envelope, `key.converter.schemas.enable=false` the bare key struct.
    @Test func debeziumJSONWithoutSchemasMatchesGoldenFiles() async throws {
        let db = try await CDCIT.database("golden_nos")
        try await CDCIT.exec(db, [Self.table])
        let worker = try await TestWorker()
        let prefix = "goldennos"
        defer { Task { await worker.shutdown() } }
        let config = connectorConfig(db, prefix: prefix, extra: [
            "key.converter": "org.apache.kafka.connect.json.JsonConverter", "key.converter.schemas.enable": "false",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
        ])
        let reply = try await worker.create("golden-nos", config)
        #expect(reply.status == 201, "create: \(reply.raw)")
        try await worker.waitForState("golden-nos", "RUNNING", timeout: 60)
        try await Task.sleep(for: .seconds(1))
        try await CDCIT.exec(db, [
            Self.row(1),
            "UPDATE public.all_types SET vc = 'changed', num = -0.01, arr = '{}', j = NULL, m = 'sad' WHERE id = 1",
            "DELETE FROM public.all_types WHERE id = 1",
        ])
        let messages = try await CDCIT.waitForRecords(worker.bootstrap, "\(prefix).public.all_types", count: 4)
        try compare(messages, database: db.dbname, schemas: false, fixturePrefix: "noschemas-", expected: ["c-1", "u-1", "d-1", "tombstone-1"])
        await worker.shutdown()
        await CDCIT.dropSlot(db, "slot_\(db.dbname)")
    }
}
