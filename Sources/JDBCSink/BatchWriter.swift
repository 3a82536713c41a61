import Logging
import SQL
import SluiceAPI

/// One buffered change for a table: a row to write (all columns) or a key to delete, with the index of the record it
/// came from (for error reports).
struct PendingOp {
    enum Kind { case write, delete }
    var kind: Kind
    var row: [SQLValue]
    var record: Int
}

/// Writes buffered changes the fastest way each database allows, inside the put's transaction:
/// PostgreSQL COPY (insert) or COPY into a temporary table + `INSERT ... SELECT ... ON CONFLICT` (upsert), MariaDB
/// multi-row INSERT / `ON DUPLICATE KEY UPDATE`, SQLite one prepared statement per row.
///
/// When the database rejects a batch, the task replays the put in careful mode, where every batch runs under a
/// savepoint: a rejected batch is rolled back to the savepoint and bisected until the bad records are isolated, so the rest is still written and each bad record is handed to
/// `onBadRecord` (which dead-letters it or fails the task).
final class BatchWriter {
    let config: JDBCSinkConfig
    let connection: any DatabaseConnection
    /// Whether batches run under savepoints so a rejected batch can be bisected. The first attempt of a put runs
    /// without (savepoints make every row a subtransaction's); the task replays a failed put with this on.
    var careful = false
    /// Temporary staging tables made on this connection (PostgreSQL upsert), by target table and column list.
    private var staging: [String: SQLTableName] = [:]
    private var stagingCounter = 0
    /// Per table: how many upsert batches to merge before trying a plain COPY again.
    private var skipCopy: [String: Int] = [:]
    /// Tables copied as text from now on: a value did not fit its column's binary form (the value's type differs
    /// from the column's, e.g. a string field into a uuid column, which the server converts from text).
    private var textOnly: Set<SQLTableName> = []

    let logger: Logger

    init(config: JDBCSinkConfig, connection: any DatabaseConnection, logger: Logger) {
        self.config = config
        self.connection = connection
        self.logger = logger
        self.streamsWhenNotCareful = config.insertMode == .insert && connection is PostgresConnection
    }

    /// The open COPY of insert mode's streaming path (see `streams`), and its table.
    private var stream: PostgresCopyStream?
    private var streamTable: SQLTableName?

    /// Forgets staging tables (a rolled-back transaction drops the ones it created) and any open COPY stream.
    func invalidate() {
        staging.removeAll()
        stream?.abort("put failed")
        stream = nil
    }

    /// Whether writes go straight into an open COPY as records are converted (insert mode on PostgreSQL, first
    /// attempt of a put) instead of being buffered: the server then parses rows while later records are still
    /// being converted. A rejected row fails the COPY; the task replays the put carefully (buffered, bisected).
    var streams: Bool { streamsWhenNotCareful && !careful }
    private let streamsWhenNotCareful: Bool

    /// The binary COPY types to use for `table`, or nil for text: careful replays (which isolate bad records) and
    /// tables that had a value without a binary form use text, where the server converts.
    func copyTypes(_ table: SQLTableName, _ binaryTypes: [PostgresBinaryType]?) -> [PostgresBinaryType]? {
        careful || textOnly.contains(table) ? nil : binaryTypes
    }

    /// Errors after which a table is copied as text: a value without a binary form for its column
    /// (`.binaryUnsupported`, raised before the server sees it), or the server's invalid_binary_representation
    /// (22P03: the column's type is not what the catalog said, e.g. changed since).
    static func needsText(_ e: SQLError) -> Bool { e.code == .binaryUnsupported || e.sqlState == "22P03" }

    /// From now on `table` is copied as text (the put is replayed that way by the task).
    func copyAsText(_ table: SQLTableName, _ why: SQLError) {
        guard textOnly.insert(table).inserted else { return }
        logger.info("JDBC sink copies table \(table) as text from now on instead of binary: \(why)")
    }

    func openStream(table: SQLTableName, columns: [String], binaryTypes: [PostgresBinaryType]?) throws {
        stream = try (connection as! PostgresConnection).openCopy(into: table, columns: columns,
            binaryTypes: copyTypes(table, binaryTypes))
        streamTable = table
    }

    @inline(__always)
    func streamRow(_ row: [SQLValue]) throws {
        do {
            try stream!.append(row)
        } catch let e as SQLError where Self.needsText(e) {
            copyAsText(streamTable!, e)
            throw e
        }
    }

    func finishStream() throws {
        guard let s = stream else { return }
        stream = nil
        do {
            try s.finish()
        } catch let e as SQLError where s.isBinary && Self.needsText(e) {
            copyAsText(streamTable!, e)
            throw e
        }
    }

    /// Upsert on PostgreSQL, first attempt of a put, keyed rows, and the table's last batches had no existing keys:
    /// the batch's rows can stream straight into the table (see `copyWhenAllKeysAreNew`).
    func streamsUpsert(into table: SQLTableName, keyCount: Int) -> Bool {
        guard config.insertMode == .upsert, keyCount > 0, !careful, connection is PostgresConnection else { return false }
        return (skipCopy[dialect.quote(table)] ?? 0) == 0
    }

    func openUpsertStream(table: SQLTableName, columns: [String], binaryTypes: [PostgresBinaryType]?) throws {
        try connection.execute("SAVEPOINT sluice_copy")
        try openStream(table: table, columns: columns, binaryTypes: binaryTypes)
    }

    /// Ends an upsert stream: true when every row went in; false when a key already existed (or repeated within the
    /// batch), after rolling the stream back — the caller then merges the buffered rows (the next 16 batches of
    /// this table go straight to the merge).
    func finishUpsertStream(table: SQLTableName) throws -> Bool {
        do {
            try finishStream()
            try connection.execute("RELEASE SAVEPOINT sluice_copy")
            return true
        } catch let e as SQLError where e.sqlState == "23505" {
            try connection.execute("ROLLBACK TO SAVEPOINT sluice_copy")
            try connection.execute("RELEASE SAVEPOINT sluice_copy")
            skipCopy[dialect.quote(table)] = 16
            return false
        }
    }

    var dialect: any SQLDialect { connection.dialect }

    /// Applies `ops` in order: consecutive writes are batched, deletes keep their place relative to writes, and in
    /// upsert mode only the last write per key of a run is kept (one statement cannot touch a row twice).
    func apply(table: SQLTableName, columns: [String], binaryTypes: [PostgresBinaryType]?, keyCount: Int,
        ops: [PendingOp], onBadRecord: (Int, SQLError) throws -> Void) throws
    {
        let types = copyTypes(table, binaryTypes)
        var start = 0
        while start < ops.count {
            var end = start + 1
            while end < ops.count && ops[end].kind == ops[start].kind { end += 1 }
            var run = Array(ops[start..<end])
            if run[0].kind == .write && config.insertMode == .upsert && keyCount > 0 { run = lastPerKey(run, keyCount) }
            if run[0].kind == .write && config.insertMode == .upsert && connection.url.kind == .postgresql {
                _ = try stagingTable(for: table, columns: columns)  // created outside the savepoint so it survives a rollback to it
            }
            do {
                try isolated(run[...], onBadRecord) { try write(table, columns, types, keyCount, $0) }
            } catch let e as SQLError where types != nil && Self.needsText(e) {
                copyAsText(table, e)
                throw e
            }
            start = end
        }
    }

    func lastPerKey(_ run: [PendingOp], _ keyCount: Int) -> [PendingOp] {
        var index: [ArraySlice<SQLValue>: Int] = [:]
        index.reserveCapacity(run.count)
        var out: [PendingOp] = []
        out.reserveCapacity(run.count)
        for op in run {
            let k = op.row[0..<keyCount]
            if let i = index[k] { out[i] = op } else { index[k] = out.count; out.append(op) }
        }
        return out
    }

    /// Runs `body` for `ops` under a savepoint; on a non-retriable database error, bisects to find the bad records.
    func isolated(_ ops: ArraySlice<PendingOp>, _ onBadRecord: (Int, SQLError) throws -> Void,
        _ body: (ArraySlice<PendingOp>) throws -> Void) throws
    {
        guard !ops.isEmpty else { return }
        guard careful else { return try body(ops) }
        try connection.execute("SAVEPOINT sluice_batch")
        do {
            try body(ops)
            try connection.execute("RELEASE SAVEPOINT sluice_batch")
        } catch let e as SQLError where !e.isRetriable {
            try connection.execute("ROLLBACK TO SAVEPOINT sluice_batch")
            try connection.execute("RELEASE SAVEPOINT sluice_batch")
            if ops.count == 1 {
                try onBadRecord(ops[ops.startIndex].record, e)
                return
            }
            let mid = ops.startIndex + ops.count / 2
            try isolated(ops[..<mid], onBadRecord, body)
            try isolated(ops[mid...], onBadRecord, body)
        }
    }

    func write(_ table: SQLTableName, _ columns: [String], _ types: [PostgresBinaryType]?, _ keyCount: Int,
        _ ops: ArraySlice<PendingOp>) throws
    {
        let keys = Array(columns[..<keyCount])
        if ops[ops.startIndex].kind == .delete {
            let sql = dialect.delete(from: table, keyColumns: keys)
            for op in ops { try connection.execute(sql, op.row) }
            return
        }
        switch config.insertMode {
        case .insert:
            try bulkInsert(table, columns, types, ops)
        case .upsert:
            if connection.url.kind == .postgresql, let d = dialect as? PostgresDialect {
                if try copyWhenAllKeysAreNew(table, columns, types, ops) { return }
                let stage = try stagingTable(for: table, columns: columns)
                try bulkInsert(stage, columns, types, ops)  // the staging table has the table's column types
                try connection.execute(d.upsert(into: table, from: stage, columns: columns, keyColumns: keys))
                try connection.execute("TRUNCATE \(d.quote(stage))")
            } else if let m = connection as? MariaDBConnection {
                try m.bulkExecute(rows: ops.map(\.row), width: columns.count) {
                    dialect.upsert(into: table, columns: columns, keyColumns: keys, rowCount: $0)
                }
            } else {
                let sql = dialect.upsert(into: table, columns: columns, keyColumns: keys, rowCount: 1)
                for op in ops { try connection.execute(sql, op.row) }
            }
        case .update:
            let nonKeys = Array(columns[keyCount...])
            guard !nonKeys.isEmpty else { return }
            let sql = dialect.update(table: table, columns: nonKeys, keyColumns: keys)
            for op in ops { try connection.execute(sql, Array(op.row[keyCount...]) + Array(op.row[..<keyCount])) }
        }
    }

    /// PostgreSQL: COPY straight from the buffered rows (binary with `types`, else the fast text encoders); others:
    /// the layer's bulk insert.
    func bulkInsert(_ table: SQLTableName, _ columns: [String], _ types: [PostgresBinaryType]?,
        _ ops: ArraySlice<PendingOp>) throws
    {
        if let pg = connection as? PostgresConnection {
            try pg.copyIn(into: table, columns: columns, binaryTypes: types) { w in
                for op in ops { try w.appendFast(op.row) }
            }
        } else {
            try connection.bulkInsert(into: table, columns: columns, rows: ops.map(\.row))
        }
    }

    /// PostgreSQL upsert of keys that are all new is a plain COPY (multi-row heap inserts, several times faster than
    /// `ON CONFLICT`): tried under a savepoint, and on a unique violation rolled back and merged instead. After a
    /// batch that had existing keys, the next 16 batches of that table go straight to the merge.
    func copyWhenAllKeysAreNew(_ table: SQLTableName, _ columns: [String], _ types: [PostgresBinaryType]?,
        _ ops: ArraySlice<PendingOp>) throws -> Bool
    {
        let key = dialect.quote(table)
        if let skip = skipCopy[key], skip > 0 {
            skipCopy[key] = skip - 1
            return false
        }
        try connection.execute("SAVEPOINT sluice_copy")
        do {
            try bulkInsert(table, columns, types, ops)
            try connection.execute("RELEASE SAVEPOINT sluice_copy")
            return true
        } catch let e as SQLError where e.sqlState == "23505" {
            try connection.execute("ROLLBACK TO SAVEPOINT sluice_copy")
            try connection.execute("RELEASE SAVEPOINT sluice_copy")
            skipCopy[key] = 16
            return false
        }
    }

    /// `CREATE TEMP TABLE ... AS SELECT <columns> FROM <table> WITH NO DATA`: the columns' exact types, no constraints.
    func stagingTable(for table: SQLTableName, columns: [String]) throws -> SQLTableName {
        let key = dialect.quote(table) + "\u{0}" + columns.joined(separator: "\u{0}")
        if let s = staging[key] { return s }
        stagingCounter += 1
        let s = SQLTableName("sluice_stage_\(stagingCounter)")
        let cols = columns.map { dialect.quote(identifier: $0) }.joined(separator: ",")
        try connection.execute(
            "CREATE TEMP TABLE \(dialect.quote(s)) AS SELECT \(cols) FROM \(dialect.quote(table)) WITH NO DATA")
        staging[key] = s
        return s
    }
}
