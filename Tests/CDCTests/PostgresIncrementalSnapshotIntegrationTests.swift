import Foundation
import SQL
import SluiceAPI
import Testing
import TestSupport
@testable import CDC

/// Incremental snapshots through the task against a real PostgreSQL 15, called as the runtime would.
@Suite struct PostgresIncrementalSnapshotIntegrationTests {
    static let signalDDL = "CREATE TABLE public.debezium_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))"

    func props(_ extra: [String: String] = [:]) -> [String: String] {
        var p = ["snapshot.mode": "no_data", "signal.data.collection": "public.debezium_signal", "incremental.snapshot.chunk.size": "100",
                 "table.include.list": "public\\.t,public\\.nokey"]
        p.merge(extra) { $1 }
        return p
    }

    @Test func signalReadsEveryRowInChunksWhileStreamingContinues() throws {
        let f = try CDCFixture("incr")
        defer { f.dropSlot() }
        try f.sql.execute(Self.signalDDL)
        try f.sql.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        try f.sql.execute("INSERT INTO t SELECT g, 'seed' FROM generate_series(1, 1050) g")
        let offsets = MemoryOffsets()
        let task = try f.startTask(offsets, props())
        defer { task.stop() }
        try f.sql.execute("INSERT INTO debezium_signal VALUES ('s1', 'execute-snapshot', '{\"data-collections\": [\"public.t\"], \"type\": \"incremental\"}')")
        var reads: [Int64] = []
        var streamed: [Int64] = []
        let deadline = Date().addingTimeInterval(40)
        var inserted = 2000
        // Until the snapshot read its last row and every live insert was streamed (on a loaded machine the snapshot
        // may finish before the last live rows arrive: both must come, in either order).
        while !(reads.contains(1050) && streamed.count(where: { $0 > 2000 }) >= 10) && Date() < deadline {
            if inserted < 2010 {
                inserted += 1
                try f.sql.execute("INSERT INTO t VALUES ($1, 'live')", [.int(Int64(inserted))])
            }
            for r in try task.poll() {
                guard let id = r.after?["id"]?.int64Value else { continue }
                if r.op == "r" {
                    #expect(r.value.structValue?["source"]?.structValue?["snapshot"] == .string("incremental"))
                    reads.append(id)
                } else {
                    streamed.append(id)
                }
            }
        }
        // Every existing row once, in key order (live rows inserted before the first chunk read its maximum key
        // are read too; later ones are only streamed).
        let seeded = reads.filter { $0 <= 1050 }
        #expect(seeded.count == 1050 && seeded == seeded.sorted(), "missing: \(Set(1...1050).subtracting(reads).sorted().prefix(10))")
        #expect(reads.filter { $0 > 1050 }.allSatisfy { $0 > 2000 && $0 <= inserted })
        #expect(Set(reads).count == reads.count, "no row read twice")
        #expect(streamed.count(where: { $0 > 2000 }) == 10, "every live insert streamed while the snapshot ran")
        // The snapshot ends: later records no longer carry its progress.
        try f.sql.execute("INSERT INTO t VALUES (5000, 'after')")
        let after = try f.poll(task, until: 1, where: { $0.after?["id"] == .int32(5000) })
        #expect(after.first?.sourceOffset["incremental_snapshot_collections"] == nil)
    }

    @Test func tableWithoutPrimaryKeyIsSkippedAndNextTableIsRead() throws {
        let f = try CDCFixture("incr_nokey")
        defer { f.dropSlot() }
        try f.sql.execute(Self.signalDDL)
        try f.sql.execute("CREATE TABLE nokey (v int)")
        try f.sql.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        try f.sql.execute("INSERT INTO nokey VALUES (1), (2)")
        try f.sql.execute("INSERT INTO t SELECT g, 'x' FROM generate_series(1, 30) g")
        let task = try f.startTask(MemoryOffsets(), props())
        defer { task.stop() }
        try f.sql.execute("INSERT INTO debezium_signal VALUES ('s1', 'execute-snapshot', '{\"data-collections\": [\"public.nokey\", \"public.t\"]}')")
        let recs = try f.poll(task, until: 30, seconds: 20, where: { $0.op == "r" })
        #expect(recs.count == 30)
        #expect(recs.allSatisfy { $0.topic == "srv.public.t" })
    }

    @Test func additionalConditionLimitsTheRowsRead() throws {
        let f = try CDCFixture("incr_cond")
        defer { f.dropSlot() }
        try f.sql.execute(Self.signalDDL)
        try f.sql.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        try f.sql.execute("INSERT INTO t SELECT g, CASE WHEN g % 3 = 0 THEN 'keep' ELSE 'skip' END FROM generate_series(1, 300) g")
        let task = try f.startTask(MemoryOffsets(), props())
        defer { task.stop() }
        try f.sql.execute(#"INSERT INTO debezium_signal VALUES ('s1', 'execute-snapshot', '{"data-collections": ["public.t"], "additional-conditions": [{"data-collection": "public\\.t", "filter": "v = ''keep''"}]}')"#)
        let reads = try f.poll(task, until: 100, where: { $0.op == "r" })
        #expect(reads.compactMap { $0.after?["id"]?.int64Value } == Array(stride(from: 3, through: 300, by: 3)))
        #expect(reads.first?.sourceOffset["incremental_snapshot_collections"]?.stringValue?.contains("v = 'keep'") == true)
    }

    @Test func stopSnapshotEndsItAndOffsetsForgetIt() throws {
        let f = try CDCFixture("incr_stop")
        defer { f.dropSlot() }
        try f.sql.execute(Self.signalDDL)
        try f.sql.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        try f.sql.execute("INSERT INTO t SELECT g, 'x' FROM generate_series(1, 20000) g")
        let task = try f.startTask(MemoryOffsets(), props(["incremental.snapshot.chunk.size": "10"]))
        defer { task.stop() }
        try f.sql.execute(#"INSERT INTO debezium_signal VALUES ('s1', 'execute-snapshot', '{"data-collections": ["public.t"]}')"#)
        var reads = try f.poll(task, until: 20, where: { $0.op == "r" }).count
        try f.sql.execute(#"INSERT INTO debezium_signal VALUES ('s2', 'stop-snapshot', '{"data-collections": ["public.t"], "type": "incremental"}')"#)
        try f.sql.execute("INSERT INTO t VALUES (50000, 'after-stop')")
        var later: SourceRecord?
        let deadline = Date().addingTimeInterval(20)
        while later == nil && Date() < deadline {
            for r in try task.poll() {
                if r.op == "r" { reads += 1 } else if r.after?["id"] == .int32(50000) { later = r }
            }
        }
        #expect(later != nil)
        #expect(later?.sourceOffset["incremental_snapshot_collections"] == nil)
        for _ in 0..<5 { reads += try task.poll().count(where: { $0.op == "r" }) }
        #expect(reads < 20000, "the snapshot stopped (\(reads) rows read)")
    }

    @Test func compositeKeysOfMixedTypesAreChunkedAndDeduplicated() throws {
        let f = try CDCFixture("incr_composite")
        defer { f.dropSlot() }
        try f.sql.execute(Self.signalDDL)
        try f.sql.execute("CREATE TABLE t (region text, at timestamptz, n numeric(8,2), v int NOT NULL, PRIMARY KEY (region, at, n))")
        try f.sql.execute("""
            INSERT INTO t SELECT CASE g % 3 WHEN 0 THEN 'eu' WHEN 1 THEN 'us ''east''' ELSE 'ü,x' END,
                                 timestamptz '2024-01-01 00:00:00+00' + (g % 7) * interval '1 hour 0.5 second', g * 0.25, 0
            FROM generate_series(1, 450) g
            """)
        // Each close marker's transaction first updates the 4 lowest untouched rows: at the first close these are
        // rows of the chunk just read, so their keys (text with a quote, timestamptz, numeric) must match the
        // streamed ones exactly for the stale reads to be evicted.
        try f.sql.execute("""
            CREATE FUNCTION touch_t() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.type = 'snapshot-window-close' THEN
                UPDATE t SET v = 1 WHERE (region, at, n) IN (SELECT region, at, n FROM t WHERE v = 0 ORDER BY 1, 2, 3 LIMIT 4);
              END IF;
              RETURN NEW;
            END $$
            """)
        try f.sql.execute("CREATE TRIGGER touch_t BEFORE INSERT ON debezium_signal FOR EACH ROW EXECUTE FUNCTION touch_t()")
        let task = try f.startTask(MemoryOffsets(), props(["incremental.snapshot.chunk.size": "37"]))
        defer { task.stop() }
        try f.sql.execute(#"INSERT INTO debezium_signal VALUES ('s1', 'execute-snapshot', '{"data-collections": ["public.t"]}')"#)
        var reads: [String] = []
        var state: [String: Int64] = [:]
        func touched() throws -> Int64 { try f.sql.queryAll("SELECT count(*)::bigint FROM t WHERE v = 1").rows[0][0].intValue ?? 0 }
        func caughtUp() throws -> Bool { Int64(state.values.filter { $0 == 1 }.count) == (try touched()) }
        let deadline = Date().addingTimeInterval(30)
        // Until every row was read and the last window's updates were streamed: 13 chunks of data plus the closing
        // empty one write 28 markers after the user's signal.
        while try state.count < 450 || reads.count + 4 < 450 || !caughtUp() || f.sql.queryScalar("SELECT count(*) FROM debezium_signal")?.intValue ?? 0 < 29,
              Date() < deadline {
            for r in try task.poll() {
                guard let a = r.after, let v = a["v"]?.int64Value else { continue }
                let key = ["region", "at", "n"].map { "\(a[$0] ?? .null)" }.joined(separator: "|")
                if r.op == "r" { reads.append(key) }
                state[key] = v
            }
        }
        #expect(reads.count == 446, "every row read once, except the 4 updated inside the first window")
        #expect(Set(reads).count == reads.count)
        #expect(state.count == 450)
        #expect(try caughtUp(), "no stale read overtook an update")
    }

    @Test func restartResumesAfterTheLastPersistedChunk() throws {
        let f = try CDCFixture("incr_resume")
        defer { f.dropSlot() }
        try f.sql.execute(Self.signalDDL)
        try f.sql.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        try f.sql.execute("INSERT INTO t SELECT g, 'seed' FROM generate_series(1, 600) g")
        let offsets = MemoryOffsets()
        var task = try f.startTask(offsets, props())
        try f.sql.execute("INSERT INTO debezium_signal VALUES ('s1', 'execute-snapshot', '{\"data-collections\": [\"public.t\"]}')")
        let first = try f.poll(task, until: 250, where: { $0.op == "r" })
        #expect(first.count >= 250)
        // The runtime persisted up to the 250th read, then the task stops.
        offsets.persist(first[249])
        try task.commit()
        task.stop()
        #expect(offsets.offset(PostgresOffset.partition(serverName: "srv"))?["incremental_snapshot_primary_key"] == .string(#"["250"]"#))
        task = try f.startTask(offsets, props())
        defer { task.stop() }
        let rest = try f.poll(task, until: 350, where: { $0.op == "r" })
        #expect(rest.compactMap { $0.after?["id"]?.int64Value } == Array(251...600))
    }
}
