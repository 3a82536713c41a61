import Foundation
import SluiceAPI

/// SQLite: double-quoted identifiers, `?NNN` placeholders, `ON CONFLICT DO UPDATE` upserts, pragma metadata.
///
/// Temporals are stored as ISO-8601 text (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC) so SQLite's own date functions and
/// text comparisons work on them; integer epoch milliseconds (sqlite-jdbc's format) are still read back.
public struct SQLiteDialect: SQLDialect {
    public init() {}
    public var name: String { "SqliteDatabaseDialect" }
    public var identifierQuote: Character { "\"" }
    public func placeholder(_ index: Int) -> String { "?\(index)" }
    public var currentTimestampQuery: String { "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')" }

    public func sqlType(for schema: Schema, isKey: Bool) -> String? {
        if logicalKind(schema) != nil { return "NUMERIC" }
        switch schema.type {
        case .int8, .int16, .int32, .int64, .boolean: return "INTEGER"
        case .float32, .float64: return "REAL"
        case .string: return "TEXT"
        case .bytes: return "BLOB"
        case .structure, .array, .map: return "TEXT"
        }
    }

    public func upsert(into table: SQLTableName, columns: [String], keyColumns: [String], rowCount: Int = 1) -> String {
        onConflictUpsert(into: table, columns: columns, keyColumns: keyColumns, rowCount: rowCount, excluded: "excluded")
    }

    public func tables(on connection: any DatabaseConnection, schemaPattern: String?, types: [String]) throws
        -> [SQLTableInfo]
    {
        let sql = """
            SELECT name, upper(type) FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
            ORDER BY name
            """
        let wanted = Set(types.map { $0.uppercased() })
        return try connection.queryAll(sql).rows.compactMap { r in
            guard let name = r[0].textValue, let type = r[1].textValue else { return nil }
            guard wanted.isEmpty || wanted.contains(type) else { return nil }
            return SQLTableInfo(name: SQLTableName(name), type: type)
        }
    }

    public func columns(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [SQLColumnInfo] {
        let rows = try connection.queryAll(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1, ?2)",
            [.text(table.name), .text(table.schema ?? "main")]
        ).rows
        let pkCount = rows.filter { ($0[4].intValue ?? 0) > 0 }.count
        return rows.map { r in
            let type = r[1].textValue ?? ""
            let (p, s) = SQLiteDialect.precisionScale(type)
            let rowid = pkCount == 1 && (r[4].intValue ?? 0) == 1 && type.uppercased() == "INTEGER"
            return SQLColumnInfo(
                name: r[0].textValue ?? "", typeName: SQLiteDialect.baseType(type), isNullable: r[2].intValue != 1 && !rowid,
                precision: p, scale: s, isAutoIncrement: rowid, defaultValue: r[3].textValue)
        }
    }

    public func primaryKey(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [String] {
        try connection.queryAll(
            "SELECT name FROM pragma_table_info(?1, ?2) WHERE pk > 0 ORDER BY pk",
            [.text(table.name), .text(table.schema ?? "main")]
        ).rows.compactMap { $0[0].textValue }
    }

    public func uniqueIndexes(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [SQLIndexInfo] {
        let schema = SQLValue.text(table.schema ?? "main")
        var out: [SQLIndexInfo] = []
        let pk = try primaryKey(of: table, on: connection)
        var pkListed = false
        let indexes = try connection.queryAll(
            "SELECT name, origin FROM pragma_index_list(?1, ?2) WHERE \"unique\" = 1 ORDER BY origin = 'pk' DESC, name",
            [.text(table.name), schema]
        ).rows
        for r in indexes {
            guard let name = r[0].textValue else { continue }
            let cols = try connection.queryAll(
                "SELECT name FROM pragma_index_info(?1, ?2) ORDER BY seqno", [.text(name), schema]
            ).rows.compactMap { $0[0].textValue }
            let isPK = r[1].textValue == "pk"
            pkListed = pkListed || isPK
            out.append(SQLIndexInfo(name: name, columns: cols, isPrimaryKey: isPK))
        }
        if !pkListed && !pk.isEmpty {  // an INTEGER PRIMARY KEY is the rowid, not an index
            out.insert(SQLIndexInfo(name: "PRIMARY", columns: pk, isPrimaryKey: true), at: 0)
        }
        return out
    }

    /// `NUMERIC(10,2)` → (10, 2).
    static func precisionScale(_ type: String) -> (Int?, Int?) {
        guard let open = type.firstIndex(of: "("), let close = type.lastIndex(of: ")"), open < close else { return (nil, nil) }
        let nums = type[type.index(after: open)..<close].split(separator: ",").map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        return (nums.first ?? nil, nums.count > 1 ? nums[1] : nil)
    }

    /// The declared type without its size, lower-cased (`numeric(10,2)` → `numeric`).
    static func baseType(_ type: String) -> String {
        let base = type.firstIndex(of: "(").map { String(type[..<$0]) } ?? type
        return base.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
