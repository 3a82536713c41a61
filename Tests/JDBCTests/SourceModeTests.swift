import Foundation
import JDBCSource
import SQL
import SluiceAPI
import Testing

/// Each mode against each database: an initial load, then inserts/updates between polls appear as the mode
/// promises, with Confluent's partitions and offsets.
@Suite struct SourceModeTests {
    func setUp(_ db: SourceDB, _ prefix: String, rows: Int = 3) throws -> (String, AnyObject?, any DatabaseConnection) {
        let (url, keep) = try db.create(prefix)
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        try c.execute(db.createItems("items"))
        for i in 1...rows { try insert(c, db, name: "n\(i)", at: ts(Int64(i))) }
        return (url, keep, c)
    }

    func insert(_ c: any DatabaseConnection, _ db: SourceDB, name: String, at micros: Int64) throws {
        try c.execute(c.dialect.insert(into: SQLTableName("items"), columns: ["name", "updated_at"]), [.text(name), .timestamp(micros)])
    }

    @Test(arguments: SourceDB.allCases)
    func bulkRereadsTheWholeTableEachPass(_ db: SourceDB) throws {
        let (url, keep, c) = try setUp(db, "bulk")
        defer { c.close(); _ = keep }
        let run = try SourceRun(sourceProps(url, mode: "bulk", tables: ["items"]))
        defer { run.stop() }
        let first = try run.task.poll()
        #expect(first.compactMap(\.id) == [1, 2, 3])
        #expect(first[0].topic == "src-items")
        #expect(first[0].sourcePartition == ["table": .string("items")])
        #expect(first[0].sourceOffset.isEmpty)
        #expect(first[0].key == .null && first[0].keySchema == nil)
        #expect(first[0].valueSchema?.name == "items")
        try insert(c, db, name: "n4", at: ts(4))
        var second: [SourceRecord] = []
        for _ in 0..<20 where second.count < 4 { second += try run.task.poll() }
        #expect(second.compactMap(\.id) == [1, 2, 3, 4])
    }

    @Test(arguments: SourceDB.allCases)
    func incrementingReadsOnlyNewRows(_ db: SourceDB) throws {
        let (url, keep, c) = try setUp(db, "inc")
        defer { c.close(); _ = keep }
        // Auto-detected incrementing column (serial / AUTO_INCREMENT / INTEGER PRIMARY KEY).
        let run = try SourceRun(sourceProps(url, mode: "incrementing", tables: ["items"]))
        defer { run.stop() }
        let first = try run.drain()
        #expect(first.compactMap(\.id) == [1, 2, 3])
        let partition: [String: JSONValue] = ["table": .string(db.qualified("items", url: url)), "protocol": .string("1")]
        #expect(first.last?.sourcePartition == partition)
        #expect(first.last?.sourceOffset == ["incrementing": .int(3)])
        try insert(c, db, name: "n4", at: ts(4))
        try insert(c, db, name: "n5", at: ts(5))
        try c.execute("UPDATE items SET name = 'changed' WHERE id = 1")  // not seen: incrementing only sees new ids
        let second = try run.drain()
        #expect(second.compactMap(\.id) == [4, 5])
        #expect(second.last?[ "name"] == .string("n5"))
        #expect(run.offsets.offset(partition) == ["incrementing": .int(5)])
    }

    @Test(arguments: SourceDB.allCases)
    func timestampReadsNewAndUpdatedRows(_ db: SourceDB) throws {
        let (url, keep, c) = try setUp(db, "ts")
        defer { c.close(); _ = keep }
        let run = try SourceRun(sourceProps(url, mode: "timestamp", tables: ["items"],
            extra: ["timestamp.column.name": "updated_at"]))
        defer { run.stop() }
        let first = try run.drain()
        #expect(first.compactMap(\.id) == [1, 2, 3])
        #expect(first[0]["updated_at"] == .int64(ts(1) / 1000))
        // Row 3 carries the latest timestamp, which is committed only once a later one was read.
        #expect(first.last?.sourceOffset == ["timestamp": .int(ts(2) / 1000), "timestamp_nanos": .int(0)])
        try c.execute("UPDATE items SET name = 'changed', updated_at = ? WHERE id = 1".replacingOccurrences(
            of: "?", with: c.dialect.placeholder(1)), [.timestamp(ts(10))])
        try insert(c, db, name: "n4", at: ts(11))
        let second = try run.drain()
        #expect(second.compactMap(\.id) == [1, 4])
        #expect(second.first?["name"] == .string("changed"))
        #expect(second.last?.sourceOffset == ["timestamp": .int(ts(10) / 1000), "timestamp_nanos": .int(0)])
    }

    @Test(arguments: SourceDB.allCases)
    func timestampIncrementingOrdersByBoth(_ db: SourceDB) throws {
        let (url, keep, c) = try setUp(db, "tsinc")
        defer { c.close(); _ = keep }
        try insert(c, db, name: "same-ts", at: ts(3))  // id 4 shares row 3's timestamp
        let run = try SourceRun(sourceProps(url, mode: "timestamp+incrementing", tables: ["items"],
            extra: ["timestamp.column.name": "updated_at", "incrementing.column.name": "id", "batch.max.rows": "2"]))
        defer { run.stop() }
        let first = try run.drain()
        #expect(first.compactMap(\.id) == [1, 2, 3, 4])
        #expect(first.last?.sourceOffset == [
            "timestamp": .int(ts(3) / 1000), "timestamp_nanos": .int(0), "incrementing": .int(4),
        ])
        try insert(c, db, name: "n5", at: ts(3))  // same timestamp, higher id: still read
        try c.execute("UPDATE items SET updated_at = \(c.dialect.placeholder(1)) WHERE id = 2", [.timestamp(ts(20))])
        let second = try run.drain()
        #expect(second.compactMap(\.id) == [5, 2])
    }

    @Test(arguments: SourceDB.allCases)
    func queryModeWithSuffix(_ db: SourceDB) throws {
        let (url, keep, c) = try setUp(db, "query", rows: 5)
        defer { c.close(); _ = keep }
        let props = [
            "connection.url": url, "mode": "incrementing", "incrementing.column.name": "id",
            "query": "SELECT id, name FROM items", "query.suffix": "LIMIT 3", "topic.prefix": "exact-topic",
            "poll.interval.ms": "50",
        ]
        let run = try SourceRun(props)
        defer { run.stop() }
        let records = try run.drain()
        // LIMIT 3 after ORDER BY id: each query returns at most 3 rows, the next one continues after the offset.
        #expect(records.compactMap(\.id) == [1, 2, 3, 4, 5])
        #expect(records.allSatisfy { $0.topic == "exact-topic" })
        #expect(records[0].sourcePartition == ["query": .string("query")])
        #expect(records[0].valueSchema?.fields.map(\.name) == ["id", "name"])
        #expect(records[0].valueSchema?.name == nil)
    }
}
