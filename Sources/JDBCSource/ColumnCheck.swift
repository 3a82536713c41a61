import SQL
import SluiceAPI

/// The per-table checks of a mode's columns, shared by the connector's `validate` (answered on the named key) and
/// the task's start: the incrementing column exists or can be auto-detected, timestamp columns exist, and with
/// `validate.non.null` none of them is nullable.
struct ColumnCheck {
    let config: JDBCSourceConfig
    let table: SQLTableName
    let columns: [SQLColumnInfo]

    /// A column by exact name, else case-insensitively (unquoted names fold in the database).
    static func find(_ name: String, in columns: [SQLColumnInfo]) -> SQLColumnInfo? {
        columns.first { $0.name == name } ?? columns.first { $0.name.lowercased() == name.lowercased() }
    }

    func problems() throws -> [(key: String, message: String)] {
        var out: [(key: String, message: String)] = []
        let mode = config.mode
        if mode.usesIncrementing {
            let key = "incrementing.column.name"
            if let name = config.incrementingColumn {
                if let c = ColumnCheck.find(name, in: columns) {
                    if config.validateNonNull && c.isNullable {
                        out.append((key, "Invalid value \(name) for configuration \(key): column '\(name)' of table \(table) is nullable; make it NOT NULL or set validate.non.null=false"))
                    }
                } else {
                    out.append((key, "Invalid value \(name) for configuration \(key): table \(table) has no column '\(name)' (columns: \(columns.map(\.name).joined(separator: ", ")))"))
                }
            } else if !columns.contains(where: \.isAutoIncrement) {
                out.append((key, "Missing required configuration \(key): table \(table) has no auto-increment/serial/identity column to detect; name the incrementing column"))
            }
        }
        if mode.usesTimestamp {
            let key = "timestamp.column.name"
            for name in config.timestampColumns {
                guard let c = ColumnCheck.find(name, in: columns) else {
                    out.append((key, "Invalid value \(name) for configuration \(key): table \(table) has no column '\(name)' (columns: \(columns.map(\.name).joined(separator: ", ")))"))
                    continue
                }
                if config.validateNonNull && c.isNullable && config.timestampColumns.count == 1 {
                    out.append((key, "Invalid value \(name) for configuration \(key): column '\(name)' of table \(table) is nullable; make it NOT NULL or set validate.non.null=false"))
                }
            }
        }
        return out
    }
}
