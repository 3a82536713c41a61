import Foundation
import Kafka
import SQL
import SluiceAPI
import Testing
import TestSupport
import WorkerTestSupport

/// The PostgreSQL CDC connector inside a real standalone worker: snapshot-to-stream hand-over under concurrent
/// writes, heartbeats moving an idle slot, and a Debezium "unwrap" pipeline into MariaDB through the JDBC sink.
struct CDCPipelineTests {
    static func config(_ db: TestDatabase, prefix: String, _ extra: [String: String] = [:]) -> [String: String] {
        var c = [
            "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
            "database.hostname": db.host, "database.port": String(db.port), "database.user": "postgres",
            "database.dbname": db.dbname, "topic.prefix": prefix, "plugin.name": "pgoutput",
            "slot.name": "slot_\(db.dbname)", "publication.name": "pub_\(db.dbname)", "publication.autocreate.mode": "filtered",
            "status.update.interval.ms": "300", "poll.interval.ms": "200",
        ]
        c.merge(extra) { $1 }
        return c
    }

    /// Final state per key from a Debezium topic read with schemas off: key id → `after.v` (nil once deleted).
    static func finalState(_ messages: [KafkaMessage]) -> [Int64: String?] {
        var state: [Int64: String?] = [:]
        // Per partition in offset order; a key always lives in one partition, so per-key order is preserved.
        for m in messages.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            guard let id = CDCIT.json(m.key)?["id"]?.int64Value else { continue }
            guard let v = CDCIT.json(m.value), v != .null else { state[id] = .some(nil); continue }
            if v["op"]?.stringValue == "d" { state[id] = .some(nil) } else { state[id] = .some(v["after"]?["v"]?.stringValue) }
        }
        return state
    }

    /// Rows written while the snapshot runs are either in the snapshot or in the stream (exported slot snapshot):
    /// after the writers stop, the topic's last event per key equals the table.
    @Test func snapshotThenStreamUnderConcurrentWritesLosesNothing() async throws {
        let db = try await CDCIT.database("cdc_snap")
        try await CDCIT.exec(db, [
            "CREATE TABLE public.items (id bigint PRIMARY KEY, v text NOT NULL)",
            "INSERT INTO public.items SELECT g, 'seed-' || g FROM generate_series(1, 20000) g",
        ])
        let worker = try await TestWorker(extra: ["key.converter.schemas.enable": "false", "value.converter.schemas.enable": "false"])
        defer { Task { await worker.shutdown() } }
        // Writers: updates of snapshot rows, new rows, deletes, in many small transactions; the connector (slot,
        // exported snapshot, snapshot reads) starts while they run, so some writes land before the slot's consistent
        // point (seen by the snapshot) and some after it (streamed).
        let rounds = 100
        let progress = CDCCounter()
        let writers = Task.detached {
            let c = try db.connect()
            defer { c.close() }
            for round in 0..<rounds {
                try c.execute("BEGIN")
                try c.execute("UPDATE public.items SET v = 'upd-' || $1 || '-' || id WHERE id % 97 = $2", [.text(String(round)), .int(Int64(round % 97))])
                try c.execute("INSERT INTO public.items SELECT g, 'new-' || g FROM generate_series($1::bigint, $1::bigint + 49) g", [.int(Int64(100_000 + round * 50))])
                try c.execute("DELETE FROM public.items WHERE id = $1", [.int(Int64(round * 150 + 7))])
                try c.execute("COMMIT")
                progress.set(round + 1)
                usleep(30_000)
            }
        }
        try await waitUntil(timeout: 30, "writers under way") { progress.value >= 10 }
        // Small fetch and batch sizes stretch the snapshot so the writers overlap it.
        let reply = try await worker.create("snap", Self.config(db, prefix: "snap", [
            "table.include.list": "public.items", "snapshot.fetch.size": "500", "max.batch.size": "500",
        ]))
        #expect(reply.status == 201, "create: \(reply.raw)")
        try await writers.value
        let expected = Dictionary(uniqueKeysWithValues: try await CDCIT.rows(db, "SELECT id::text, v FROM public.items").map { (Int64($0[0])!, $0[1]) })
        #expect(expected.count == 20_000 + rounds * 50 - rounds)
        var state: [Int64: String?] = [:]
        var messages: [KafkaMessage] = []
        // The read asks for more than the topic holds, so it reads for its whole timeout (see CDCCrashTests).
        try await waitUntil(timeout: 180, "topic converges to the table") {
            messages = try await CDCIT.readTopic(worker.bootstrap, "snap.public.items", count: 200_000, timeoutMs: 15_000)
            state = Self.finalState(messages)
            return expected.allSatisfy { state[$0.key] == .some($0.value) }
        }
        // Both sides of the hand-over were exercised: writes before the slot (in `r` events) and after it (streamed).
        let values = messages.compactMap { CDCIT.json($0.value) }
        #expect(values.contains { $0["op"]?.stringValue == "r" && ($0["after"]?["v"]?.stringValue ?? "").hasPrefix("new-") })
        #expect(values.contains { $0["op"]?.stringValue == "c" } && values.contains { $0["op"]?.stringValue == "u" })
        let live = state.filter { $0.value != nil }
        #expect(live.count == expected.count, "keys alive on the topic: \(live.count), rows: \(expected.count)")
        for (id, v) in expected where state[id] != .some(v) {
            Issue.record("row \(id): table has \(v), topic has \(String(describing: state[id]))")
            break
        }
        await worker.shutdown()
        await CDCIT.dropSlot(db, "slot_\(db.dbname)")
    }

    /// With no table change at all, heartbeats commit offsets and the slot's confirmed_flush_lsn still moves past
    /// WAL written by other databases (the #1 Debezium complaint: WAL pinned by an idle slot).
    @Test func heartbeatsAdvanceTheSlotOnAnIdleDatabase() async throws {
        let db = try await CDCIT.database("cdc_hb")
        let other = try await CDCIT.database("cdc_hb_other")
        try await CDCIT.exec(db, ["CREATE TABLE public.quiet (id int PRIMARY KEY)"])
        try await CDCIT.exec(other, ["CREATE TABLE public.noise (id int PRIMARY KEY, v text)"])
        let worker = try await TestWorker(extra: ["offset.flush.interval.ms": "200"])
        defer { Task { await worker.shutdown() } }
        let reply = try await worker.create("hb", Self.config(db, prefix: "hb", [
            "heartbeat.interval.ms": "300", "table.include.list": "public.quiet", "snapshot.mode": "no_data",
        ]))
        #expect(reply.status == 201, "create: \(reply.raw)")
        try await worker.waitForState("hb", "RUNNING", timeout: 60)
        let slot = "slot_\(db.dbname)"
        try await waitUntil(timeout: 30, "slot exists") { try await CDCIT.confirmedFlush(db, slot: slot) != nil }
        let initial = try await CDCIT.confirmedFlush(db, slot: slot) ?? 0
        // WAL from another database: nothing for this slot's publication, but the slot must not stay behind it.
        try await CDCIT.exec(other, ["INSERT INTO public.noise SELECT g, repeat('x', 100) FROM generate_series(1, 5000) g"])
        let walAfterNoise = try await CDCIT.currentWAL(other)
        #expect(walAfterNoise > initial)
        try await waitUntil(timeout: 60, "confirmed_flush_lsn passes the other database's WAL") {
            (try await CDCIT.confirmedFlush(db, slot: slot) ?? 0) >= walAfterNoise
        }
        // Heartbeat records are on the Debezium heartbeat topic with the ServerNameKey key.
        let beats = try await CDCIT.waitForRecords(worker.bootstrap, "__debezium-heartbeat.hb", count: 2)
        #expect(CDCIT.json(beats[0].key)?["payload"]?["serverName"]?.stringValue == "hb")
        #expect(CDCIT.json(beats[0].value)?["schema"]?["name"]?.stringValue == "io.debezium.connector.common.Heartbeat")
        await worker.shutdown()
        await CDCIT.dropSlot(db, slot)
    }

    /// PostgreSQL → CDC → ExtractNewRecordState → JDBC sink (upsert, record_key, delete.enabled, auto.create) →
    /// MariaDB: after inserts, updates and deletes the copy equals the source row by row.
    @Test func unwrapIntoJDBCSinkMirrorsTableIntoMariaDB() async throws {
        let db = try await CDCIT.database("cdc_mirror")
        let maria = try await CDCIT.mariadb()
        let target = try await Task.detached { try maria.createDatabase(prefix: "cdc_mirror") }.value
        try await CDCIT.exec(db, [
            "CREATE TABLE public.accounts (id integer PRIMARY KEY, name varchar(40) NOT NULL, balance bigint, active boolean)",
            "INSERT INTO public.accounts SELECT g, 'acct-' || g, g * 10, g % 2 = 0 FROM generate_series(1, 300) g",
        ])
        let worker = try await TestWorker()
        defer { Task { await worker.shutdown() } }
        var source = Self.config(db, prefix: "mirror", ["table.include.list": "public.accounts"])
        source["transforms"] = "unwrap"
        source["transforms.unwrap.type"] = "io.debezium.transforms.ExtractNewRecordState"
        var reply = try await worker.create("mirror-src", source)
        #expect(reply.status == 201, "create source: \(reply.raw)")
        reply = try await worker.create("mirror-sink", [
            "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector", "topics": "mirror.public.accounts",
            "connection.url": target.url, "insert.mode": "upsert", "pk.mode": "record_key", "delete.enabled": "true",
            "auto.create": "true", "table.name.format": "accounts",
        ])
        #expect(reply.status == 201, "create sink: \(reply.raw)")
        try await Task.sleep(for: .seconds(2))
        try await CDCIT.exec(db, [
            "INSERT INTO public.accounts SELECT g, 'late-' || g, NULL, true FROM generate_series(301, 400) g",
            "UPDATE public.accounts SET balance = balance + 1, name = name || '!' WHERE id % 3 = 0",
            "DELETE FROM public.accounts WHERE id % 7 = 0",
            "UPDATE public.accounts SET active = NULL WHERE id BETWEEN 390 AND 400",
        ])
        let want = try await CDCIT.rows(db, "SELECT id::text, name, coalesce(balance::text, 'NULL'), CASE WHEN active IS NULL THEN 'NULL' WHEN active THEN '1' ELSE '0' END FROM public.accounts ORDER BY accounts.id")
        var got: [[String]] = []
        do {
            try await waitUntil(timeout: 90, "MariaDB copy equals the source") {
                got = (try? await CDCIT.rows(target, "SELECT CAST(id AS CHAR), name, COALESCE(CAST(balance AS CHAR), 'NULL'), COALESCE(CAST(active AS CHAR), 'NULL') FROM accounts ORDER BY id")) ?? []
                return got == want
            }
        } catch {
            let firstDiff = zip(got, want).first { $0 != $1 }.map { "MariaDB \($0.0) vs PostgreSQL \($0.1)" } ?? "none in common prefix"
            let status = try? await worker.get("/connectors/mirror-sink/status").raw
            Issue.record("MariaDB has \(got.count) rows, PostgreSQL \(want.count); first difference: \(firstDiff); sink status: \(status ?? "?")")
            throw error
        }
        #expect(got.count == 400 - 57)
        await worker.shutdown()
        await CDCIT.dropSlot(db, "slot_\(db.dbname)")
    }
}
