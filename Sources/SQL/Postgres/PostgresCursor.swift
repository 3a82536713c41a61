import CLibPQ

/// Rows of a query in libpq's single-row mode: the server streams the result and libpq holds one row at a time,
/// so memory stays flat for any table size.
final class PostgresCursor: SQLRowCursor {
    let connection: PostgresConnection
    let conn: OpaquePointer
    let sql: String
    private(set) var columns: [SQLColumn] = []
    var oids: [UInt32] = []
    /// The first row's result, read to learn the columns before `next` is called.
    var pending: OpaquePointer?
    var done = false

    init(connection: PostgresConnection, conn: OpaquePointer, sql: String) throws {
        self.connection = connection
        self.conn = conn
        self.sql = sql
        do {
            guard let first = try nextResult() else { return }
            describe(first)
            if PQresultStatus(first) == PGRES_SINGLE_TUPLE {
                pending = first
            } else {  // an empty result: libpq still wants the terminating NULL read before the next command
                PQclear(first)
                while let r = PQgetResult(conn) { PQclear(r) }
                finish()
            }
        } catch {
            drain()
            throw error
        }
    }

    deinit { close() }

    func describe(_ res: OpaquePointer) {
        let n = Int(PQnfields(res))
        oids = (0..<n).map { PQftype(res, Int32($0)) }
        columns = (0..<n).map { i in
            let oid = oids[i]
            let (p, s) = PostgresTypes.precisionScale(oid: oid, typmod: PQfmod(res, Int32(i)))
            return SQLColumn(
                name: String(cString: PQfname(res, Int32(i))), typeName: PostgresTypes.typeName(oid), typeCode: Int(oid),
                precision: p, scale: s, isNullable: nil)
        }
    }

    /// The next result of the query, nil at its end; errors carry the SQLSTATE.
    func nextResult() throws -> OpaquePointer? {
        guard let res = PQgetResult(conn) else {
            finish()
            return nil
        }
        return try connection.check(res, sql)
    }

    func decodeRow(_ res: OpaquePointer) throws -> [SQLValue] {
        var row: [SQLValue] = []
        row.reserveCapacity(oids.count)
        for c in 0..<oids.count {
            if PQgetisnull(res, 0, Int32(c)) == 1 {
                row.append(.null)
                continue
            }
            let len = Int(PQgetlength(res, 0, Int32(c)))
            let ptr = UnsafeRawPointer(PQgetvalue(res, 0, Int32(c))!).assumingMemoryBound(to: UInt8.self)
            row.append(try PostgresTypes.decode(oid: oids[c], bytes: UnsafeBufferPointer(start: ptr, count: len)))
        }
        return row
    }

    func next(maxRows: Int) throws -> [[SQLValue]] {
        var rows: [[SQLValue]] = []
        if done { return rows }
        do {
            while rows.count < max(1, maxRows) {
                let res: OpaquePointer
                if let p = pending {
                    res = p
                    pending = nil
                } else {
                    guard let r = try nextResult() else { break }
                    res = r
                }
                defer { PQclear(res) }
                if PQresultStatus(res) != PGRES_SINGLE_TUPLE {  // the final zero-row TUPLES_OK
                    if columns.isEmpty { describe(res) }
                    continue
                }
                rows.append(try decodeRow(res))
            }
        } catch {
            drain()
            throw error
        }
        return rows
    }

    func finish() {
        done = true
        connection.busy = false
    }

    /// Reads and discards what is left, cancelling the query first so a huge result is not transferred.
    func drain() {
        if let p = pending { PQclear(p); pending = nil }
        guard !done else { return }
        guard connection.conn != nil else {  // the connection was closed under the cursor: nothing left to read
            finish()
            return
        }
        // Cancelling inside a transaction would abort it, so there the rest is read and dropped instead.
        if !connection.inTransaction, let cancel = PQgetCancel(conn) {
            var buf = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &buf, Int32(buf.count))
            PQfreeCancel(cancel)
        }
        while let r = PQgetResult(conn) { PQclear(r) }
        finish()
    }

    func close() { drain() }
}
