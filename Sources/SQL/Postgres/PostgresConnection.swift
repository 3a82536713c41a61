import CLibPQ
import Foundation

/// A libpq session. Parameters are sent in text format with explicit type OIDs (bytea in binary), results are read
/// in text format and decoded by OID; statements with parameters are prepared once and reused.
///
/// Used by one thread at a time (the protocol's contract); `@unchecked Sendable` so it can be handed to that thread.
public final class PostgresConnection: DatabaseConnection, @unchecked Sendable {
    public let url: JDBCURL
    public var dialect: any SQLDialect { PostgresDialect() }
    var conn: OpaquePointer?
    var prepared: [String: String] = [:]
    var nextStatementId = 0
    public private(set) var inTransaction = false
    /// Set while a streaming cursor owns the connection.
    var busy = false
    /// An open `COPY FROM STDIN` stream (see `openCopy`); nothing else may run until it is finished or aborted.
    weak var activeCopy: PostgresCopyStream?
    static let maxPrepared = 256

    private init(url: JDBCURL, conn: OpaquePointer) {
        self.url = url
        self.conn = conn
    }

    deinit { close() }

    /// Connects with UTC/ISO session settings so temporal text decodes the same way everywhere.
    public static func open(_ url: JDBCURL, connectTimeoutSeconds: Int = 10) throws -> PostgresConnection {
        var params: [(String, String)] = [
            ("host", url.host), ("port", String(url.port)), ("dbname", url.database),
            ("connect_timeout", url.properties["connectTimeout"] ?? url.properties["connect_timeout"] ?? String(connectTimeoutSeconds)),
            ("client_encoding", "UTF8"),
            ("application_name", url.properties["ApplicationName"] ?? url.properties["application_name"] ?? "sluice"),
        ]
        if let u = url.user { params.append(("user", u)) }
        if let p = url.password { params.append(("password", p)) }
        for key in ["sslmode", "sslrootcert", "sslcert", "sslkey", "target_session_attrs"] {
            if let v = url.properties[key] { params.append((key, v)) }
        }
        if url.properties["sslmode"] == nil, url.properties["ssl"] == "true" { params.append(("sslmode", "require")) }
        var options = "-c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres -c extra_float_digits=3 -c bytea_output=hex"
        if let o = url.properties["options"] { options += " " + o }
        params.append(("options", options))

        let keys = params.map { strdup($0.0) }
        let values = params.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keyPtrs: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
        var valuePtrs: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        let conn = keyPtrs.withUnsafeMutableBufferPointer { k in
            valuePtrs.withUnsafeMutableBufferPointer { v in PQconnectdbParams(k.baseAddress, v.baseAddress, 0) }
        }
        guard let conn else { throw SQLError(.connectionFailed, "cannot connect to \(url): out of memory", retriable: true) }
        if PQstatus(conn) != CONNECTION_OK {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            // Authentication and unknown-database failures will not heal by retrying.
            let permanent = message.contains("authentication failed") || message.contains("does not exist")
                || message.contains("no password supplied")
            throw SQLError(
                .connectionFailed, "cannot connect to PostgreSQL at \(url.endpoint) (database '\(url.database)'): \(message)",
                sqlState: permanent ? nil : "08001", retriable: !permanent)
        }
        return PostgresConnection(url: url, conn: conn)
    }

    func handle() throws -> OpaquePointer {
        guard let conn else { throw SQLError(.misuse, "\(url): connection is closed") }
        guard !busy else { throw SQLError(.misuse, "\(url): a query cursor is still open on this connection") }
        guard activeCopy == nil else { throw SQLError(.misuse, "\(url): a COPY stream is still open on this connection") }
        return conn
    }

    /// Turns a result into an error if it is one; always clears a failed result.
    func check(_ res: OpaquePointer?, _ sql: String) throws -> OpaquePointer {
        guard let res else { throw lostError(sql) }
        switch PQresultStatus(res) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE, PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_EMPTY_QUERY:
            return res
        default:
            let e = error(from: res, sql)
            PQclear(res)
            throw e
        }
    }

    func error(from res: OpaquePointer, _ sql: String) -> SQLError {
        let state = PQresultErrorField(res, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
        var message = String(cString: PQresultErrorMessage(res)).trimmingCharacters(in: .whitespacesAndNewlines)
        let lost = conn.map { PQstatus($0) != CONNECTION_OK } ?? true
        if message.isEmpty, let conn { message = String(cString: PQerrorMessage(conn)) }
        let retriable = lost || state.map(SQLError.isRetriable(sqlState:)) ?? false
        return SQLError(
            lost ? .connectionLost : .statementFailed,
            "PostgreSQL \(url.endpoint): \(message) [statement: \(sql.prefix(300))]", sqlState: state, retriable: retriable)
    }

    func lostError(_ sql: String) -> SQLError {
        let message = conn.map { String(cString: PQerrorMessage($0)) } ?? "connection closed"
        return SQLError(
            .connectionLost, "PostgreSQL \(url.endpoint): \(message.trimmingCharacters(in: .whitespacesAndNewlines)) "
                + "[statement: \(sql.prefix(300))]", sqlState: "08006", retriable: true)
    }

    /// Calls `body` with libpq's parameter arrays for `params`.
    func withParams<T>(
        _ params: [SQLValue],
        _ body: ([UInt32], UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) throws -> T
    ) rethrows -> T {
        var oids: [UInt32] = []
        var blob: [UInt8] = []
        var offsets: [Int?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for p in params {
            let e = PostgresTypes.encodeParam(p)
            oids.append(e.oid)
            formats.append(e.binary ? 1 : 0)
            if let b = e.bytes {
                offsets.append(blob.count)
                lengths.append(Int32(b.count))
                blob.append(contentsOf: b)
                blob.append(0)
            } else {
                offsets.append(nil)
                lengths.append(0)
            }
        }
        return try blob.withUnsafeBufferPointer { buf in
            let base = buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            let ptrs: [UnsafePointer<CChar>?] = offsets.map { o in o.flatMap { off in base.map { $0 + off } } }
            return try ptrs.withUnsafeBufferPointer { p in
                try lengths.withUnsafeBufferPointer { l in
                    try formats.withUnsafeBufferPointer { f in try body(oids, p.baseAddress, l.baseAddress, f.baseAddress) }
                }
            }
        }
    }

    @discardableResult
    public func execute(_ sql: String, _ params: [SQLValue]) throws -> Int {
        let conn = try handle()
        let res: OpaquePointer
        if params.isEmpty {
            res = try check(PQexec(conn, sql), sql)
        } else {
            res = try withParams(params) { oids, values, lengths, formats in
                let name = try preparedName(sql, oids)
                let r = PQexecPrepared(conn, name, Int32(params.count), values, lengths, formats, 0)
                do {
                    return try check(r, sql)
                } catch let e as SQLError {
                    if e.sqlState == "0A000" || e.sqlState == "26000" { forget(sql, oids) }
                    throw e
                }
            }
        }
        defer { PQclear(res) }
        return Int(String(cString: PQcmdTuples(res))) ?? 0
    }

    func cacheKey(_ sql: String, _ oids: [UInt32]) -> String { sql + "\u{0}" + oids.map(String.init).joined(separator: ",") }

    /// The server-side name of `sql` prepared for these parameter types, preparing it on first use.
    func preparedName(_ sql: String, _ oids: [UInt32]) throws -> String {
        let key = cacheKey(sql, oids)
        if let name = prepared[key] { return name }
        let conn = try handle()
        let name = prepared.count < Self.maxPrepared ? "sluice_\(nextStatementId)" : ""
        nextStatementId += 1
        let res = oids.withUnsafeBufferPointer { PQprepare(conn, name, sql, Int32(oids.count), $0.baseAddress) }
        PQclear(try check(res, sql))
        if !name.isEmpty { prepared[key] = name }
        return name
    }

    func forget(_ sql: String, _ oids: [UInt32]) {
        guard let name = prepared.removeValue(forKey: cacheKey(sql, oids)), let conn else { return }
        if PQtransactionStatus(conn) == PQTRANS_IDLE { PQclear(PQexec(conn, "DEALLOCATE \(name)")) }
    }

    public func query(_ sql: String, _ params: [SQLValue], fetchSize: Int) throws -> any SQLRowCursor {
        let conn = try handle()
        let sent = withParams(params) { oids, values, lengths, formats in
            oids.withUnsafeBufferPointer { o in
                PQsendQueryParams(conn, sql, Int32(params.count), o.baseAddress, values, lengths, formats, 0)
            }
        }
        guard sent == 1 else { throw lostError(sql) }
        PQsetSingleRowMode(conn)
        busy = true
        return try PostgresCursor(connection: self, conn: conn, sql: sql)
    }

    public func begin() throws {
        try execute("BEGIN")
        inTransaction = true
    }

    /// Commits; a transaction that had already failed answers COMMIT with ROLLBACK, which is reported as an error
    /// here so a caller never believes failed writes were committed.
    public func commit() throws {
        let conn = try handle()
        inTransaction = false
        let res = try check(PQexec(conn, "COMMIT"), "COMMIT")
        defer { PQclear(res) }
        if String(cString: PQcmdStatus(res)) == "ROLLBACK" {
            throw SQLError(
                .statementFailed, "PostgreSQL \(url.endpoint): COMMIT rolled back because the transaction had failed earlier",
                sqlState: "25P02")
        }
    }

    public func rollback() throws {
        activeCopy?.abort("rollback")
        inTransaction = false
        try execute("ROLLBACK")
    }

    public func isAlive() -> Bool {
        guard let conn, !busy, PQstatus(conn) == CONNECTION_OK else { return false }
        return (try? execute("SELECT 1")) != nil
    }

    public func close() {
        activeCopy?.abort("connection closed")
        if let conn { PQfinish(conn) }
        conn = nil
        prepared.removeAll()
    }
}
