import CSQLite
import Foundation

/// A SQLite database file (or `:memory:`). Statements are prepared once and cached; bulk inserts reuse one prepared
/// statement (inside a transaction when the caller has none open, since SQLite's per-statement commit dominates).
public final class SQLiteConnection: DatabaseConnection, @unchecked Sendable {
    public let url: JDBCURL
    public var dialect: any SQLDialect { SQLiteDialect() }
    var db: OpaquePointer?
    var cache: [String: SQLiteStatement] = [:]
    public private(set) var inTransaction = false
    var busy = false

    private init(url: JDBCURL, db: OpaquePointer) {
        self.url = url
        self.db = db
    }

    deinit { close() }

    public static func open(_ url: JDBCURL) throws -> SQLiteConnection {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let rc = sqlite3_open_v2(url.database, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw SQLError(.connectionFailed, "cannot open SQLite database '\(url.database)': \(message)", vendorCode: Int(rc))
        }
        sqlite3_busy_timeout(db, 10_000)
        sqlite3_extended_result_codes(db, 1)
        return SQLiteConnection(url: url, db: db)
    }

    func handle() throws -> OpaquePointer {
        guard let db else { throw SQLError(.misuse, "\(url): connection is closed") }
        guard !busy else { throw SQLError(.misuse, "\(url): a query cursor is still open on this connection") }
        return db
    }

    func error(_ rc: Int32, _ sql: String) -> SQLError {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "closed"
        let primary = rc & 0xFF
        return SQLError(
            .statementFailed, "SQLite \(url.database): \(message) [statement: \(sql.prefix(300))]", vendorCode: Int(rc),
            retriable: primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    }

    func statement(_ sql: String, cached: Bool) throws -> SQLiteStatement {
        if cached, let s = cache[sql] { return s }
        let db = try handle()
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql) }
        let s = SQLiteStatement(stmt: stmt, sql: sql)
        if cached && cache.count < 256 { cache[sql] = s }
        return s
    }

    @discardableResult
    public func execute(_ sql: String, _ params: [SQLValue]) throws -> Int {
        let db = try handle()
        if params.isEmpty {  // may hold several statements (DDL scripts)
            var err: UnsafeMutablePointer<CChar>?
            let before = sqlite3_total_changes64(db)
            let rc = sqlite3_exec(db, sql, nil, nil, &err)
            sqlite3_free(err)
            guard rc == SQLITE_OK else { throw error(rc, sql) }
            return Int(sqlite3_total_changes64(db) - before)
        }
        let s = try statement(sql, cached: true)
        return try run(s, params)
    }

    func run(_ s: SQLiteStatement, _ params: [SQLValue]) throws -> Int {
        let db = try handle()
        var rc = s.bind(params)
        guard rc == SQLITE_OK else { throw error(rc, s.sql) }
        repeat { rc = sqlite3_step(s.stmt) } while rc == SQLITE_ROW
        sqlite3_reset(s.stmt)
        guard rc == SQLITE_DONE else { throw error(rc, s.sql) }
        return Int(sqlite3_changes64(db))
    }

    public func query(_ sql: String, _ params: [SQLValue], fetchSize: Int) throws -> any SQLRowCursor {
        let s = try statement(sql, cached: false)
        let rc = s.bind(params)
        guard rc == SQLITE_OK else { throw error(rc, sql) }
        busy = true
        return SQLiteCursor(connection: self, statement: s)
    }

    @discardableResult
    public func bulkInsert(into table: SQLTableName, columns: [String], rows: [[SQLValue]]) throws -> Int {
        if rows.isEmpty { return 0 }
        let s = try statement(dialect.insert(into: table, columns: columns), cached: true)
        let own = !inTransaction
        if own { try begin() }
        do {
            var n = 0
            for r in rows { n += try run(s, r) }
            if own { try commit() }
            return n
        } catch {
            if own { try? rollback() }
            throw error
        }
    }

    public func begin() throws {
        try execute("BEGIN")
        inTransaction = true
    }

    public func commit() throws {
        try execute("COMMIT")
        inTransaction = false
    }

    public func rollback() throws {
        inTransaction = false
        try execute("ROLLBACK")
    }

    public func isAlive() -> Bool { db != nil && !busy }

    public func close() {
        cache.removeAll()
        if let db { sqlite3_close_v2(db) }
        db = nil
    }
}

/// Rows from `sqlite3_step`, decoded as they are stepped.
final class SQLiteCursor: SQLRowCursor {
    let connection: SQLiteConnection
    var statement: SQLiteStatement?
    let columns: [SQLColumn]

    init(connection: SQLiteConnection, statement: SQLiteStatement) {
        self.connection = connection
        self.statement = statement
        self.columns = statement.columns
    }

    deinit { close() }

    func next(maxRows: Int) throws -> [[SQLValue]] {
        guard let s = statement else { return [] }
        var rows: [[SQLValue]] = []
        while rows.count < max(1, maxRows) {
            let rc = sqlite3_step(s.stmt)
            if rc == SQLITE_ROW {
                rows.append(s.row())
            } else if rc == SQLITE_DONE {
                close()
                break
            } else {
                let e = connection.error(rc, s.sql)
                close()
                throw e
            }
        }
        return rows
    }

    func close() {
        guard statement != nil else { return }
        statement = nil
        connection.busy = false
    }
}
