import CMariaDB

/// One server-side prepared statement (`MYSQL_STMT`), executed with typed `MYSQL_BIND` parameters.
final class MariaDBStatement {
    let stmt: UnsafeMutablePointer<MYSQL_STMT>
    let sql: String
    let paramCount: Int

    private init(stmt: UnsafeMutablePointer<MYSQL_STMT>, sql: String) {
        self.stmt = stmt
        self.sql = sql
        self.paramCount = Int(mysql_stmt_param_count(stmt))
    }

    deinit { mysql_stmt_close(stmt) }

    static func prepare(_ connection: MariaDBConnection, _ mysql: UnsafeMutablePointer<MYSQL>, _ sql: String) throws
        -> MariaDBStatement
    {
        guard let stmt = mysql_stmt_init(mysql) else { throw connection.error(sql) }
        var text = sql
        let rc = text.withUTF8 { u in
            u.withMemoryRebound(to: CChar.self) { mysql_stmt_prepare(stmt, $0.baseAddress, UInt(u.count)) }
        }
        if rc != 0 {
            let e = connection.error(stmt: stmt, sql)
            mysql_stmt_close(stmt)
            throw e
        }
        return MariaDBStatement(stmt: stmt, sql: sql)
    }

    /// Binds and executes; the result set (if any) is left for the caller to fetch or discard.
    func execute(_ connection: MariaDBConnection, _ params: [SQLValue]) throws {
        guard params.count == paramCount else {
            throw SQLError(.misuse, "statement has \(paramCount) placeholders but \(params.count) values were given: \(sql.prefix(200))")
        }
        let binds = MariaDBParams(params)
        if paramCount > 0, mysql_stmt_bind_param(stmt, binds.binds) != 0 { throw connection.error(stmt: stmt, sql) }
        if mysql_stmt_execute(stmt) != 0 { throw connection.error(stmt: stmt, sql) }
    }
}

/// Rows fetched one by one from an unbuffered prepared-statement result: the server streams them and only the
/// current row is held, so memory stays flat however large the table.
final class MariaDBCursor: SQLRowCursor {
    let connection: MariaDBConnection
    var statement: MariaDBStatement?
    let buffers: MariaDBResultBuffers?
    var columns: [SQLColumn] { buffers?.columns ?? [] }

    init(connection: MariaDBConnection, statement: MariaDBStatement) throws {
        self.connection = connection
        self.statement = statement
        let stmt = statement.stmt
        if let meta = mysql_stmt_result_metadata(stmt) {
            defer { mysql_free_result(meta) }
            let b = MariaDBResultBuffers(fields: mysql_fetch_fields(meta), count: Int(mysql_num_fields(meta)))
            buffers = b
            if b.count > 0, mysql_stmt_bind_result(stmt, b.binds) != 0 { throw connection.error(stmt: stmt, statement.sql) }
        } else {
            buffers = nil
        }
    }

    deinit { close() }

    func next(maxRows: Int) throws -> [[SQLValue]] {
        guard let statement, let buffers else {
            close()
            return []
        }
        var rows: [[SQLValue]] = []
        while rows.count < max(1, maxRows) {
            let rc = mysql_stmt_fetch(statement.stmt)
            if rc == 0 || rc == MYSQL_DATA_TRUNCATED {
                if rc == MYSQL_DATA_TRUNCATED || buffers.lengths(exceedBuffers: ()) {
                    if try buffers.refetchTruncated(statement.stmt) {
                        if mysql_stmt_bind_result(statement.stmt, buffers.binds) != 0 {
                            throw connection.error(stmt: statement.stmt, statement.sql)
                        }
                    }
                }
                rows.append(buffers.row())
            } else if rc == MYSQL_NO_DATA {
                close()
                break
            } else {
                let e = connection.error(stmt: statement.stmt, statement.sql)
                close()
                throw e
            }
        }
        return rows
    }

    func close() {
        guard let statement else { return }
        mysql_stmt_free_result(statement.stmt)
        self.statement = nil
        connection.busy = false
    }
}

extension MariaDBResultBuffers {
    /// Whether any variable-length value was longer than its buffer (when truncation reporting is off).
    func lengths(exceedBuffers: Void) -> Bool {
        for i in 0..<count where isNull[i] == 0 && Int(lengths[i]) > Int(binds[i].buffer_length) {
            switch kinds[i] {
            case .decimal, .text, .bytes, .json: return true
            default: continue
            }
        }
        return false
    }
}
