import Foundation
import SQL
import SluiceAPI
import TestSupport
import Testing

/// The database layer against SQLite files in per-test temporary directories.
@Suite struct SQLiteTests {
    func connect(_ dir: TemporaryDirectory) throws -> any DatabaseConnection {
        try Database.connect("jdbc:sqlite:" + dir.file("test.db"), attempts: 1, backoffMs: 0)
    }

    @Test func everyValueKindRoundTripsWithItsType() throws {
        let dir = try TemporaryDirectory()
        let conn = try connect(dir)
        defer { conn.close() }
        try conn.execute("""
            CREATE TABLE "all" (id INTEGER PRIMARY KEY, b BOOLEAN, i INTEGER, f REAL, d NUMERIC(20,4), dtext TEXT, t TEXT,
              bl BLOB, dt DATE, tm TIME, ts TIMESTAMP, j JSON)
            """)
        let columns = ["id", "b", "i", "f", "d", "dtext", "t", "bl", "dt", "tm", "ts", "j"]
        let row1: [SQLValue] = [
            .int(1), .bool(true), .int(Int64.min), .double(0.1 + 0.2), .decimal(ConnectDecimal("12345.6789")!),
            .text("123456789012345678901234567890.123"), .text(Check.unicode), .bytes(Check.blob), .date(Check.leapDay),
            .time(Check.timeOfDay), .timestamp(Check.timestamp), .json("{\"a\": [1, 2]}"),
        ]
        let row2: [SQLValue] = [.int(2)] + Array(repeating: .null, count: columns.count - 1)
        let row3: [SQLValue] = [
            .int(3), .bool(false), .int(Int64.max), .double(-1e-300), .decimal(ConnectDecimal("-42")!), .text(""),
            .text(""), .bytes([]), .date(-1), .time(0), .timestamp(Check.preEpochTimestamp), .json("[]"),
        ]
        let insert = conn.dialect.insert(into: SQLTableName("all"), columns: columns)
        for r in [row1, row2, row3] { #expect(try conn.execute(insert, r) == 1) }
        try Check.rows(conn, "SELECT * FROM \"all\" ORDER BY id", [], [row1, row2, row3])
        // A float bound as .float comes back as the double SQLite stores.
        #expect(try conn.queryScalar("SELECT ?1", [.float(1.5)]) == .double(1.5))
    }

    @Test func epochMillisecondsWrittenBySQLiteJDBCAreRead() throws {
        let dir = try TemporaryDirectory()
        let conn = try connect(dir)
        defer { conn.close() }
        try conn.execute("CREATE TABLE legacy (ts TIMESTAMP, dt DATE)")
        try conn.execute("INSERT INTO legacy VALUES (?1, ?2)", [.int(1_709_210_096_123), .int(86_400_000)])
        try Check.rows(conn, "SELECT ts, dt FROM legacy", [], [[.timestamp(1_709_210_096_123_000), .date(1)]])
    }

    @Test func bulkInsertUpsertAndStreaming() throws {
        let dir = try TemporaryDirectory()
        let conn = try connect(dir)
        defer { conn.close() }
        try Check.streaming(on: conn, intType: "INTEGER", textType: "TEXT")
        let d = conn.dialect
        let sql = d.upsert(into: SQLTableName("stream_test"), columns: ["id", "label"], keyColumns: ["id"], rowCount: 2)
        try conn.execute(sql, [.int(1), .text("one"), .int(60_000), .text("new")])
        try Check.rows(conn, "SELECT label FROM stream_test WHERE id IN (?1, ?2) ORDER BY id", [.int(1), .int(60_000)],
            [[.text("one")], [.text("new")]])
    }

    @Test func hostileIdentifiersCannotInject() throws {
        let dir = try TemporaryDirectory()
        let conn = try connect(dir)
        defer { conn.close() }
        try Check.hostileNames(on: conn)
    }

    @Test func transactionsCommitAndRollBack() throws {
        let dir = try TemporaryDirectory()
        let conn = try connect(dir)
        defer { conn.close() }
        try Check.transactions(on: conn, intType: "INTEGER")
    }

    @Test func metadataReaders() throws {
        let dir = try TemporaryDirectory()
        let conn = try connect(dir)
        defer { conn.close() }
        try conn.execute("""
            CREATE TABLE auto (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x');
            CREATE TABLE m (a INT, b TEXT, c NUMERIC(10,2) NOT NULL DEFAULT 1.5, v VARCHAR(20) UNIQUE, PRIMARY KEY (b, a));
            CREATE UNIQUE INDEX m_c ON m (c, v);
            CREATE INDEX m_plain ON m (a);
            CREATE VIEW mv AS SELECT a FROM m;
            """)
        let d = conn.dialect
        #expect(try d.tables(on: conn, schemaPattern: nil, types: []).map(\.name.name) == ["auto", "m", "mv"])
        #expect(try d.tables(on: conn, schemaPattern: nil, types: ["TABLE"]).map(\.name.name) == ["auto", "m"])
        let cols = try d.columns(of: SQLTableName("m"), on: conn)
        #expect(cols.map(\.name) == ["a", "b", "c", "v"])
        #expect(cols.map(\.typeName) == ["int", "text", "numeric", "varchar"])
        #expect(cols.map(\.isNullable) == [true, true, false, true])
        #expect(cols[2].precision == 10 && cols[2].scale == 2 && cols[2].defaultValue == "1.5")
        let auto = try d.columns(of: SQLTableName("auto"), on: conn)
        #expect(auto.map(\.isAutoIncrement) == [true, false])
        #expect(auto[1].defaultValue == "'x'")
        #expect(try d.columns(of: SQLTableName("missing"), on: conn).isEmpty)
        #expect(try d.primaryKey(of: SQLTableName("m"), on: conn) == ["b", "a"])
        #expect(try d.primaryKey(of: SQLTableName("auto"), on: conn) == ["id"])
        let unique = try d.uniqueIndexes(of: SQLTableName("m"), on: conn)
        #expect(unique.map(\.columns) == [["b", "a"], ["c", "v"], ["v"]])
        #expect(unique.map(\.isPrimaryKey) == [true, false, false])
        #expect(try d.uniqueIndexes(of: SQLTableName("auto"), on: conn).map(\.columns) == [["id"]])
        let now = try conn.currentTimestamp()
        #expect(abs(now - Int64(Date().timeIntervalSince1970 * 1_000_000)) < 60_000_000)
    }

    @Test func unopenableFileNamesThePath() throws {
        let error = #expect(throws: SQLError.self) {
            try Database.connect("jdbc:sqlite:/nonexistent-dir/sub/x.db", attempts: 1, backoffMs: 0)
        }
        #expect(error?.message.contains("/nonexistent-dir/sub/x.db") == true)
    }

    @Test func memoryDatabase() throws {
        let conn = try Database.connect("jdbc:sqlite::memory:")
        defer { conn.close() }
        try conn.execute("CREATE TABLE t (x)")
        #expect(try conn.bulkInsert(into: SQLTableName("t"), columns: ["x"], rows: [[.int(1)], [.text("a")], [.null]]) == 3)
        #expect(try Check.count(conn, "t") == 3)
    }
}
