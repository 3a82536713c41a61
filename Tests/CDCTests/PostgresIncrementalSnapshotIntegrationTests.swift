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
        while !reads.contains(1050) && Date() < deadline {
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
        #expect(streamed.count(where: { $0 > 2000 }) >= 5, "streaming continued during the snapshot")
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
