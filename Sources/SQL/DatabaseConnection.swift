/// One open session with a database, used by one thread at a time (the dedicated thread of a connector task).
///
/// Every call is synchronous and may block on I/O: connectors never call it from the Swift concurrency pool.
/// Values are always bound with their real types; implementations never paste values into SQL text.
/// All methods throw `SQLError`.
public protocol DatabaseConnection: AnyObject, Sendable {
    /// The URL this connection was opened from (messages name `url.description`, never the password).
    var url: JDBCURL { get }
    /// Quoting, type names, statement builders and metadata readers for this database.
    var dialect: any SQLDialect { get }

    /// Runs one statement with bound parameters and returns the affected row count (0 for DDL).
    /// Statements with parameters are prepared once per connection and reused.
    @discardableResult
    func execute(_ sql: String, _ params: [SQLValue]) throws -> Int

    /// Starts a query whose rows are streamed: at most about `fetchSize` rows are held in memory at a time, however
    /// large the result. The connection is busy until the cursor is exhausted or closed.
    func query(_ sql: String, _ params: [SQLValue], fetchSize: Int) throws -> any SQLRowCursor

    /// Writes many rows the fastest way this database allows (PostgreSQL COPY, MariaDB multi-row INSERT, SQLite one
    /// prepared statement), inside the caller's transaction if one is open. Returns the number of rows written.
    @discardableResult
    func bulkInsert(into table: SQLTableName, columns: [String], rows: [[SQLValue]]) throws -> Int

    func begin() throws
    func commit() throws
    func rollback() throws
    /// Whether `begin()` was called without a matching commit/rollback yet.
    var inTransaction: Bool { get }

    /// A cheap round trip proving the session still works (`SELECT 1`).
    func isAlive() -> Bool

    /// Frees the session; further calls throw `SQLError.Code.misuse`. Safe to call twice.
    func close()
}

/// A streaming result: the rows of a query, pulled in batches.
public protocol SQLRowCursor: AnyObject {
    /// Result column metadata, known before the first row.
    var columns: [SQLColumn] { get }
    /// The next rows (up to `maxRows`); an empty array means the result is exhausted.
    func next(maxRows: Int) throws -> [[SQLValue]]
    /// Abandons the rest of the result so the connection can run other statements.
    func close()
}

/// A fully read result, for metadata and small queries.
public struct SQLResult: Sendable {
    public var columns: [SQLColumn]
    public var rows: [[SQLValue]]

    public init(columns: [SQLColumn], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The index of the column called `name` (case-insensitive), for readers of metadata queries.
    public func index(of name: String) -> Int? {
        columns.firstIndex { $0.name.lowercased() == name.lowercased() }
    }
}

extension DatabaseConnection {
    /// Runs a statement without parameters (DDL, SET, BEGIN).
    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }

    /// Runs a query and reads every row: only for results known to be small.
    public func queryAll(_ sql: String, _ params: [SQLValue] = []) throws -> SQLResult {
        let cursor = try query(sql, params, fetchSize: 1000)
        defer { cursor.close() }
        var rows: [[SQLValue]] = []
        while true {
            let batch = try cursor.next(maxRows: 1000)
            if batch.isEmpty { break }
            rows.append(contentsOf: batch)
        }
        return SQLResult(columns: cursor.columns, rows: rows)
    }

    /// The first column of the first row, or nil when there is no row.
    public func queryScalar(_ sql: String, _ params: [SQLValue] = []) throws -> SQLValue? {
        let cursor = try query(sql, params, fetchSize: 1)
        defer { cursor.close() }
        return try cursor.next(maxRows: 1).first?.first
    }

    /// Streams a query to `handler` in batches of up to `batchSize` rows; return false from it to stop early.
    public func forEachBatch(
        _ sql: String, _ params: [SQLValue] = [], batchSize: Int = 1000,
        _ handler: ([SQLColumn], [[SQLValue]]) throws -> Bool
    ) throws {
        let cursor = try query(sql, params, fetchSize: batchSize)
        defer { cursor.close() }
        while true {
            let batch = try cursor.next(maxRows: batchSize)
            if batch.isEmpty { return }
            if try !handler(cursor.columns, batch) { return }
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try begin()
        do {
            let result = try body()
            try commit()
            return result
        } catch {
            if inTransaction { try? rollback() }
            throw error
        }
    }

    /// The database's current time (UTC epoch microseconds), which bounds the JDBC source's timestamp queries.
    public func currentTimestamp() throws -> Int64 {
        let v = try queryScalar(dialect.currentTimestampQuery)
        switch v {
        case .timestamp(let t): return t
        case .text(let s): if let t = SQLTemporal.parseTimestamp(s[...]) { return t }
        case .int(let ms): return ms * 1000
        default: break
        }
        throw SQLError(.decoding, "\(url): current timestamp query returned \(v.map(\.description) ?? "no row")")
    }
}
