import SQL
import SluiceAPI
import Testing

/// Shared checks every dialect runs against its real database.
enum Check {
    static let unicode = "héllo wörld ✓ 日本語 🎉 end"
    static let hostileText = [
        "tab\there", "new\nline", "crlf\r\n", "back\\slash", "\\N", "\\.", "quote ' and \"double\"", "", " ",
        "semi; DROP TABLE x; --", "unicode ✓ 🎉 ñ", "\\x41", "trailing backslash \\",
    ]
    static let blob: [UInt8] = [0, 1, 2, 9, 10, 13, 34, 39, 92, 127, 128, 200, 255]
    /// 2024-02-29 and 1969-12-31: a leap day and a pre-epoch day.
    static let leapDay: Int32 = 19_782
    static let timeOfDay: Int64 = (12 * 3600 + 34 * 60 + 56) * 1_000_000 + 123_456
    static let timestamp: Int64 = 1_709_210_096_123_456  // 2024-02-29 12:34:56.123456 UTC
    static let preEpochTimestamp: Int64 = -1_500_000  // 1969-12-31 23:59:58.500000

    /// Compares a query's rows with `expected` value by value, naming the row and column of any difference.
    static func rows(
        _ conn: any DatabaseConnection, _ sql: String, _ params: [SQLValue] = [], _ expected: [[SQLValue]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let result = try conn.queryAll(sql, params)
        #expect(result.rows.count == expected.count, "row count", sourceLocation: sourceLocation)
        for (r, (got, want)) in zip(result.rows, expected).enumerated() {
            #expect(got.count == want.count, sourceLocation: sourceLocation)
            for (c, (g, w)) in zip(got, want).enumerated() {
                #expect(g == w, "row \(r) column \(result.columns[c].name)", sourceLocation: sourceLocation)
            }
        }
    }

    static func count(_ conn: any DatabaseConnection, _ table: String) throws -> Int64? {
        try conn.queryScalar("SELECT COUNT(*) FROM \(conn.dialect.quote(SQLTableName(parsing: table)))")?.intValue
    }

    /// Hostile identifiers: the table, a canary that must survive, and columns that are keywords or carry quotes.
    static func hostileNames(on conn: any DatabaseConnection) throws {
        let d = conn.dialect
        let canary = SQLTableName("canary")
        try conn.execute(d.createTable(canary, columns: [SQLColumnDefinition(name: "x", sqlType: "INTEGER", isNullable: true)]))
        let table = SQLTableName("we\"ird`; DROP TABLE canary; --")
        let columns = ["select", "a b", "c\"d", "e`f", "g;h", "order"]
        let type = d.sqlType(for: .string, isKey: true)!
        let defs = columns.enumerated().map {
            SQLColumnDefinition(name: $1, sqlType: $0 == 0 ? type : "TEXT", isNullable: $0 != 0, isPrimaryKey: $0 == 0)
        }
        try conn.execute(d.createTable(table, columns: defs))
        let row = columns.map { SQLValue.text("v-\($0)'); DROP TABLE canary; --") }
        #expect(try conn.execute(d.insert(into: table, columns: columns), row) == 1)
        var updated = row
        updated[1] = .text("updated")
        _ = try conn.execute(d.upsert(into: table, columns: columns, keyColumns: ["select"], rowCount: 1), updated)
        try rows(conn, "SELECT \(columns.map { d.quote(identifier: $0) }.joined(separator: ",")) FROM \(d.quote(table))", [], [updated])
        #expect(try conn.execute(d.update(table: table, columns: ["order"], keyColumns: ["select"]), [.text("o"), row[0]]) == 1)
        #expect(try conn.dialect.columns(of: table, on: conn).map(\.name) == columns)
        #expect(try conn.dialect.primaryKey(of: table, on: conn) == ["select"])
        #expect(try conn.execute(d.delete(from: table, keyColumns: ["select"]), [row[0]]) == 1)
        #expect(try count(conn, "canary") == 0)  // the canary table still exists
        try conn.execute("DROP TABLE \(d.quote(table))")
    }

    /// Rollback discards, commit keeps, a failing body rolls back.
    static func transactions(on conn: any DatabaseConnection, intType: String) throws {
        let d = conn.dialect
        let t = SQLTableName("tx_test")
        try conn.execute(d.createTable(t, columns: [SQLColumnDefinition(name: "id", sqlType: intType, isNullable: false, isPrimaryKey: true)]))
        try conn.begin()
        #expect(conn.inTransaction)
        try conn.execute(d.insert(into: t, columns: ["id"]), [.int(1)])
        try conn.rollback()
        #expect(!conn.inTransaction)
        #expect(try count(conn, "tx_test") == 0)
        try conn.transaction { try conn.execute(d.insert(into: t, columns: ["id"]), [.int(2)]) }
        #expect(try count(conn, "tx_test") == 1)
        #expect(throws: SQLError.self) {
            try conn.transaction {
                try conn.execute(d.insert(into: t, columns: ["id"]), [.int(3)])
                try conn.execute(d.insert(into: t, columns: ["id"]), [.int(2)])  // duplicate key
            }
        }
        #expect(!conn.inTransaction)
        #expect(try count(conn, "tx_test") == 1)
        let e = #expect(throws: SQLError.self) { try conn.execute(d.insert(into: t, columns: ["id"]), [.int(2)]) }
        #expect(e?.isRetriable == false)
    }

    /// 50k rows written in bulk, read back through a cursor in batches of 100.
    static func streaming(on conn: any DatabaseConnection, intType: String, textType: String) throws {
        let d = conn.dialect
        let t = SQLTableName("stream_test")
        try conn.execute(d.createTable(t, columns: [
            SQLColumnDefinition(name: "id", sqlType: intType, isNullable: false, isPrimaryKey: true),
            SQLColumnDefinition(name: "label", sqlType: textType, isNullable: true),
        ]))
        let n = 50_000
        let rows = (1...n).map { [SQLValue.int(Int64($0)), .text("row \($0) " + String(repeating: "x", count: $0 % 300))] }
        #expect(try conn.bulkInsert(into: t, columns: ["id", "label"], rows: rows) == n)
        let cursor = try conn.query("SELECT id, label FROM \(d.quote(t)) WHERE id > \(d.placeholder(1)) ORDER BY id", [.int(0)], fetchSize: 100)
        #expect(cursor.columns.map(\.name) == ["id", "label"])
        var seen = 0
        var batches = 0
        while true {
            let batch = try cursor.next(maxRows: 100)
            if batch.isEmpty { break }
            #expect(batch.count <= 100)
            batches += 1
            for r in batch {
                seen += 1
                if r[0] != .int(Int64(seen)) || r[1] != rows[seen - 1][1] {
                    Issue.record("row \(seen) differs: \(r)")
                    return
                }
            }
        }
        cursor.close()
        #expect(seen == n)
        #expect(batches == n / 100)
        // The connection is usable again, and an abandoned cursor frees it too.
        let early = try conn.query("SELECT id FROM \(d.quote(t)) ORDER BY id", [], fetchSize: 10)
        #expect(try early.next(maxRows: 10).count == 10)
        early.close()
        #expect(try count(conn, "stream_test") == Int64(n))
        // Closing the connection under an open cursor neither crashes nor hangs.
        let other = try Database.connect(conn.url.raw, user: conn.url.user, password: conn.url.password, attempts: 1, backoffMs: 0)
        let orphan = try other.query("SELECT id FROM \(d.quote(t))", [], fetchSize: 10)
        #expect(try orphan.next(maxRows: 5).count == 5)
        other.close()
        orphan.close()
    }
}
