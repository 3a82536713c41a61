import SluiceAPI

/// PostgreSQL: double-quoted identifiers, `$n` placeholders, `ON CONFLICT` upserts, pg_catalog metadata.
public struct PostgresDialect: SQLDialect {
    public init() {}
    public var name: String { "PostgreSqlDatabaseDialect" }
    public var identifierQuote: Character { "\"" }
    public func placeholder(_ index: Int) -> String { "$\(index)" }
    public var currentTimestampQuery: String { "SELECT CURRENT_TIMESTAMP" }

    public func sqlType(for schema: Schema, isKey: Bool) -> String? {
        switch logicalKind(schema) {
        case "decimal": return "DECIMAL"
        case "date": return "DATE"
        case "time": return "TIME"
        case "timestamp": return "TIMESTAMP"
        default: break
        }
        switch schema.type {
        case .int8, .int16: return "SMALLINT"
        case .int32: return "INT"
        case .int64: return "BIGINT"
        case .float32: return "REAL"
        case .float64: return "DOUBLE PRECISION"
        case .boolean: return "BOOLEAN"
        case .string: return "TEXT"
        case .bytes: return "BYTEA"
        case .structure, .array, .map: return "JSONB"
        }
    }

    public func upsert(into table: SQLTableName, columns: [String], keyColumns: [String], rowCount: Int = 1) -> String {
        onConflictUpsert(into: table, columns: columns, keyColumns: keyColumns, rowCount: rowCount, excluded: "EXCLUDED")
    }

    /// `INSERT INTO t (cols) SELECT cols FROM staging ON CONFLICT ...`: the second half of the COPY-based upsert
    /// (COPY into a temporary table, then merge), which keeps upserts near COPY speed.
    public func upsert(into table: SQLTableName, from staging: SQLTableName, columns: [String], keyColumns: [String])
        -> String
    {
        let nonKeys = columns.filter { !keyColumns.contains($0) }
        var sql = "INSERT INTO \(quote(table)) (\(columnList(columns))) SELECT \(columnList(columns)) FROM \(quote(staging))"
        sql += " ON CONFLICT (\(columnList(keyColumns))) "
        if nonKeys.isEmpty { return sql + "DO NOTHING" }
        return sql + "DO UPDATE SET "
            + nonKeys.map { "\(quote(identifier: $0))=EXCLUDED.\(quote(identifier: $0))" }.joined(separator: ",")
    }

    public func tables(on connection: any DatabaseConnection, schemaPattern: String?, types: [String]) throws
        -> [SQLTableInfo]
    {
        let sql = """
            SELECT n.nspname, c.relname, CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' \
            WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END \
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
            WHERE c.relkind IN ('r','p','v','m','f') AND n.nspname NOT IN ('pg_catalog','information_schema') \
            AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' \
            AND ($1::text IS NULL OR n.nspname LIKE $1::text) AND NOT c.relispartition ORDER BY 1, 2
            """
        let wanted = Set(types.map { $0.uppercased() })
        return try connection.queryAll(sql, [schemaPattern.map(SQLValue.text) ?? .null]).rows.compactMap { r in
            guard case .text(let schema) = r[0], case .text(let name) = r[1], case .text(let type) = r[2] else { return nil }
            guard wanted.isEmpty || wanted.contains(type) else { return nil }
            return SQLTableInfo(name: SQLTableName(schema: schema, name), type: type)
        }
    }

    public func columns(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [SQLColumnInfo] {
        let sql = """
            SELECT a.attname, t.typname, NOT a.attnotnull, \
            CASE WHEN t.typname = 'numeric' AND a.atttypmod >= 4 THEN ((a.atttypmod - 4) >> 16) & 65535 \
            WHEN t.typname IN ('varchar','bpchar') AND a.atttypmod >= 4 THEN a.atttypmod - 4 END, \
            CASE WHEN t.typname = 'numeric' AND a.atttypmod >= 4 THEN (a.atttypmod - 4) & 65535 END, \
            a.attidentity <> '' OR COALESCE(pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%', false), \
            pg_get_expr(d.adbin, d.adrelid) \
            FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
            LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """
        return try connection.queryAll(sql, [.text(quote(table))]).rows.map { r in
            SQLColumnInfo(
                name: r[0].textValue ?? "", typeName: r[1].textValue ?? "", isNullable: r[2] == .bool(true),
                precision: r[3].intValue.map(Int.init), scale: r[4].intValue.map(Int.init),
                isAutoIncrement: r[5] == .bool(true), defaultValue: r[6].textValue)
        }
    }

    public func primaryKey(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [String] {
        try uniqueIndexes(of: table, on: connection).first(where: \.isPrimaryKey)?.columns ?? []
    }

    public func uniqueIndexes(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [SQLIndexInfo] {
        let sql = """
            SELECT ic.relname, i.indisprimary, a.attname \
            FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
            WHERE i.indrelid = to_regclass($1) AND i.indisunique \
            ORDER BY i.indisprimary DESC, ic.relname, array_position(i.indkey::int2[], a.attnum)
            """
        return groupIndexes(try connection.queryAll(sql, [.text(quote(table))]).rows)
    }
}

/// Groups `(index name, is primary, column)` rows, already ordered by index then key position.
func groupIndexes(_ rows: [[SQLValue]]) -> [SQLIndexInfo] {
    var out: [SQLIndexInfo] = []
    for r in rows {
        let name = r[0].textValue ?? ""
        let primary = r[1] == .bool(true) || r[1].intValue == 1
        let column = r[2].textValue ?? ""
        if let last = out.last, last.name == name {
            out[out.count - 1].columns.append(column)
        } else {
            out.append(SQLIndexInfo(name: name, columns: [column], isPrimaryKey: primary))
        }
    }
    return out
}
