import SluiceAPI

/// MySQL / MariaDB: backtick identifiers, `?` placeholders, `ON DUPLICATE KEY UPDATE`, information_schema metadata.
public struct MySQLDialect: SQLDialect {
    public init() {}
    public var name: String { "MySqlDatabaseDialect" }
    public var identifierQuote: Character { "`" }
    public func placeholder(_ index: Int) -> String { "?" }
    public var currentTimestampQuery: String { "SELECT UTC_TIMESTAMP(6)" }

    public func sqlType(for schema: Schema, isKey: Bool) -> String? {
        switch logicalKind(schema) {
        case "decimal": return "DECIMAL(65,\(Logical.scale(of: schema)))"
        case "date": return "DATE"
        case "time": return "TIME(3)"
        case "timestamp": return "DATETIME(3)"
        default: break
        }
        switch schema.type {
        case .int8: return "TINYINT"
        case .int16: return "SMALLINT"
        case .int32: return "INT"
        case .int64: return "BIGINT"
        case .float32: return "FLOAT"
        case .float64: return "DOUBLE"
        case .boolean: return "TINYINT"
        // A TEXT column cannot be a key without a prefix length (a known complaint of the original).
        case .string: return isKey ? "VARCHAR(256)" : "TEXT"
        case .bytes: return "VARBINARY(1024)"
        case .structure, .array, .map: return "JSON"
        }
    }

    public func upsert(into table: SQLTableName, columns: [String], keyColumns: [String], rowCount: Int = 1) -> String {
        let nonKeys = columns.filter { !keyColumns.contains($0) }
        let updated = nonKeys.isEmpty ? keyColumns : nonKeys
        return insert(into: table, columns: columns, rowCount: rowCount) + " ON DUPLICATE KEY UPDATE "
            + updated.map { "\(quote(identifier: $0))=VALUES(\(quote(identifier: $0)))" }.joined(separator: ",")
    }

    public func tables(on connection: any DatabaseConnection, schemaPattern: String?, types: [String]) throws
        -> [SQLTableInfo]
    {
        let sql = """
            SELECT TABLE_SCHEMA, TABLE_NAME, CASE TABLE_TYPE WHEN 'VIEW' THEN 'VIEW' WHEN 'SYSTEM VIEW' THEN 'SYSTEM VIEW' \
            ELSE 'TABLE' END FROM information_schema.TABLES \
            WHERE (? IS NULL AND TABLE_SCHEMA = DATABASE()) OR TABLE_SCHEMA LIKE ? ORDER BY 1, 2
            """
        let pattern = schemaPattern.map(SQLValue.text) ?? .null
        let wanted = Set(types.map { $0.uppercased() })
        return try connection.queryAll(sql, [pattern, pattern]).rows.compactMap { r in
            guard let schema = r[0].textValue, let name = r[1].textValue, let type = r[2].textValue else { return nil }
            guard wanted.isEmpty || wanted.contains(type) else { return nil }
            return SQLTableInfo(name: SQLTableName(schema: schema, name), type: type)
        }
    }

    public func columns(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [SQLColumnInfo] {
        let sql = """
            SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE, COALESCE(NUMERIC_PRECISION, CHARACTER_MAXIMUM_LENGTH, \
            DATETIME_PRECISION), NUMERIC_SCALE, EXTRA, COLUMN_DEFAULT FROM information_schema.COLUMNS \
            WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION
            """
        return try connection.queryAll(sql, [table.schema.map(SQLValue.text) ?? .null, .text(table.name)]).rows.map { r in
            // MariaDB reports "no default" of a nullable column as the text NULL.
            let def = r[6].textValue.flatMap { $0 == "NULL" ? nil : $0 }
            return SQLColumnInfo(
                name: r[0].textValue ?? "", typeName: (r[1].textValue ?? "").lowercased(),
                isNullable: r[2].textValue == "YES", precision: r[3].intValue.map(Int.init),
                scale: r[4].intValue.map(Int.init),
                isAutoIncrement: (r[5].textValue ?? "").lowercased().contains("auto_increment"), defaultValue: def)
        }
    }

    public func primaryKey(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [String] {
        try uniqueIndexes(of: table, on: connection).first(where: \.isPrimaryKey)?.columns ?? []
    }

    public func uniqueIndexes(of table: SQLTableName, on connection: any DatabaseConnection) throws -> [SQLIndexInfo] {
        let sql = """
            SELECT INDEX_NAME, CASE WHEN INDEX_NAME = 'PRIMARY' THEN 1 ELSE 0 END, COLUMN_NAME \
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? \
            AND NON_UNIQUE = 0 ORDER BY 2 DESC, INDEX_NAME, SEQ_IN_INDEX
            """
        return groupIndexes(try connection.queryAll(sql, [table.schema.map(SQLValue.text) ?? .null, .text(table.name)]).rows)
    }
}
