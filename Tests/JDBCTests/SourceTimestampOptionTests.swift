import Foundation
import JDBCSource
import SQL
import SluiceAPI
import TestSupport
import Testing

/// `timestamp.column.name` lists (COALESCE), `timestamp.initial`, `timestamp.delay.interval.ms`, and `stop` waking
/// a waiting poll.
@Suite struct SourceTimestampOptionTests {
    @Test(arguments: SourceDB.allCases)
    func coalesceInitialAndDelay(_ db: SourceDB) throws {
        let (url, keep) = try db.create("tsopts")
        defer { _ = keep }
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        let t = c.dialect.quote(identifier: "events")
        try c.execute("CREATE TABLE \(t) (id INT NOT NULL, created TIMESTAMP NULL, modified TIMESTAMP NULL)")
        let insert = c.dialect.insert(into: SQLTableName("events"), columns: ["id", "created", "modified"])
        try c.execute(insert, [.int(1), .timestamp(ts(1)), .null])  // never modified: created counts
        try c.execute(insert, [.int(2), .timestamp(ts(1)), .timestamp(ts(50))])  // modified wins
        try c.execute(insert, [.int(3), .timestamp(ts(20)), .null])
        let now = try c.currentTimestamp()
        try c.execute(insert, [.int(4), .timestamp(now + 3_600_000_000), .null])  // an hour ahead: inside the delay

        let run = try SourceRun(sourceProps(url, mode: "timestamp", tables: ["events"], extra: [
            "timestamp.column.name": "modified,created", "validate.non.null": "false",
            "timestamp.initial": String(ts(10) / 1000),  // starts after row 1's timestamp
            "timestamp.delay.interval.ms": "60000",
        ]))
        defer { run.stop() }
        let ids = try run.drain().compactMap { $0["id"]?.int64Value }
        #expect(ids == [3, 2])  // ordered by COALESCE(modified, created); 1 is before the start, 4 too recent
    }

    @Test func stopWakesAWaitingPoll() throws {
        let dir = try TemporaryDirectory(prefix: "source-stop")
        let url = "jdbc:sqlite:" + dir.file("db.sqlite")
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        try c.execute(SourceDB.sqlite.createItems("items"))
        let run = try SourceRun(sourceProps(url, mode: "bulk", tables: ["items"], extra: ["poll.interval.ms": "600000"]))
        _ = try run.task.poll()  // the first pass; the next is due in 10 minutes
        let task = run.task
        let stopper = Thread { Thread.sleep(forTimeInterval: 0.1); task.stop() }
        let start = ContinuousClock.now
        stopper.start()
        #expect(try run.task.poll().isEmpty)
        #expect(ContinuousClock.now - start < .milliseconds(900))
    }
}
