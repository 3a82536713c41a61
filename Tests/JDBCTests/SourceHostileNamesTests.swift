import Foundation
import JDBCSource
import SQL
import SluiceAPI
import Testing

/// Hostile identifiers in a JDBC source config never reach SQL unquoted, per dialect: a table whose name carries
/// both quote characters, a semicolon, a `DROP TABLE` and unicode, read in timestamp+incrementing mode through
/// columns named the same way. Every row arrives with its values, and the canary table survives.
@Suite struct SourceHostileNamesTests {
    static let table = "we\"ird`; DROP TABLE canary; -- ü"
    static let incrementing = "i\"d`; DROP TABLE canary; --"
    static let timestamp = "up dated'; DROP TABLE canary; --"
    static let text = "na\"me`ü"

    @Test(arguments: SourceDB.allCases)
    func hostileTableAndColumnNames(_ db: SourceDB) throws {
        let (url, keep) = try db.create("hostile")
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close(); _ = keep }
        let d = c.dialect
        try c.execute(d.createTable(SQLTableName("canary"), columns: [SQLColumnDefinition(name: "x", sqlType: "INTEGER", isNullable: true)]))
        let tsType = db == .postgres ? "TIMESTAMP(3)" : db == .mariadb ? "DATETIME(3)" : "TIMESTAMP"
        let t = SQLTableName(Self.table)
        try c.execute(d.createTable(t, columns: [
            SQLColumnDefinition(name: Self.incrementing, sqlType: "INTEGER", isNullable: false, isPrimaryKey: true),
            SQLColumnDefinition(name: Self.timestamp, sqlType: tsType, isNullable: false),
            SQLColumnDefinition(name: Self.text, sqlType: "TEXT", isNullable: true),
        ]))
        let columns = [Self.incrementing, Self.timestamp, Self.text]
        for i in 1...3 {
            try c.execute(d.insert(into: t, columns: columns), [.int(Int64(i)), .timestamp(ts(Int64(i))), .text("v\(i)'); DROP TABLE canary; --")])
        }
        // A list entry is parsed like SQL (`"s"."t"`, `` `t` ``): a name with quotes in it is given quoted.
        let entry = "\"" + Self.table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let run = try SourceRun(sourceProps(url, mode: "timestamp+incrementing", tables: [entry], extra: [
            "incrementing.column.name": Self.incrementing, "timestamp.column.name": Self.timestamp,
        ]))
        defer { run.stop() }
        let records = try run.drain()
        #expect(records.compactMap { $0[Self.incrementing]?.int64Value } == [1, 2, 3])
        #expect(records.first?[Self.text] == .string("v1'); DROP TABLE canary; --"))
        #expect(records.first?.topic == "src-" + Self.table)
        // A row added later is found through the same quoted columns.
        try c.execute(d.insert(into: t, columns: columns), [.int(4), .timestamp(ts(4)), .text("v4")])
        #expect(try run.drain().compactMap { $0[Self.incrementing]?.int64Value } == [4])
        #expect(try c.queryScalar("SELECT COUNT(*) FROM \(d.quote(SQLTableName("canary")))")?.intValue == 0)  // still there
    }
}
