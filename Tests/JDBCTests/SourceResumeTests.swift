import Foundation
import JDBCSource
import SQL
import SluiceAPI
import TestSupport
import Testing

/// Restarts, the timestamp-mode same-timestamp case, lost connections and vanished tables.
@Suite struct SourceResumeTests {
    @Test(arguments: SourceDB.allCases)
    func restartMidLoadResumesAtTheCommittedOffset(_ db: SourceDB) throws {
        let (url, keep) = try db.create("resume")
        defer { _ = keep }
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        try c.execute(db.createItems("items"))
        let rows: [[SQLValue]] = (1...20_000).map { [.int(Int64($0)), .text("n\($0)"), .timestamp(ts(Int64($0)))] }
        try c.transaction { try c.bulkInsert(into: SQLTableName("items"), columns: ["id", "name", "updated_at"], rows: rows) }
        let props = sourceProps(url, mode: "incrementing", tables: ["items"],
            extra: ["incrementing.column.name": "id", "batch.max.rows": "1000"])

        let offsets = MemoryOffsets()
        let first = try SourceRun(props, offsets: offsets)
        var delivered: [Int64] = []
        for i in 0..<5 {
            let batch = try first.task.poll()
            #expect(batch.count == 1000)  // one cursor, 1000 rows per poll
            if i < 4 {  // the fifth batch never reached Kafka: its offsets are not committed
                offsets.commit(batch)
                delivered += batch.compactMap(\.id)
            }
        }
        first.stop()
        #expect(offsets.all.values.first == ["incrementing": .int(4000)])

        let second = try SourceRun(props, offsets: offsets)
        defer { second.stop() }
        delivered += try second.drain().compactMap(\.id)
        #expect(delivered == Array(1...20_000))
    }

    /// Rows sharing the latest timestamp are not lost when a batch cuts them, on restart, or when another row with
    /// that timestamp arrives later (the original commits the timestamp and queries `> ts`, losing them).
    @Test(arguments: SourceDB.allCases)
    func timestampModeKeepsRowsSharingTheLastTimestamp(_ db: SourceDB) throws {
        let (url, keep) = try db.create("samets")
        defer { _ = keep }
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        try c.execute(db.createItems("items"))
        let insert = c.dialect.insert(into: SQLTableName("items"), columns: ["id", "name", "updated_at"])
        for i in 1...5 { try c.execute(insert, [.int(Int64(i)), .text("n\(i)"), .timestamp(ts(1))]) }
        let props = sourceProps(url, mode: "timestamp", tables: ["items"],
            extra: ["timestamp.column.name": "updated_at", "batch.max.rows": "2"])

        let offsets = MemoryOffsets()
        let first = try SourceRun(props, offsets: offsets)
        let cut = try first.task.poll()
        #expect(cut.compactMap(\.id) == [1, 2])
        offsets.commit(cut)
        first.stop()

        let second = try SourceRun(props, offsets: offsets)
        defer { second.stop() }
        var seen = Set(cut.compactMap(\.id))
        let resumed = try second.drain().compactMap(\.id)
        seen.formUnion(resumed)
        #expect(seen == [1, 2, 3, 4, 5])
        #expect(resumed.count == 5)  // the whole group again (at-least-once), never fewer

        // A row with the same (latest) timestamp committed later is still read, and nothing is repeated.
        try c.execute(insert, [.int(6), .text("late"), .timestamp(ts(1))])
        #expect(try second.drain().compactMap(\.id) == [6])
        // A later timestamp completes the group: its timestamp is committed.
        try c.execute(insert, [.int(7), .text("next"), .timestamp(ts(2))])
        let next = try second.drain()
        #expect(next.compactMap(\.id) == [7])
        #expect(next.last?.sourceOffset == ["timestamp": .int(ts(1) / 1000), "timestamp_nanos": .int(0)])
        #expect(try second.drain().isEmpty)
    }

    @Test func lostConnectionIsReopenedAndReadingContinues() throws {
        let server = try PostgresServer.shared()
        let tdb = try server.createDatabase(prefix: "lost")
        let c = try tdb.connect()
        defer { c.close() }
        try c.execute(SourceDB.postgres.createItems("items"))
        let insert = c.dialect.insert(into: SQLTableName("items"), columns: ["name", "updated_at"])
        for i in 1...3 { try c.execute(insert, [.text("n\(i)"), .timestamp(ts(Int64(i)))]) }
        let run = try SourceRun(sourceProps(tdb.url, mode: "incrementing", tables: ["items"]))
        defer { run.stop() }
        #expect(try run.drain().compactMap(\.id) == [1, 2, 3])
        try c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        try c.execute(insert, [.text("n4"), .timestamp(ts(4))])
        #expect(try run.drain().compactMap(\.id) == [4])
    }

    @Test func unreachableDatabaseFailsAfterTheConfiguredAttempts() throws {
        let port = TestSupport.freePort()
        var props = sourceProps("jdbc:postgresql://127.0.0.1:\(port)/none?user=postgres", mode: "bulk", tables: ["t"],
            extra: ["connection.attempts": "2", "connection.backoff.ms": "10"])
        props["tables"] = #"[{"schema":"public","name":"t","topic":"src-t"}]"#
        let task = JDBCSourceTask()
        task.initialize(context: SourceTestContext(configs: props, offsets: MemoryOffsets()))
        let error = #expect(throws: ConnectError.self) { try task.start(props) }
        #expect(error?.message.contains("after 2 attempt(s)") == true)
    }

    @Test(arguments: SourceDB.allCases)
    func aTableDroppedWhileAssignedIsLeftOut(_ db: SourceDB) throws {
        let (url, keep) = try db.create("dropped")
        defer { _ = keep }
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        try c.execute(db.createItems("keep"))
        try c.execute(db.createItems("gone"))
        for t in ["keep", "gone"] {
            try c.execute(c.dialect.insert(into: SQLTableName(t), columns: ["name", "updated_at"]), [.text("x"), .timestamp(ts(1))])
        }
        let run = try SourceRun(sourceProps(url, mode: "incrementing", tables: ["keep", "gone"]))
        defer { run.stop() }
        #expect(try run.drain().count == 2)
        try c.execute("DROP TABLE gone")
        try c.execute(c.dialect.insert(into: SQLTableName("keep"), columns: ["name", "updated_at"]), [.text("y"), .timestamp(ts(2))])
        let after = try run.drain()
        #expect(after.map(\.topic) == ["src-keep"])
        #expect(after.first?["name"] == .string("y"))
    }
}
