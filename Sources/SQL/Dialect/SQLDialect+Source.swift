/// Metadata only the JDBC source needs: which integer columns are unsigned (MySQL/MariaDB), so their values get a
/// Connect type wide enough (TINYINT UNSIGNED 255 does not fit INT8).
extension SQLDialect {
    /// Names of the table's unsigned numeric columns; always empty outside MySQL/MariaDB.
    public func unsignedColumns(of table: SQLTableName, on connection: any DatabaseConnection) throws -> Set<String> {
        guard connection.url.kind == .mysql else { return [] }
        let sql = """
            SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) \
            AND TABLE_NAME = ? AND LOWER(COLUMN_TYPE) LIKE '%unsigned%'
            """
        let rows = try connection.queryAll(sql, [table.schema.map(SQLValue.text) ?? .null, .text(table.name)]).rows
        return Set(rows.compactMap { $0[0].textValue })
    }
}
