import CLibPQ

/// Streams rows into `COPY ... FROM STDIN` in ~256 KiB chunks: in text format, escaping every value type, or in
/// binary format when the caller knows every column's type (`binaryTypes`, see `PostgresBinaryType`).
///
/// Text format rather than CSV because its escaping is local (backslash sequences), so no value needs look-ahead
/// or quoting decisions.
public final class PostgresCopyWriter {
    let connection: PostgresConnection
    let conn: OpaquePointer
    let width: Int
    /// The columns' types when the COPY is in binary format; nil for text.
    let binaryTypes: [PostgresBinaryType]?
    var buffer: [UInt8] = []
    public private(set) var rowCount = 0
    static let chunk = 256 * 1024

    init(connection: PostgresConnection, conn: OpaquePointer, width: Int, binaryTypes: [PostgresBinaryType]? = nil) {
        self.connection = connection
        self.conn = conn
        self.width = width
        self.binaryTypes = binaryTypes
        buffer.reserveCapacity(Self.chunk + 4096)
        if binaryTypes != nil { buffer.append(contentsOf: PostgresBinaryEncoder.header) }
    }

    /// Sends what is buffered, with the binary trailer first in binary format: the data is complete.
    func finishData() throws {
        if binaryTypes != nil { buffer.append(contentsOf: PostgresBinaryEncoder.trailer) }
        try flush()
    }

    /// Appends one row (in binary format when the COPY is binary); its length must match the COPY column list.
    public func append(_ row: [SQLValue]) throws {
        guard row.count == width else {
            throw SQLError(.misuse, "COPY row has \(row.count) values but \(width) columns were named")
        }
        if let types = binaryTypes {
            try appendBinary(row, types)
            rowCount += 1
            return
        }
        for (i, v) in row.enumerated() {
            if i > 0 { buffer.append(9) }
            PostgresCopyWriter.encode(v, into: &buffer)
        }
        buffer.append(10)
        rowCount += 1
        if buffer.count >= Self.chunk { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let ok = buffer.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { PQputCopyData(conn, $0, Int32(b.count)) }
        }
        guard ok == 1 else { throw connection.lostError("COPY") }
        buffer.removeAll(keepingCapacity: true)
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// COPY text representation of one value (`\N` for null).
    public static func encode(_ v: SQLValue, into out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: [92, 78])  // \N
        case .bool(let b): out.append(b ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .float(let f): out.append(contentsOf: PostgresTypes.floatText(f).utf8)
        case .double(let d): out.append(contentsOf: PostgresTypes.floatText(d).utf8)
        case .decimal(let d): out.append(contentsOf: d.description.utf8)
        case .text(let s), .json(let s): escape(s, into: &out)
        case .bytes(let b):
            out.append(contentsOf: [92, 92, UInt8(ascii: "x")])  // \\x: bytea hex input, backslash escaped for COPY
            out.reserveCapacity(out.count + b.count * 2)
            for byte in b {
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
        case .date(let d): out.append(contentsOf: PostgresTypes.dateText(d).utf8)
        case .time(let t): out.append(contentsOf: SQLTemporal.formatTime(t).utf8)
        case .timestamp(let t): out.append(contentsOf: PostgresTypes.timestampText(t).utf8)
        }
    }

    static func escape(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            for c in u {
                switch c {
                case 92: out.append(92); out.append(92)
                case 9: out.append(92); out.append(UInt8(ascii: "t"))
                case 10: out.append(92); out.append(UInt8(ascii: "n"))
                case 13: out.append(92); out.append(UInt8(ascii: "r"))
                default: out.append(c)
                }
            }
        }
    }
}

extension PostgresConnection {
    /// `COPY table (columns) FROM STDIN`: `produce` appends rows to the writer; the copy ends when it returns (and is
    /// aborted, leaving the table untouched, when it throws). Returns the row count the server reports.
    @discardableResult
    public func copyIn(into table: SQLTableName, columns: [String], binaryTypes: [PostgresBinaryType]? = nil,
        _ produce: (PostgresCopyWriter) throws -> Void) throws -> Int
    {
        let (conn, sql) = try startCopy(into: table, columns: columns, binary: binaryTypes != nil)
        let writer = PostgresCopyWriter(connection: self, conn: conn, width: columns.count, binaryTypes: binaryTypes)
        do {
            try produce(writer)
            try writer.finishData()
        } catch {
            _ = PQputCopyEnd(conn, "aborted by client: \(error)")
            while let r = PQgetResult(conn) { PQclear(r) }
            throw error
        }
        guard PQputCopyEnd(conn, nil) == 1 else { throw lostError(sql) }
        var count = 0
        var failure: SQLError?
        while let r = PQgetResult(conn) {
            if PQresultStatus(r) == PGRES_COMMAND_OK {
                count = Int(String(cString: PQcmdTuples(r))) ?? writer.rowCount
            } else if failure == nil {
                failure = error(from: r, sql)
            }
            PQclear(r)
        }
        if let failure { throw failure }
        return count
    }

    /// Sends `COPY table (columns) FROM STDIN` (quoted identifiers) and checks the server switched to COPY IN mode;
    /// returns the connection and the statement (for error messages).
    func startCopy(into table: SQLTableName, columns: [String], binary: Bool = false) throws -> (OpaquePointer, String) {
        let conn = try handle()
        let d = PostgresDialect()
        let sql = "COPY \(d.quote(table)) (\(columns.map { d.quote(identifier: $0) }.joined(separator: ","))) FROM STDIN"
            + (binary ? " WITH (FORMAT binary)" : "")
        let start = try check(PQexec(conn, sql), sql)
        let status = PQresultStatus(start)
        PQclear(start)
        guard status == PGRES_COPY_IN else { throw SQLError(.statementFailed, "\(url.endpoint): \(sql) did not start a COPY") }
        return (conn, sql)
    }

    @discardableResult
    public func bulkInsert(into table: SQLTableName, columns: [String], rows: [[SQLValue]]) throws -> Int {
        if rows.isEmpty { return 0 }
        return try copyIn(into: table, columns: columns) { w in
            for r in rows { try w.append(r) }
        }
    }
}
