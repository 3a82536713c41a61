import Logging
import SQL
import SluiceAPI

/// Knows the destination tables' columns and creates or evolves them (`auto.create`, `auto.evolve`), as Confluent's
/// `DbStructure` does: CREATE TABLE from the Connect schema with the dialect's type table, NOT NULL for required
/// fields and the key as PRIMARY KEY; ALTER TABLE ADD only for new optional fields or fields with a default.
final class TableManager {
    let config: JDBCSinkConfig
    let logger: Logger
    /// Columns of tables seen on the current connection (cleared when a transaction rolls back, since DDL may have too).
    private var known: [SQLTableName: [SQLColumnInfo]] = [:]

    init(config: JDBCSinkConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    func invalidate() { known.removeAll() }

    /// Makes sure `table` exists with every column of `layout`, then returns the table's own spelling of each
    /// layout column (a case-insensitive match is accepted, e.g. for tables created by unquoted SQL).
    /// `beforeDDL` runs before any CREATE/ALTER (MariaDB commits implicitly around DDL).
    func ensure(_ table: SQLTableName, _ layout: RecordLayout, on connection: any DatabaseConnection,
        beforeDDL: () throws -> Void) throws -> [String]
    {
        let dialect = connection.dialect
        var columns = try existingColumns(table, connection)
        let wanted = layout.columns
        if columns.isEmpty {
            guard config.autoCreate else {
                throw ConnectError(.connect,
                    "Table \(table) is missing and auto.create is disabled: create it or set auto.create=true")
            }
            let defs = try wanted.map { c in
                SQLColumnDefinition(name: c.name, sqlType: try sqlType(c, dialect, table), isNullable: !c.isKey && c.schema.isOptional,
                    isPrimaryKey: c.isKey)
            }
            try beforeDDL()
            let sql = dialect.createTable(table, columns: defs)
            logger.info("Creating table \(table) with SQL: \(sql)")
            try connection.execute(sql)
            known[table] = nil
            columns = try existingColumns(table, connection)
        }
        var resolved: [String] = []
        var missing: [ColumnPlan] = []
        for c in wanted {
            if let m = match(c.name, columns) { resolved.append(m) } else { missing.append(c); resolved.append(c.name) }
        }
        if missing.isEmpty { return resolved }
        guard config.autoEvolve else {
            throw ConnectError(.connect,
                "Table \(table) is missing fields \(missing.map(\.name)) and auto.evolve is disabled: add the columns or set auto.evolve=true")
        }
        var defs: [SQLColumnDefinition] = []
        for c in missing {
            if c.isKey {
                throw ConnectError(.connect,
                    "Cannot ALTER TABLE \(table) to add key column '\(c.name)': auto.evolve only adds non-key columns")
            }
            // A required field without a default cannot be added: existing rows would have no value for it.
            if !c.schema.isOptional && c.schema.defaultValue == nil {
                throw ConnectError(.connect,
                    "Cannot ALTER TABLE \(table) to add missing field '\(c.name)' (\(c.schema.type.javaName)): it is required and has no default value; make the field optional or give it a default")
            }
            // Fields with a default are added as NULL-able: the sink writes the default itself, so no value is ever
            // formatted into the DDL.
            defs.append(SQLColumnDefinition(name: c.name, sqlType: try sqlType(c, dialect, table), isNullable: true))
        }
        try beforeDDL()
        for sql in dialect.alterTableAdd(table, columns: defs) {
            logger.info("Amending table \(table) with SQL: \(sql)")
            try connection.execute(sql)
        }
        known[table] = nil
        columns = try existingColumns(table, connection)
        return wanted.map { match($0.name, columns) ?? $0.name }
    }

    /// The table's columns from cache or the database's catalog.
    func existingColumns(_ table: SQLTableName, _ connection: any DatabaseConnection) throws -> [SQLColumnInfo] {
        if let c = known[table] { return c }
        let c = try connection.dialect.columns(of: table, on: connection)
        if !c.isEmpty { known[table] = c }
        return c
    }

    /// The catalog type name (`pg_type.typname` on PostgreSQL) of each of `columns`, which are the table's own
    /// spellings as `ensure` returned them; "" for a column the catalog does not list.
    func typeNames(_ table: SQLTableName, _ columns: [String], _ connection: any DatabaseConnection) throws -> [String] {
        let existing = try existingColumns(table, connection)
        return columns.map { c in existing.first(where: { $0.name == c })?.typeName ?? "" }
    }

    func match(_ name: String, _ columns: [SQLColumnInfo]) -> String? {
        if let exact = columns.first(where: { $0.name == name }) { return exact.name }
        let lower = name.lowercased()
        return columns.first(where: { $0.name.lowercased() == lower })?.name
    }

    func sqlType(_ c: ColumnPlan, _ dialect: any SQLDialect, _ table: SQLTableName) throws -> String {
        guard let t = dialect.sqlType(for: c.schema, isKey: c.isKey) else {
            throw ConnectError(.connect,
                "Cannot create column '\(c.name)' of table \(table): no \(dialect.name) type for \(c.schema.type.javaName)")
        }
        return t
    }
}
