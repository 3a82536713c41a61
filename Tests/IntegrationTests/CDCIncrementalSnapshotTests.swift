import Foundation
import Kafka
import SQL
import SluiceAPI
import Testing
import TestSupport
import WorkerTestSupport

/// Debezium incremental snapshots (signal table, DBLog chunks and windows) in a real standalone worker: every row is
/// read while streaming goes on, concurrent changes are never overtaken by a stale read, and a task restarted
/// mid-snapshot resumes after its last persisted chunk.
struct CDCIncrementalSnapshotTests {
    static let signalDDL = "CREATE TABLE public.debezium_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))"
    static let executeSignal = #"INSERT INTO public.debezium_signal VALUES ('sig-1', 'execute-snapshot', '{"data-collections": ["public.items"], "type": "incremental"}')"#

    /// Schemas off; no initial snapshot (rows already in the table reach the topic only through the incremental
    /// snapshot); the signal table is not captured but is added to the filtered publication.
    static func config(_ db: TestDatabase, prefix: String, chunk: Int) -> [String: String] {
        CDCPipelineTests.config(db, prefix: prefix, [
            "snapshot.mode": "no_data", "table.include.list": "public.items", "signal.data.collection": "public.debezium_signal",
            "incremental.snapshot.chunk.size": String(chunk),
        ])
    }

    static func start(_ worker: TestWorker, _ name: String, _ db: TestDatabase, chunk: Int) async throws {
        let reply = try await worker.create(name, config(db, prefix: name, chunk: chunk))
        #expect(reply.status == 201, "create: \(reply.raw)")
        try await worker.waitForState(name, "RUNNING", timeout: 60)
        try await waitUntil(timeout: 30, "slot exists") { try await CDCIT.confirmedFlush(db, slot: "slot_\(db.dbname)") != nil }
    }

    /// Keys of the `op=r` events of a topic read with schemas off, in topic order per partition.
    static func reads(_ messages: [KafkaMessage]) -> [Int64] {
        messages.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }).compactMap { m in
            guard let v = CDCIT.json(m.value), v["op"]?.stringValue == "r" else { return nil }
            return v["after"]?["id"]?.int64Value
        }
    }

    @Test func signalReadsEveryRowAsIncrementalWhileStreamingContinues() async throws {
        let db = try await CDCIT.database("cdc_incr")
        try await CDCIT.exec(db, [
            Self.signalDDL, "CREATE TABLE public.items (id bigint PRIMARY KEY, v text NOT NULL)",
            "INSERT INTO public.items SELECT g, 'seed-' || g FROM generate_series(1, 5000) g",
        ])
        let worker = try await TestWorker(extra: ["key.converter.schemas.enable": "false", "value.converter.schemas.enable": "false"])
        defer { Task { await worker.shutdown() } }
        try await Self.start(worker, "incr", db, chunk: 500)
        try await CDCIT.exec(db, ["INSERT INTO public.items SELECT g, 'live-' || g FROM generate_series(100001, 100010) g"])
        try await CDCIT.exec(db, [Self.executeSignal])
        // Streaming goes on during the snapshot: single-row transactions while the chunks are read.
        for i in 100_011...100_030 { try await CDCIT.exec(db, ["INSERT INTO public.items VALUES (\(i), 'live-\(i)')"]) }

        var messages: [KafkaMessage] = []
        try await waitUntil(timeout: 120, "every seeded row read and every live row streamed") {
            messages = try await CDCIT.readTopic(worker.bootstrap, "incr.public.items", count: 20_000, timeoutMs: 10_000)
            let values = messages.compactMap { CDCIT.json($0.value) }
            let read = Set(values.filter { $0["op"]?.stringValue == "r" }.compactMap { $0["after"]?["id"]?.int64Value })
            let created = Set(values.filter { $0["op"]?.stringValue == "c" }.compactMap { $0["after"]?["id"]?.int64Value })
            return read.isSuperset(of: 1...5000) && created.isSuperset(of: 100_001...100_030)
        }
        let values = messages.compactMap { CDCIT.json($0.value) }
        let reads = values.filter { $0["op"]?.stringValue == "r" }
        #expect(reads.allSatisfy { $0["source"]?["snapshot"]?.stringValue == "incremental" })
        #expect(reads.allSatisfy { ($0["after"]?["v"]?.stringValue ?? "").hasPrefix("seed-") || ($0["after"]?["id"]?.int64Value ?? 0) > 100_000 })
        #expect(reads.allSatisfy { $0["source"]?["txId"]?.int64Value != nil && $0["source"]?["lsn"]?.int64Value != nil })
        let seeded = Self.reads(messages).filter { $0 <= 5000 }
        #expect(seeded.count == 5000, "each seeded row is read once (got \(seeded.count) reads)")
        // The connector's own window markers are not published (the signal table is not captured).
        #expect(values.allSatisfy { $0["source"]?["table"]?.stringValue == "items" })
        await worker.shutdown()
        await CDCIT.dropSlot(db, "slot_\(db.dbname)")
    }

    @Test func concurrentUpdatesAndDeletesAreNeverOvertakenByStaleReads() async throws {
        let db = try await CDCIT.database("cdc_incr_conc")
        try await CDCIT.exec(db, [
            Self.signalDDL, "CREATE TABLE public.items (id bigint PRIMARY KEY, v text NOT NULL)",
            "INSERT INTO public.items SELECT g, 'seed-' || g FROM generate_series(1, 6000) g",
            // Deterministic in-window changes: each close marker's own transaction first updates the lowest rows
            // not yet touched (so rows of the chunk just SELECTed), once each. Those updates are newer than the
            // buffered rows and precede the close marker in the stream: a read emitted for them would stay stale.
            """
            CREATE FUNCTION public.touch_items() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.type = 'snapshot-window-close' THEN
                UPDATE public.items SET v = 'win-' || NEW.id WHERE id IN
                  (SELECT id FROM public.items WHERE id % 40 = 7 AND v LIKE 'seed-%' ORDER BY id LIMIT 4);
              END IF;
              RETURN NEW;
            END $$
            """,
            "CREATE TRIGGER touch_items BEFORE INSERT ON public.debezium_signal FOR EACH ROW EXECUTE FUNCTION public.touch_items()",
        ])
        let worker = try await TestWorker(extra: ["key.converter.schemas.enable": "false", "value.converter.schemas.enable": "false"])
        defer { Task { await worker.shutdown() } }
        try await Self.start(worker, "conc", db, chunk: 150)
        // Writers touch keys ahead of, inside and behind the chunk being read: updates spread over the table (not
        // the trigger's rows, whose last change must stay the in-window one), deletes, and re-inserts of deleted
        // keys, in small transactions.
        let rounds = 120
        let progress = CDCCounter()
        let writers = Task.detached {
            let c = try db.connect()
            defer { c.close() }
            for round in 0..<rounds {
                try c.execute("BEGIN")
                try c.execute("UPDATE public.items SET v = 'upd-' || $1 || '-' || id WHERE id % 53 = $2 AND id % 40 <> 7", [.text(String(round)), .int(Int64(round % 53))])
                try c.execute("DELETE FROM public.items WHERE id IN ($1, $2)", [.int(Int64(round * 47 + 3)), .int(Int64(6000 - round * 31))])
                if round % 3 == 0 {
                    try c.execute("INSERT INTO public.items VALUES ($1, 'again-' || $2) ON CONFLICT (id) DO UPDATE SET v = excluded.v",
                                  [.int(Int64((round - 3) * 47 + 3)), .text(String(round))])
                }
                try c.execute("COMMIT")
                progress.set(round + 1)
                usleep(25_000)
            }
        }
        try await waitUntil(timeout: 30, "writers under way") { progress.value >= 5 }
        try await CDCIT.exec(db, [Self.executeSignal])
        try await writers.value
        let expected = Dictionary(uniqueKeysWithValues: try await CDCIT.rows(db, "SELECT id::text, v FROM public.items").map { (Int64($0[0])!, $0[1]) })
        var state: [Int64: String?] = [:]
        var messages: [KafkaMessage] = []
        // Each read asks for more than the topic holds, so it reads for its whole timeout: enough to copy every record
        // out of the broker in a debug build on a slow shared machine.
        try await waitUntil(timeout: 150, "topic converges to the table") {
            messages = try await CDCIT.readTopic(worker.bootstrap, "conc.public.items", count: 100_000, timeoutMs: 15_000)
            state = CDCPipelineTests.finalState(messages)
            return expected.allSatisfy { state[$0.key] == .some($0.value) }
        }
        let live = state.filter { $0.value != nil }
        #expect(live.count == expected.count, "keys alive on the topic: \(live.count), rows: \(expected.count) (a stale read resurrects a deleted row)")
        for (id, v) in expected where state[id] != .some(v) {
            Issue.record("row \(id): table has \(v), topic has \(String(describing: state[id]))")
            break
        }
        // The snapshot, not only the stream, delivered the rows, and the writers overlapped it.
        let reads = Set(Self.reads(messages))
        #expect(reads.count > 4000, "rows read by the incremental snapshot: \(reads.count)")
        let values = messages.compactMap { CDCIT.json($0.value) }
        #expect(values.contains { $0["op"]?.stringValue == "u" } && values.contains { $0["op"]?.stringValue == "d" })
        #expect(values.contains { ($0["after"]?["v"]?.stringValue ?? "").hasPrefix("win-") }, "in-window updates were streamed")
        await worker.shutdown()
        await CDCIT.dropSlot(db, "slot_\(db.dbname)")
    }

    @Test func taskRestartedMidSnapshotResumesAfterTheLastPersistedChunk() async throws {
        let db = try await CDCIT.database("cdc_incr_restart")
        let rows = 8000
        try await CDCIT.exec(db, [
            Self.signalDDL, "CREATE TABLE public.items (id bigint PRIMARY KEY, v text NOT NULL)",
            "INSERT INTO public.items SELECT g, 'seed-' || g FROM generate_series(1, \(rows)) g",
        ])
        let worker = try await TestWorker(extra: [
            "key.converter.schemas.enable": "false", "value.converter.schemas.enable": "false", "offset.flush.interval.ms": "100",
        ])
        defer { Task { await worker.shutdown() } }
        try await Self.start(worker, "rst", db, chunk: 20)
        try await CDCIT.exec(db, [Self.executeSignal])
        // Wait until some chunks are persisted in the offsets, then restart the task.
        let offsetsFile = worker.dir.file("connect.offsets")
        var persistedKey: Int64?
        try await waitUntil(timeout: 30, "incremental snapshot progress in the offsets") {
            persistedKey = Self.persistedKey(offsetsFile)
            return (persistedKey ?? 0) >= 200
        }
        let restart = try await worker.post("/connectors/rst/tasks/0/restart")
        #expect(restart.status < 300, "restart: \(restart.raw)")
        let walAtRestart = try await CDCIT.currentWAL(db)
        var messages: [KafkaMessage] = []
        try await waitUntil(timeout: 60, "every row read") {
            messages = try await CDCIT.readTopic(worker.bootstrap, "rst.public.items", count: 3 * rows, timeoutMs: 3_000)
            return Set(Self.reads(messages)).isSuperset(of: 1...Int64(rows))
        }
        let reads = Self.reads(messages)
        // Resumed, not restarted: the first chunk is on the topic once, and the repeats are bounded by what was
        // read but not yet persisted when the task stopped.
        #expect(reads.filter { $0 == 1 }.count == 1)
        #expect(reads.count < rows + rows / 2, "reads: \(reads.count) for \(rows) rows")
        #expect(persistedKey.map { $0 < Int64(rows) } == true, "the snapshot was still running when the task was restarted")
        // The restarted task read chunks of its own (their window markers were written after the restart).
        let values = messages.compactMap { CDCIT.json($0.value) }
        #expect(values.contains { $0["op"]?.stringValue == "r" && UInt64($0["source"]?["lsn"]?.int64Value ?? 0) > walAtRestart })
        await worker.shutdown()
        await CDCIT.dropSlot(db, "slot_\(db.dbname)")
    }

    /// The `incremental_snapshot_primary_key` (Sluice's form `["<id>"]`) persisted in a standalone offsets file.
    static func persistedKey(_ file: String) -> Int64? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            guard let doc = try? JSONReader.parse(Array(line.utf8)), let key = doc["value"]?["incremental_snapshot_primary_key"]?.stringValue,
                  let first = (try? JSONReader.parse(key))?.arrayValue?.first?.stringValue else { continue }
            return Int64(first)
        }
        return nil
    }
}
