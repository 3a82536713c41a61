import CMariaDB
import Foundation

/// A MariaDB Connector/C session (MariaDB and MySQL servers). Every statement with parameters or a result goes
/// through server-side prepared statements with typed binds; statements are cached per connection.
public final class MariaDBConnection: DatabaseConnection, @unchecked Sendable {
    public let url: JDBCURL
    public var dialect: any SQLDialect { MySQLDialect() }
    var mysql: UnsafeMutablePointer<MYSQL>?
    var cache: [String: MariaDBStatement] = [:]
    public private(set) var inTransaction = false
    var busy = false
    /// Placeholders per statement are limited to 65,535 by the protocol.
    static let maxPlaceholders = 65_535

    private init(url: JDBCURL, mysql: UnsafeMutablePointer<MYSQL>) {
        self.url = url
        self.mysql = mysql
    }

    deinit { close() }

    /// Connects over TCP (JDBC semantics: `localhost` is 127.0.0.1, not the Unix socket), utf8mb4, UTC session,
    /// found-rows counts like Connector/J.
    public static func open(_ url: JDBCURL, connectTimeoutSeconds: Int = 10) throws -> MariaDBConnection {
        guard let m = mysql_init(nil) else { throw SQLError(.connectionFailed, "mysql_init failed", retriable: true) }
        var timeout = UInt32(Int(url.properties["connectTimeout"].flatMap { Int($0).map { $0 / 1000 } } ?? connectTimeoutSeconds))
        mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        mysql_options(m, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'")
        var protocolTCP = UInt32(MYSQL_PROTOCOL_TCP.rawValue)
        mysql_options(m, MYSQL_OPT_PROTOCOL, &protocolTCP)
        do {
            try MariaDBTLS.settings(url.properties)?.apply(to: m)
        } catch {
            mysql_close(m)
            throw error
        }
        let host = url.host == "localhost" ? "127.0.0.1" : url.host
        let ok = mysql_real_connect(
            m, host, url.user, url.password, url.database.isEmpty ? nil : url.database, UInt32(url.port), nil,
            UInt(CLIENT_FOUND_ROWS))
        if ok == nil {
            let code = Int(mysql_errno(m))
            let message = String(cString: mysql_error(m))
            mysql_close(m)
            throw SQLError(
                .connectionFailed, "cannot connect to MariaDB/MySQL at \(url.endpoint) (database '\(url.database)'): \(message)",
                vendorCode: code, retriable: MariaDBConnection.isRetriable(code))
        }
        return MariaDBConnection(url: url, mysql: m)
    }

    /// Connection loss, server gone or shutting down, too many connections, deadlock, lock wait timeout.
    static func isRetriable(_ code: Int) -> Bool {
        [2002, 2003, 2005, 2006, 2013, 2055, 1040, 1053, 1205, 1213, 1927, 4031].contains(code)
    }

    func handle() throws -> UnsafeMutablePointer<MYSQL> {
        guard let mysql else { throw SQLError(.misuse, "\(url): connection is closed") }
        guard !busy else { throw SQLError(.misuse, "\(url): a query cursor is still open on this connection") }
        return mysql
    }

    func make(_ code: Int, _ state: String, _ message: String, _ sql: String) -> SQLError {
        let lost = [2006, 2013, 2055, 4031].contains(code)
        return SQLError(
            lost ? .connectionLost : .statementFailed, "MariaDB \(url.endpoint): \(message) [statement: \(sql.prefix(300))]",
            sqlState: state.isEmpty || state == "00000" ? nil : state, vendorCode: code,
            retriable: MariaDBConnection.isRetriable(code) || state.hasPrefix("08") || state == "40001")
    }

    func error(_ sql: String) -> SQLError {
        guard let mysql else { return SQLError(.misuse, "\(url): connection is closed") }
        return make(Int(mysql_errno(mysql)), String(cString: mysql_sqlstate(mysql)), String(cString: mysql_error(mysql)), sql)
    }

    func error(stmt: UnsafeMutablePointer<MYSQL_STMT>, _ sql: String) -> SQLError {
        make(Int(mysql_stmt_errno(stmt)), String(cString: mysql_stmt_sqlstate(stmt)), String(cString: mysql_stmt_error(stmt)), sql)
    }

    func statement(_ sql: String) throws -> MariaDBStatement {
        if let s = cache[sql] { return s }
        let s = try MariaDBStatement.prepare(self, try handle(), sql)
        if cache.count >= 128 { cache.removeAll() }
        cache[sql] = s
        return s
    }

    @discardableResult
    public func execute(_ sql: String, _ params: [SQLValue]) throws -> Int {
        let m = try handle()
        if params.isEmpty {
            var text = sql
            let rc = text.withUTF8 { u in u.withMemoryRebound(to: CChar.self) { mysql_real_query(m, $0.baseAddress, UInt(u.count)) } }
            if rc != 0 { throw error(sql) }
            let affected = mysql_affected_rows(m)
            if let res = mysql_store_result(m) { mysql_free_result(res) }
            return affected == UInt64.max ? 0 : Int(affected)
        }
        let s = try statement(sql)
        do {
            try s.execute(self, params)
        } catch let e as SQLError {
            cache[sql] = nil  // 1615 "needs to be re-prepared", or a broken statement after a lost connection
            if e.vendorCode == 1615 { return try execute(sql, params) }
            throw e
        }
        let affected = mysql_stmt_affected_rows(s.stmt)
        // A statement that produced rows must have them read before the connection can be used again.
        if mysql_stmt_field_count(s.stmt) > 0 { mysql_stmt_store_result(s.stmt) }
        mysql_stmt_free_result(s.stmt)
        return affected == UInt64.max ? 0 : Int(affected)
    }

    public func query(_ sql: String, _ params: [SQLValue], fetchSize: Int) throws -> any SQLRowCursor {
        let s = try MariaDBStatement.prepare(self, try handle(), sql)
        try s.execute(self, params)
        busy = true
        do {
            return try MariaDBCursor(connection: self, statement: s)
        } catch {
            busy = false
            throw error
        }
    }

    /// Multi-row `INSERT ... VALUES (?,?),(?,?)...` in chunks under the placeholder limit; full chunks reuse one
    /// prepared statement.
    @discardableResult
    public func bulkInsert(into table: SQLTableName, columns: [String], rows: [[SQLValue]]) throws -> Int {
        try bulkExecute(rows: rows, width: columns.count) { dialect.insert(into: table, columns: columns, rowCount: $0) }
    }

    /// Runs `sqlFor(rowCount)` (a multi-row INSERT or upsert) over `rows` in chunks, binding the rows' values in order.
    @discardableResult
    public func bulkExecute(rows: [[SQLValue]], width: Int, maxRowsPerStatement: Int = 1000, _ sqlFor: (Int) -> String)
        throws -> Int
    {
        guard !rows.isEmpty, width > 0 else { return 0 }
        let perStatement = max(1, min(maxRowsPerStatement, Self.maxPlaceholders / width))
        var total = 0
        var start = 0
        var params: [SQLValue] = []
        params.reserveCapacity(perStatement * width)
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            params.removeAll(keepingCapacity: true)
            for r in rows[start..<end] {
                guard r.count == width else {
                    throw SQLError(.misuse, "row has \(r.count) values but \(width) columns were named")
                }
                params.append(contentsOf: r)
            }
            total += try execute(sqlFor(end - start), params)
            start = end
        }
        return total
    }

    public func begin() throws {
        try execute("START TRANSACTION")
        inTransaction = true
    }

    public func commit() throws {
        inTransaction = false
        try execute("COMMIT")
    }

    public func rollback() throws {
        inTransaction = false
        try execute("ROLLBACK")
    }

    public func isAlive() -> Bool {
        guard let mysql, !busy else { return false }
        return mysql_ping(mysql) == 0
    }

    public func close() {
        cache.removeAll()
        if let mysql { mysql_close(mysql) }
        mysql = nil
    }
}
