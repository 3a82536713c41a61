import Foundation
import SluiceAPI

/// What differs between databases: quoting, placeholders, type names, upsert syntax and catalog queries.
///
/// Builders take identifiers as plain strings and quote every one of them, so names from topics and fields (which
/// may contain quotes, spaces, semicolons or keywords) can never change the statement. Values are never part of the
/// built text: every builder emits placeholders.
public protocol SQLDialect: Sendable {
    /// `PostgreSqlDatabaseDialect`, `MySqlDatabaseDialect`, `SqliteDatabaseDialect` (Confluent's `dialect.name`).
    var name: String { get }
    /// The identifier quote character (`"` or a backtick); inside a name it is doubled.
    var identifierQuote: Character { get }
    /// The placeholder for the 1-based parameter `index` (`$1` or `?`).
    func placeholder(_ index: Int) -> String
    /// The SQL type for a Connect schema in CREATE/ALTER TABLE (the spec's mapping table); nil when the type has no
    /// column representation. Structs, arrays and maps map to a JSON-capable column type (their values become JSON text).
    func sqlType(for schema: Schema, isKey: Bool) -> String?
    /// A query returning one row with the database's current timestamp.
    var currentTimestampQuery: String { get }
    /// `INSERT ... VALUES (...)[, (...)] <upsert clause>` for `rowCount` rows; with no non-key columns the conflict
    /// is ignored.
    func upsert(into table: SQLTableName, columns: [String], keyColumns: [String], rowCount: Int) -> String

    /// Tables and views, optionally restricted to schemas matching a LIKE pattern and to JDBC table types.
    func tables(on connection: any DatabaseConnection, schemaPattern: String?, types: [String]) throws -> [SQLTableInfo]
    /// The table's columns in ordinal order; empty when the table does not exist.
    func columns(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [SQLColumnInfo]
    /// The primary key's columns in key order; empty when there is none.
    func primaryKey(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [String]
    /// Unique indexes including the primary key.
    func uniqueIndexes(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [SQLIndexInfo]
}

extension SQLDialect {
    /// Quotes one identifier part, doubling any quote character inside it.
    public func quote(identifier: String) -> String {
        let q = String(identifierQuote)
        return q + identifier.replacingOccurrences(of: q, with: q + q) + q
    }

    /// Quotes each part of a (possibly schema-qualified) table name.
    public func quote(_ table: SQLTableName) -> String {
        if let s = table.schema, !s.isEmpty { return quote(identifier: s) + "." + quote(identifier: table.name) }
        return quote(identifier: table.name)
    }

    func columnList(_ columns: [String]) -> String {
        columns.map { quote(identifier: $0) }.joined(separator: ",")
    }

    /// `(p1,p2,...),(...)` for `rowCount` rows of `width` parameters, numbered from `start`.
    func valuesList(width: Int, rowCount: Int, start: Int = 1) -> String {
        var s = ""
        s.reserveCapacity(rowCount * width * 4)
        var n = start
        for r in 0..<rowCount {
            if r > 0 { s += "," }
            s += "("
            for c in 0..<width {
                if c > 0 { s += "," }
                s += placeholder(n)
                n += 1
            }
            s += ")"
        }
        return s
    }

    /// `INSERT INTO t (a,b) VALUES (p,p)[,(p,p)...]`.
    public func insert(into table: SQLTableName, columns: [String], rowCount: Int = 1) -> String {
        "INSERT INTO \(quote(table)) (\(columnList(columns))) VALUES \(valuesList(width: columns.count, rowCount: rowCount))"
    }

    /// `UPDATE t SET c1=p,c2=p WHERE k1=p AND k2=p`: parameters are the set columns, then the keys.
    public func update(table: SQLTableName, columns: [String], keyColumns: [String]) -> String {
        var n = 0
        let sets = columns.map { c -> String in n += 1; return quote(identifier: c) + "=" + placeholder(n) }
        let keys = keyColumns.map { c -> String in n += 1; return quote(identifier: c) + "=" + placeholder(n) }
        return "UPDATE \(quote(table)) SET \(sets.joined(separator: ",")) WHERE \(keys.joined(separator: " AND "))"
    }

    /// `DELETE FROM t WHERE k1=p AND k2=p`.
    public func delete(from table: SQLTableName, keyColumns: [String]) -> String {
        var n = 0
        let keys = keyColumns.map { c -> String in n += 1; return quote(identifier: c) + "=" + placeholder(n) }
        return "DELETE FROM \(quote(table)) WHERE \(keys.joined(separator: " AND "))"
    }

    /// `CREATE TABLE t (c TYPE NOT NULL, ..., PRIMARY KEY(k...))`.
    public func createTable(_ table: SQLTableName, columns: [SQLColumnDefinition], ifNotExists: Bool = false) -> String {
        var parts = columns.map { "\(quote(identifier: $0.name)) \($0.sqlType) \($0.isNullable ? "NULL" : "NOT NULL")" }
        let keys = columns.filter(\.isPrimaryKey).map(\.name)
        if !keys.isEmpty { parts.append("PRIMARY KEY(\(columnList(keys)))") }
        return "CREATE TABLE \(ifNotExists ? "IF NOT EXISTS " : "")\(quote(table)) (\n"
            + parts.joined(separator: ",\n") + ")"
    }

    /// One `ALTER TABLE t ADD c TYPE NULL` per new column (SQLite cannot add several in one statement).
    public func alterTableAdd(_ table: SQLTableName, columns: [SQLColumnDefinition]) -> [String] {
        columns.map {
            "ALTER TABLE \(quote(table)) ADD \(quote(identifier: $0.name)) \($0.sqlType) \($0.isNullable ? "NULL" : "NOT NULL")"
        }
    }

    /// `SELECT * FROM t` with the table quoted, the JDBC source's base query.
    public func selectAll(from table: SQLTableName) -> String { "SELECT * FROM \(quote(table))" }

    /// The Connect logical type of a schema, if any: shared by every dialect's `sqlType`.
    func logicalKind(_ schema: Schema) -> String? {
        switch schema.name {
        case Logical.decimalName: return "decimal"
        case Logical.dateName: return "date"
        case Logical.timeName: return "time"
        case Logical.timestampName: return "timestamp"
        default: return nil
        }
    }
}

extension SQLDialect {
    /// `INSERT ... ON CONFLICT (keys) DO UPDATE SET c=<excluded>.c` (or `DO NOTHING` without non-key columns): the
    /// upsert PostgreSQL and SQLite share; `excluded` is the pseudo-table's spelling each dialect uses.
    func onConflictUpsert(into table: SQLTableName, columns: [String], keyColumns: [String], rowCount: Int, excluded: String) -> String {
        let nonKeys = columns.filter { !keyColumns.contains($0) }
        let sql = insert(into: table, columns: columns, rowCount: rowCount) + " ON CONFLICT (\(columnList(keyColumns))) "
        if nonKeys.isEmpty { return sql + "DO NOTHING" }
        return sql + "DO UPDATE SET "
            + nonKeys.map { "\(quote(identifier: $0))=\(excluded).\(quote(identifier: $0))" }.joined(separator: ",")
    }
}
