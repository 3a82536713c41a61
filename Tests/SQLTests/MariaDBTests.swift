import Foundation
import SQL
import SluiceAPI
import TestSupport
import Testing

/// The database layer against a real MariaDB 10.11 (one server per test process, one database per test).
@Suite struct MariaDBTests {
    func connect(_ prefix: String) throws -> any DatabaseConnection {
        try MariaDBServer.shared().createDatabase(prefix: prefix).connect()
    }

    @Test func everyValueKindRoundTripsWithItsType() throws {
        let conn = try connect("my_types")
        defer { conn.close() }
        try conn.execute("""
            CREATE TABLE `all` (id INT PRIMARY KEY, b BOOLEAN, i1 TINYINT, i2 SMALLINT, i4 INT, i8 BIGINT, u8 BIGINT UNSIGNED,
              f4 FLOAT, f8 DOUBLE, d DECIMAL(30,10), t TEXT, v VARCHAR(50), bin VARBINARY(1024), bl LONGBLOB, dt DATE,
              tm TIME(6), ts DATETIME(6), ts3 DATETIME(3), j JSON)
            """)
        let columns = ["id", "b", "i1", "i2", "i4", "i8", "u8", "f4", "f8", "d", "t", "v", "bin", "bl", "dt", "tm", "ts", "ts3", "j"]
        let bigText = String(repeating: "ünïcødé ", count: 5000)  // far beyond the initial fetch buffer
        let bigBlob = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let row1: [SQLValue] = [
            .int(1), .bool(true), .int(-128), .int(-32768), .int(2_147_483_647), .int(Int64.min),
            .decimal(ConnectDecimal("18446744073709551615")!), .float(1.5), .double(0.1 + 0.2),
            .decimal(ConnectDecimal("12345678901234567890.1234567890")!), .text(Check.unicode), .text("it's \"quoted\""),
            .bytes(Check.blob), .bytes(bigBlob), .date(Check.leapDay), .time(Check.timeOfDay), .timestamp(Check.timestamp),
            .timestamp(1_709_210_096_123_000), .text("{\"a\": [1, 2]}"),
        ]
        let row2: [SQLValue] = [.int(2)] + Array(repeating: .null, count: columns.count - 1)
        let row3: [SQLValue] = [
            .int(3), .bool(false), .int(127), .int(0), .int(-1), .int(Int64.max), .int(0), .float(-0.25), .double(-1e-300),
            .decimal(ConnectDecimal("-0.0000000001")!), .text(bigText), .text(""), .bytes([]), .bytes([0]), .date(-1),
            .time(0), .timestamp(Check.preEpochTimestamp), .timestamp(0), .text("[]"),
        ]
        let insert = conn.dialect.insert(into: SQLTableName("all"), columns: columns)
        for r in [row1, row2, row3] { #expect(try conn.execute(insert, r) == 1) }
        try Check.rows(conn, "SELECT * FROM `all` ORDER BY id", [], [row1, row2, row3])

        let cursor = try conn.query("SELECT d, v, b, ts FROM `all`", [], fetchSize: 10)
        defer { cursor.close() }
        #expect(cursor.columns.map(\.typeName) == ["decimal", "varchar", "tinyint", "datetime"])
        #expect(cursor.columns[0].precision == 30 && cursor.columns[0].scale == 10)
    }

    @Test func boundParametersInWhereClauses() throws {
        let conn = try connect("my_params")
        defer { conn.close() }
        try conn.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, ts DATETIME(6), name VARCHAR(20))")
        for i in 1...20 {
            try conn.execute("INSERT INTO t VALUES (?, ?, ?)", [.int(Int64(i)), .timestamp(Int64(i) * 1_000_000), .text("n'\(i)")])
        }
        try Check.rows(conn, "SELECT id FROM t WHERE ts > ? AND ts < ? AND name <> ? ORDER BY id",
            [.timestamp(17_000_000), .timestamp(20_000_000), .text("x")], [[.int(18)], [.int(19)]])
        #expect(try conn.queryScalar("SELECT COUNT(*) FROM t WHERE name = ?", [.text("n'5")]) == .int(1))
        #expect(try conn.execute("UPDATE t SET name = ? WHERE id <= ?", [.text("n'1"), .int(2)]) == 2)  // found rows
        let now = try conn.currentTimestamp()
        #expect(abs(now - Int64(Date().timeIntervalSince1970 * 1_000_000)) < 60_000_000)
    }

    @Test func multiRowInsertAndUpsert() throws {
        let conn = try connect("my_multirow")
        defer { conn.close() }
        let d = conn.dialect
        let t = SQLTableName("m")
        try conn.execute(d.createTable(t, columns: [
            SQLColumnDefinition(name: "k", sqlType: d.sqlType(for: .string, isKey: true)!, isNullable: false, isPrimaryKey: true),
            SQLColumnDefinition(name: "v", sqlType: "INT", isNullable: true),
            SQLColumnDefinition(name: "note", sqlType: "TEXT", isNullable: true),
        ]))
        // 2,500 rows × 3 columns: three statements (1,000 rows each at most).
        let rows = (0..<2500).map { [SQLValue.text("k\($0)"), .int(Int64($0)), .text(Check.hostileText[$0 % Check.hostileText.count])] }
        #expect(try conn.bulkInsert(into: t, columns: ["k", "v", "note"], rows: rows) == 2500)
        try Check.rows(conn, "SELECT k, v, note FROM m WHERE k IN (?, ?) ORDER BY v", [.text("k7"), .text("k2499")], [rows[7], rows[2499]])
        let my = try #require(conn as? MariaDBConnection)
        let upserts = [[SQLValue.text("k7"), .int(-7), .text("new")], [.text("new"), .int(1), .null]]
        try my.bulkExecute(rows: upserts, width: 3) { d.upsert(into: t, columns: ["k", "v", "note"], keyColumns: ["k"], rowCount: $0) }
        #expect(try Check.count(conn, "m") == 2501)
        try Check.rows(conn, "SELECT k, v, note FROM m WHERE k IN ('k7', 'new') ORDER BY v", [], [upserts[0], upserts[1]])
    }

    @Test func streamingFiftyThousandRows() throws {
        let conn = try connect("my_stream")
        defer { conn.close() }
        try Check.streaming(on: conn, intType: "BIGINT", textType: "TEXT")
    }

    @Test func hostileIdentifiersCannotInject() throws {
        let conn = try connect("my_hostile")
        defer { conn.close() }
        try Check.hostileNames(on: conn)
    }

    @Test func transactionsCommitAndRollBack() throws {
        let conn = try connect("my_tx")
        defer { conn.close() }
        try Check.transactions(on: conn, intType: "INT")
    }

    @Test func metadataReaders() throws {
        let server = try MariaDBServer.shared()
        let db = try server.createDatabase(prefix: "my_meta")
        let conn = try db.connect()
        defer { conn.close() }
        try conn.execute("""
            CREATE TABLE m (a INT, b VARCHAR(30), c DECIMAL(10,2) NOT NULL DEFAULT 1.50, id BIGINT AUTO_INCREMENT UNIQUE,
              v VARCHAR(20) NULL, PRIMARY KEY (b, a), UNIQUE KEY m_c_v (c, v))
            """)
        try conn.execute("CREATE VIEW mv AS SELECT a FROM m")
        let d = conn.dialect
        let all = try d.tables(on: conn, schemaPattern: nil, types: [])
        #expect(all.map(\.name) == [SQLTableName(schema: db.dbname, "m"), SQLTableName(schema: db.dbname, "mv")])
        #expect(try d.tables(on: conn, schemaPattern: nil, types: ["VIEW"]).map(\.name.name) == ["mv"])
        let cols = try d.columns(of: SQLTableName("m"), on: conn)
        #expect(cols.map(\.name) == ["a", "b", "c", "id", "v"])
        #expect(cols.map(\.typeName) == ["int", "varchar", "decimal", "bigint", "varchar"])
        #expect(cols.map(\.isNullable) == [false, false, false, false, true])
        #expect(cols[2].precision == 10 && cols[2].scale == 2 && cols[2].defaultValue == "1.50")
        #expect(cols[1].precision == 30)
        #expect(cols.map(\.isAutoIncrement) == [false, false, false, true, false])
        #expect(cols[4].defaultValue == nil)
        #expect(try d.columns(of: SQLTableName("missing"), on: conn).isEmpty)
        #expect(try d.primaryKey(of: SQLTableName(schema: db.dbname, "m"), on: conn) == ["b", "a"])
        let unique = try d.uniqueIndexes(of: SQLTableName("m"), on: conn)
        #expect(unique.map(\.columns) == [["b", "a"], ["id"], ["c", "v"]])
        #expect(unique.map(\.isPrimaryKey) == [true, false, false])
    }

    @Test func connectionFailureIsRetriableAndNamesTheEndpoint() throws {
        let port = TestSupport.freePort()
        let error = #expect(throws: SQLError.self) {
            try Database.connect("jdbc:mariadb://127.0.0.1:\(port)/db?user=root", attempts: 1, backoffMs: 0)
        }
        #expect(error?.isRetriable == true)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        let server = try MariaDBServer.shared()
        let denied = #expect(throws: SQLError.self) {
            try Database.connect(server.url(database: "db") + "&password=wrong", attempts: 3, backoffMs: 10_000)
        }
        #expect(denied?.isRetriable == false)
    }

    @Test func statementErrorsCarrySQLStateAndLostConnectionsAreRetriable() throws {
        let conn = try connect("my_errors")
        defer { conn.close() }
        let e = #expect(throws: SQLError.self) { try conn.execute("SELECT * FROM nope WHERE x = ?", [.int(1)]) }
        #expect(e?.sqlState == "42S02")
        // A statement run through execute that returns rows leaves the connection usable.
        try conn.execute("SELECT ? UNION ALL SELECT ?", [.int(1), .int(2)])
        #expect(try conn.queryScalar("SELECT ?", [.text("ok")]) == .text("ok"))
        #expect(e?.isRetriable == false)
        #expect(conn.isAlive())
        let id = try #require(try conn.queryScalar("SELECT CONNECTION_ID()")?.intValue)
        let killer = try MariaDBServer.shared().createDatabase(prefix: "killer").connect()
        try killer.execute("KILL \(id)")
        killer.close()
        let lost = #expect(throws: SQLError.self) { try conn.execute("SELECT ?", [.int(1)]) }
        #expect(lost?.isRetriable == true)
        #expect(!conn.isAlive())
    }
}
