import CLibPQ

/// A `COPY ... FROM STDIN` left open across calls, so a caller can encode each row as it produces it while the
/// server parses the rows already sent. The JDBC sink streams a put's rows this way: converting the next record
/// then overlaps with the server's work instead of waiting for the whole batch to be converted first.
///
/// While a stream is open the connection accepts nothing else: `finish()` ends it (and reports the server's
/// verdict), `abort(_:)` cancels it (the table is left untouched). `rollback()` and `close()` on the connection
/// abort an open stream themselves.
public final class PostgresCopyStream {
    let connection: PostgresConnection
    let conn: OpaquePointer
    let sql: String
    let writer: PostgresCopyWriter
    /// Rows appended so far.
    public private(set) var rows = 0
    public private(set) var isOpen = true

    init(connection: PostgresConnection, conn: OpaquePointer, sql: String, width: Int, binaryTypes: [PostgresBinaryType]?) {
        self.connection = connection
        self.conn = conn
        self.sql = sql
        self.writer = PostgresCopyWriter(connection: connection, conn: conn, width: width, binaryTypes: binaryTypes)
    }

    /// Whether rows go in binary format.
    public var isBinary: Bool { writer.binaryTypes != nil }

    /// A stream dropped while open is aborted, so the connection is usable again.
    deinit { abort("stream released without finish") }

    /// Encodes one row (its length must match the column list) with the fast encoders; sends every ~32 KiB.
    public func append(_ row: [SQLValue]) throws {
        try writer.appendFast(row)
        rows += 1
    }

    /// Ends the COPY and waits for the server's result. Returns the row count it reports; throws its error (a
    /// constraint violation, a value the column rejects) after which the surrounding transaction is aborted.
    @discardableResult
    public func finish() throws -> Int {
        guard isOpen else { return rows }
        isOpen = false
        connection.activeCopy = nil
        do {
            try writer.finishData()
        } catch {
            _ = PQputCopyEnd(conn, "aborted by client: \(error)")
            while let r = PQgetResult(conn) { PQclear(r) }
            throw error
        }
        guard PQputCopyEnd(conn, nil) == 1 else { throw connection.lostError(sql) }
        var count = rows
        var failure: SQLError?
        while let r = PQgetResult(conn) {
            if PQresultStatus(r) == PGRES_COMMAND_OK {
                count = Int(String(cString: PQcmdTuples(r))) ?? rows
            } else if failure == nil {
                failure = connection.error(from: r, sql)
            }
            PQclear(r)
        }
        if let failure { throw failure }
        return count
    }

    /// Cancels the COPY: nothing of it reaches the table.
    public func abort(_ reason: String) {
        guard isOpen else { return }
        isOpen = false
        connection.activeCopy = nil
        _ = PQputCopyEnd(conn, "aborted by client: \(reason)")
        while let r = PQgetResult(conn) { PQclear(r) }
    }
}

extension PostgresConnection {
    /// Starts `COPY table (columns) FROM STDIN` and returns the open stream (see `PostgresCopyStream`), in binary
    /// format when `binaryTypes` gives every column's type.
    public func openCopy(into table: SQLTableName, columns: [String], binaryTypes: [PostgresBinaryType]? = nil) throws
        -> PostgresCopyStream
    {
        let (conn, sql) = try startCopy(into: table, columns: columns, binary: binaryTypes != nil)
        let stream = PostgresCopyStream(connection: self, conn: conn, sql: sql, width: columns.count,
            binaryTypes: binaryTypes)
        activeCopy = stream
        return stream
    }
}
