import Foundation
import SQL
import SluiceAPI
import TestSupport
import Testing

/// The database layer against a real PostgreSQL 15 (one server per test process, one database per test).
@Suite struct PostgresTests {
    func connect(_ prefix: String) throws -> any DatabaseConnection {
        try PostgresServer.shared().createDatabase(prefix: prefix).connect()
    }

    @Test func everyValueKindRoundTripsWithItsType() throws {
        let conn = try connect("pg_types")
        defer { conn.close() }
        try conn.execute("""
            CREATE TABLE "all" (id INT PRIMARY KEY, b BOOLEAN, i2 SMALLINT, i4 INT, i8 BIGINT, f4 REAL, f8 DOUBLE PRECISION,
              d NUMERIC(30,10), t TEXT, v VARCHAR(50), by BYTEA, dt DATE, tm TIME, ts TIMESTAMP, tstz TIMESTAMPTZ,
              j JSONB, js JSON, u UUID)
            """)
        let columns = ["id", "b", "i2", "i4", "i8", "f4", "f8", "d", "t", "v", "by", "dt", "tm", "ts", "tstz", "j", "js", "u"]
        let big = ConnectDecimal("12345678901234567890.1234567890")!
        let row1: [SQLValue] = [
            .int(1), .bool(true), .int(-32768), .int(2_147_483_647), .int(Int64.min), .float(1.5), .double(0.1 + 0.2),
            .decimal(big), .text(Check.unicode), .text("it's \"quoted\""), .bytes(Check.blob), .date(Check.leapDay),
            .time(Check.timeOfDay), .timestamp(Check.timestamp), .timestamp(Check.preEpochTimestamp),
            .json("{\"a\": [1, 2]}"), .json("{\"b\":null}"), .text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
        ]
        let row2: [SQLValue] = [.int(2)] + Array(repeating: .null, count: columns.count - 1)
        let row3: [SQLValue] = [
            .int(3), .bool(false), .int(0), .int(-1), .int(Int64.max), .float(-Float.greatestFiniteMagnitude),
            .double(-1e-300), .decimal(ConnectDecimal("-0.0000000001")!), .text(""), .text(" "), .bytes([]), .date(-1),
            .time(0), .timestamp(0), .timestamp(Check.timestamp), .json("[]"), .json("\"s\""),
            .text("00000000-0000-0000-0000-000000000000"),
        ]
        let insert = conn.dialect.insert(into: SQLTableName("all"), columns: columns)
        for r in [row1, row2, row3] { #expect(try conn.execute(insert, r) == 1) }
        try Check.rows(conn, "SELECT * FROM \"all\" ORDER BY id", [], [row1, row2, row3])

        let cursor = try conn.query("SELECT d, v, tm, ts FROM \"all\"", [], fetchSize: 10)
        defer { cursor.close() }
        #expect(cursor.columns.map(\.typeName) == ["numeric", "varchar", "time", "timestamp"])
        #expect(cursor.columns[0].precision == 30 && cursor.columns[0].scale == 10)
        #expect(cursor.columns[1].precision == 50)
    }

    @Test func boundParametersInWhereClausesAndReuse() throws {
        let conn = try connect("pg_params")
        defer { conn.close() }
        try conn.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, ts TIMESTAMP, name TEXT)")
        let insert = "INSERT INTO t (id, ts, name) VALUES ($1, $2, $3)"
        for i in 1...20 { try conn.execute(insert, [.int(Int64(i)), .timestamp(Int64(i) * 1_000_000), .text("n'\(i)")]) }
        try Check.rows(conn, "SELECT id FROM t WHERE ts > $1 AND ts < $2 AND name <> $3 ORDER BY id",
            [.timestamp(17_000_000), .timestamp(20_000_000), .text("x")], [[.int(18)], [.int(19)]])
        #expect(try conn.queryScalar("SELECT $1::int + 1", [.int(41)]) == .int(42))
        #expect(try conn.queryScalar("SELECT count(*) FROM t WHERE name = $1", [.text("n'5")]) == .int(1))
        let now = try conn.currentTimestamp()
        #expect(abs(now - Int64(Date().timeIntervalSince1970 * 1_000_000)) < 60_000_000)
    }

    @Test func copyRoundTripsHostileText() throws {
        let conn = try connect("pg_copy")
        defer { conn.close() }
        try conn.execute("CREATE TABLE c (id BIGINT PRIMARY KEY, t TEXT, b BYTEA, j JSONB, d NUMERIC, ts TIMESTAMP, dt DATE, tm TIME, f DOUBLE PRECISION, ok BOOLEAN)")
        var rows: [[SQLValue]] = []
        for (i, s) in Check.hostileText.enumerated() {
            var r: [SQLValue] = [.int(Int64(i)), .text(s), .bytes(Check.blob + Array(s.utf8))]
            r.append(.json("{\"s\": " + jsonString(s) + "}"))
            r.append(.decimal(ConnectDecimal("-123.4500")!))
            r.append(.timestamp(Check.timestamp + Int64(i)))
            r += [.date(Check.leapDay), .time(Check.timeOfDay), .double(.pi), .bool(i % 2 == 0)]
            rows.append(r)
        }
        rows.append([.int(999)] + Array(repeating: SQLValue.null, count: 9))
        let pg = try #require(conn as? PostgresConnection)
        #expect(try pg.bulkInsert(into: SQLTableName("c"), columns: ["id", "t", "b", "j", "d", "ts", "dt", "tm", "f", "ok"], rows: rows) == rows.count)
        try Check.rows(conn, "SELECT * FROM c ORDER BY id", [], rows)
        // Empty string and NULL stay distinct.
        #expect(try conn.queryScalar("SELECT count(*) FROM c WHERE t = ''") == .int(1))
        #expect(try conn.queryScalar("SELECT count(*) FROM c WHERE t IS NULL") == .int(1))
    }

    @Test func copyFailureLeavesTheTableUntouched() throws {
        let conn = try connect("pg_copyfail")
        defer { conn.close() }
        try conn.execute("CREATE TABLE c (id INT PRIMARY KEY)")
        let error = #expect(throws: SQLError.self) {
            try conn.bulkInsert(into: SQLTableName("c"), columns: ["id"], rows: [[.int(1)], [.int(1)]])
        }
        #expect(error?.sqlState == "23505")
        #expect(try Check.count(conn, "c") == 0)
        #expect(conn.isAlive())
    }

    @Test func copyOf100kRows() throws {
        let conn = try connect("pg_copy100k")
        defer { conn.close() }
        try conn.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer TEXT, amount NUMERIC(12,2), qty INT, ts TIMESTAMP, note TEXT, ok BOOLEAN)")
        let rows: [[SQLValue]] = (0..<100_000).map { (i: Int) -> [SQLValue] in
            let amount = ConnectDecimal(unscaled: Int64(i) * 7 + 1, scale: 2)
            let ts: Int64 = Check.timestamp + Int64(i) * 1000
            return [.int(Int64(i)), .text("customer-\(i % 977)"), .decimal(amount), .int(Int64(i % 10)), .timestamp(ts),
                .text("note\t\(i)"), .bool(i % 3 == 0)]
        }
        let start = Date()
        let n = try conn.bulkInsert(into: SQLTableName("orders"), columns: ["id", "customer", "amount", "qty", "ts", "note", "ok"], rows: rows)
        let seconds = Date().timeIntervalSince(start)
        print("COPY of 100k rows (7 columns, debug build): \(String(format: "%.2f", seconds)) s, \(Int(Double(n) / seconds)) rows/s")
        #expect(n == 100_000)
        #expect(try conn.queryScalar("SELECT sum(qty) FROM orders") == .int(450_000))
        #expect(try conn.queryScalar("SELECT amount FROM orders WHERE id = 99999") == .decimal(ConnectDecimal("6999.94")!))
        let readStart = Date()
        var read = 0
        try conn.forEachBatch("SELECT * FROM orders", batchSize: 1000) { _, batch in
            read += batch.count
            return true
        }
        let readSeconds = Date().timeIntervalSince(readStart)
        print("Streaming read of 100k rows (debug build): \(String(format: "%.2f", readSeconds)) s, \(Int(Double(read) / readSeconds)) rows/s")
        #expect(read == 100_000)
    }

    @Test func upsertWithOnConflict() throws {
        let conn = try connect("pg_upsert")
        defer { conn.close() }
        let d = conn.dialect
        let t = SQLTableName(schema: "public", "u")
        try conn.execute(d.createTable(t, columns: [
            SQLColumnDefinition(name: "k", sqlType: "TEXT", isNullable: false, isPrimaryKey: true),
            SQLColumnDefinition(name: "v", sqlType: "INT", isNullable: true),
        ]))
        let sql = d.upsert(into: t, columns: ["k", "v"], keyColumns: ["k"], rowCount: 2)
        try conn.execute(sql, [.text("a"), .int(1), .text("b"), .int(2)])
        try conn.execute(sql, [.text("a"), .int(10), .text("c"), .int(3)])
        try Check.rows(conn, "SELECT k, v FROM public.u ORDER BY k", [], [[.text("a"), .int(10)], [.text("b"), .int(2)], [.text("c"), .int(3)]])
    }

    @Test func streamingFiftyThousandRows() throws {
        let conn = try connect("pg_stream")
        defer { conn.close() }
        try Check.streaming(on: conn, intType: "BIGINT", textType: "TEXT")
    }

    @Test func hostileIdentifiersCannotInject() throws {
        let conn = try connect("pg_hostile")
        defer { conn.close() }
        try Check.hostileNames(on: conn)
    }

    @Test func transactionsCommitAndRollBack() throws {
        let conn = try connect("pg_tx")
        defer { conn.close() }
        try Check.transactions(on: conn, intType: "INT")
    }

    @Test func metadataReaders() throws {
        let conn = try connect("pg_meta")
        defer { conn.close() }
        try conn.execute("CREATE SCHEMA other")
        try conn.execute("""
            CREATE TABLE public.m (a INT, b TEXT, c NUMERIC(10,2) NOT NULL DEFAULT 1.5, id SERIAL, v VARCHAR(20) UNIQUE,
              PRIMARY KEY (b, a));
            CREATE UNIQUE INDEX m_c_id ON public.m (c, id);
            CREATE TABLE other.m (x INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
            CREATE VIEW mv AS SELECT a FROM public.m
            """)
        let d = conn.dialect
        let all = try d.tables(on: conn, schemaPattern: nil, types: [])
        #expect(Set(all.map(\.name)) == [SQLTableName(schema: "public", "m"), SQLTableName(schema: "other", "m"), SQLTableName(schema: "public", "mv")])
        #expect(try d.tables(on: conn, schemaPattern: "oth%", types: ["TABLE"]).map(\.name) == [SQLTableName(schema: "other", "m")])
        #expect(try d.tables(on: conn, schemaPattern: nil, types: ["VIEW"]).map(\.name.name) == ["mv"])
        let cols = try d.columns(of: SQLTableName(schema: "public", "m"), on: conn)
        #expect(cols.map(\.name) == ["a", "b", "c", "id", "v"])
        #expect(cols.map(\.typeName) == ["int4", "text", "numeric", "int4", "varchar"])
        #expect(cols.map(\.isNullable) == [false, false, false, false, true])
        #expect(cols[2].precision == 10 && cols[2].scale == 2 && cols[2].defaultValue == "1.5")
        #expect(cols[4].precision == 20)
        #expect(cols.map(\.isAutoIncrement) == [false, false, false, true, false])
        #expect(try d.columns(of: SQLTableName(schema: "other", "m"), on: conn).map(\.isAutoIncrement) == [true])
        #expect(try d.columns(of: SQLTableName("missing"), on: conn).isEmpty)
        #expect(try d.primaryKey(of: SQLTableName("m"), on: conn) == ["b", "a"])
        let unique = try d.uniqueIndexes(of: SQLTableName("m"), on: conn)
        #expect(unique.map(\.columns) == [["b", "a"], ["c", "id"], ["v"]])
        #expect(unique.map(\.isPrimaryKey) == [true, false, false])
    }

    @Test func connectionFailureIsRetriableAndNamesTheEndpoint() throws {
        let port = TestSupport.freePort()
        let start = Date()
        let error = #expect(throws: SQLError.self) {
            try Database.connect("jdbc:postgresql://127.0.0.1:\(port)/db?user=postgres", attempts: 2, backoffMs: 200)
        }
        #expect(Date().timeIntervalSince(start) >= 0.2)  // one backoff between the two attempts
        #expect(error?.isRetriable == true)
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        // A database that does not exist is not worth retrying.
        let server = try PostgresServer.shared()
        let missing = #expect(throws: SQLError.self) {
            try Database.connect(server.url(database: "no_such_db"), attempts: 3, backoffMs: 10_000)
        }
        #expect(missing?.isRetriable == false)
    }

    @Test func statementErrorsCarrySQLState() throws {
        let conn = try connect("pg_errors")
        defer { conn.close() }
        let e = #expect(throws: SQLError.self) { try conn.execute("SELECT * FROM nope WHERE x = $1", [.int(1)]) }
        #expect(e?.sqlState == "42P01")
        #expect(e?.isRetriable == false)
        #expect(conn.isAlive())
        // COMMIT of a failed transaction is an error, not a silent rollback.
        try conn.execute("CREATE TABLE t (id INT PRIMARY KEY)")
        try conn.begin()
        try conn.execute("INSERT INTO t VALUES ($1)", [.int(1)])
        #expect(throws: SQLError.self) { try conn.execute("INSERT INTO t VALUES ($1)", [.int(1)]) }
        let commit = #expect(throws: SQLError.self) { try conn.commit() }
        #expect(commit?.sqlState == "25P02")
        #expect(try Check.count(conn, "t") == 0)
    }
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}
