import SQL
import SluiceAPI

/// The SQL of incremental snapshots on the task's ordinary connection (autocommit): window markers in the signal
/// table, the table's maximum key, and chunk SELECTs by primary key. Identifiers are quoted, key values and limits
/// are bound parameters; an `additional-conditions` filter is SQL the signal's author wrote (as in Debezium) and is
/// added in parentheses.
struct IncrementalChunkReader {
    let connection: any DatabaseConnection
    let signalTable: TableId

    private var dialect: any SQLDialect { connection.dialect }

    private func name(_ id: TableId) -> String {
        dialect.quote(identifier: id.schema) + "." + dialect.quote(identifier: id.table)
    }

    /// Inserts `<chunk>-open` / `<chunk>-close` positionally (id, type, data) as Debezium does. The marker's
    /// transaction commits synchronously so the walsender sees it at once even when the server runs
    /// `synchronous_commit=off` (the chunk waits for it in the stream).
    func writeMarker(id: String, type: String) throws {
        do {
            try connection.begin()
            try connection.execute("SET LOCAL synchronous_commit TO on")
            try connection.execute("INSERT INTO \(name(signalTable)) VALUES ($1, $2, NULL)", [.text(id), .text(type)])
            try connection.commit()
        } catch {
            if connection.inTransaction { try? connection.rollback() }
            throw ConnectError(.connect, "incremental snapshot: cannot write the window marker '\(id)' into the signal table "
                + "\(signalTable) (signal.data.collection): \(error). The table needs columns (id varchar(42) PRIMARY KEY, "
                + "type varchar(32) NOT NULL, data varchar(2048)) and database.user needs INSERT on it", retriable: true)
        }
    }

    private func keyList(_ table: TableSchema, descending: Bool = false) -> String {
        table.keyColumns.map { dialect.quote(identifier: $0.name) + (descending ? " DESC" : "") }.joined(separator: ", ")
    }

    /// The table's largest key (within `condition`), nil when it has no rows.
    func maximumKey(_ table: TableSchema, condition: String?) throws -> [String]? {
        let cols = table.keyColumns.map { "pg_catalog.format('%s', \(dialect.quote(identifier: $0.name)))" }.joined(separator: ", ")
        let filter = condition.map { " WHERE (\($0))" } ?? ""
        let sql = "SELECT \(cols) FROM \(name(table.id))\(filter) ORDER BY \(keyList(table, descending: true)) LIMIT 1"
        guard let row = try connection.queryAll(sql).rows.first else { return nil }
        let key = row.compactMap(\.textValue)
        return key.count == row.count ? key : nil
    }

    /// Runs a chunk SELECT so that it walks the primary-key index: without fresh statistics (a table just loaded,
    /// not yet analyzed) the planner picks a bitmap scan of every remaining row plus a top-N sort, which makes each
    /// chunk cost O(remaining rows) (measured: 35 ms instead of 0.4 ms per 1024-row chunk at 100k rows left).
    private func readInKeyOrder(_ sql: String, _ params: [SQLValue]) throws -> [[SQLValue]] {
        try connection.begin()
        do {
            try connection.execute("SET LOCAL enable_sort = off")
            try connection.execute("SET LOCAL enable_bitmapscan = off")
            let rows = try connection.queryAll(sql, params).rows
            try connection.commit()
            return rows
        } catch {
            if connection.inTransaction { try? connection.rollback() }
            throw error
        }
    }

    /// The next rows after `after` (exclusive) up to `maximum` (inclusive) in key order, as tuples laid out like the
    /// table's pgoutput tuples (every value through its type's output function, as the stream sends it).
    func chunk(_ table: TableSchema, after: [String]?, maximum: [String], condition: String?, limit: Int) throws -> [ChunkBuffer.Row] {
        let keys = "(" + keyList(table) + ")"
        var params: [SQLValue] = []
        func placeholders(_ values: [String]) -> String {
            "(" + values.map { v -> String in params.append(.text(v)); return "$\(params.count)" }.joined(separator: ", ") + ")"
        }
        var conditions: [String] = []
        if let after { conditions.append("\(keys) > \(placeholders(after))") }
        conditions.append("\(keys) <= \(placeholders(maximum))")
        if let condition { conditions.append("(\(condition))") }
        params.append(.int(Int64(limit)))
        let cols = table.columns.map { c -> String in
            let col = dialect.quote(identifier: c.name)
            return "CASE WHEN \(col) IS NULL THEN NULL ELSE pg_catalog.format('%s', \(col)) END"
        }.joined(separator: ", ")
        let sql = "SELECT \(cols.isEmpty ? "1" : cols) FROM \(name(table.id)) WHERE \(conditions.joined(separator: " AND ")) "
            + "ORDER BY \(keyList(table)) LIMIT $\(params.count)"
        let width = (table.columns.map(\.sourceIndex).max() ?? -1) + 1
        var out: [ChunkBuffer.Row] = []
        for row in try readInKeyOrder(sql, params) {
            var tuple = [TupleColumn](repeating: .null, count: width)
            for (i, c) in table.columns.enumerated() where i < row.count {
                let v = row[i]
                tuple[c.sourceIndex] = v.isNull ? .null : .text(Array((v.textValue ?? v.description).utf8))
            }
            let data = TupleData(tuple)
            guard let key = table.chunkKey(data) else { continue }
            out.append(ChunkBuffer.Row(key: key, tuple: data))
        }
        return out
    }
}
