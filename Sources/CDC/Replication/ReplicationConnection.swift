import CLibPQ
import Foundation
import SluiceAPI

/// A libpq `replication=database` session: replication commands (IDENTIFY_SYSTEM, CREATE_REPLICATION_SLOT,
/// START_REPLICATION) and the CopyBoth stream.
///
/// Owns its `PGconn` (freed in `close`/`deinit`); used by one thread at a time. Reads never block longer than the
/// timeout they are given (socket `poll` + `PQconsumeInput`), so the task can notice `stop()` promptly.
final class ReplicationConnection {
    private var conn: OpaquePointer?
    let endpoint: String
    private(set) var streaming = false

    private init(conn: OpaquePointer, endpoint: String) {
        self.conn = conn
        self.endpoint = endpoint
    }

    deinit { close() }

    static func connect(_ parameters: [(String, String)], connectTimeoutSeconds: Int = 10) throws -> ReplicationConnection {
        let params = parameters + [("connect_timeout", String(connectTimeoutSeconds)), ("client_encoding", "UTF8")]
        let endpoint = "\(parameters.first { $0.0 == "host" }?.1 ?? "?"):\(parameters.first { $0.0 == "port" }?.1 ?? "?")"
        let keys = params.map { strdup($0.0) }
        let values = params.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        var k: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
        var v: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        let conn = k.withUnsafeMutableBufferPointer { kp in v.withUnsafeMutableBufferPointer { vp in PQconnectdbParams(kp.baseAddress, vp.baseAddress, 0) } }
        guard let conn else { throw ConnectError(.external, "replication connection to \(endpoint): out of memory", retriable: true) }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            var hint = ""
            if message.contains("replication") && (message.contains("permission") || message.contains("pg_hba")) {
                hint = " (the user needs the REPLICATION attribute, and pg_hba.conf must allow replication connections)"
            }
            throw ConnectError(.external, "cannot open a replication connection to PostgreSQL at \(endpoint): \(message)\(hint)",
                               retriable: !message.contains("authentication"))
        }
        return ReplicationConnection(conn: conn, endpoint: endpoint)
    }

    private func handle() throws -> OpaquePointer {
        guard let conn else { throw ConnectError(.connect, "replication connection to \(endpoint) is closed") }
        return conn
    }

    private func errorMessage() -> String {
        conn.map { String(cString: PQerrorMessage($0)).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "closed"
    }

    /// Runs a replication command and returns its rows as text (nil = NULL).
    func command(_ sql: String) throws -> [[String?]] {
        let c = try handle()
        guard let res = PQexec(c, sql) else {
            throw ConnectError(.external, "\(endpoint): \(errorMessage()) [\(sql)]", retriable: true)
        }
        defer { PQclear(res) }
        let status = PQresultStatus(res)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let msg = String(cString: PQresultErrorMessage(res)).trimmingCharacters(in: .whitespacesAndNewlines)
            let state = PQresultErrorField(res, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            // 55006 object_in_use: "replication slot ... is active for PID ..." — another reader holds the slot.
            throw ConnectError(.external, "\(endpoint): \(msg) [\(sql)]", retriable: state == "55006" || PQstatus(c) != CONNECTION_OK)
        }
        var rows: [[String?]] = []
        for r in 0..<PQntuples(res) {
            rows.append((0..<PQnfields(res)).map { f in
                PQgetisnull(res, r, f) == 1 ? nil : String(cString: PQgetvalue(res, r, f))
            })
        }
        return rows
    }

    /// Enters CopyBoth mode with `START_REPLICATION`.
    func startReplication(_ sql: String) throws {
        let c = try handle()
        guard PQsendQuery(c, sql) == 1 else { throw ConnectError(.external, "\(endpoint): \(errorMessage()) [\(sql)]", retriable: true) }
        guard let res = PQgetResult(c) else { throw ConnectError(.external, "\(endpoint): no answer to \(sql)", retriable: true) }
        defer { PQclear(res) }
        guard PQresultStatus(res) == PGRES_COPY_BOTH else {
            let msg = String(cString: PQresultErrorMessage(res)).trimmingCharacters(in: .whitespacesAndNewlines)
            let state = PQresultErrorField(res, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            throw ConnectError(.external, "\(endpoint): START_REPLICATION failed: \(msg)", retriable: state == "55006")
        }
        streaming = true
    }

    /// The next CopyData payload, or nil when none arrived within `timeoutMs`.
    func readFrame(timeoutMs: Int) throws -> [UInt8]? {
        let c = try handle()
        var deadline: UInt64?
        // Reads what already arrived on the socket before waiting: libpq's socket is non-blocking, so one
        // PQconsumeInput costs a single recv, where poll() + recv cost two syscalls and a drained buffer would
        // otherwise end the batch after ~16 KiB.
        var consumed = false
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let n = PQgetCopyData(c, &buffer, 1)
            if n > 0, let buffer {
                let bytes = [UInt8](UnsafeRawBufferPointer(start: buffer, count: Int(n)))
                PQfreemem(buffer)
                return bytes
            }
            if n == -1 {
                streaming = false
                var msg = "the server ended the replication stream"
                if let res = PQgetResult(c) {
                    let m = String(cString: PQresultErrorMessage(res)).trimmingCharacters(in: .whitespacesAndNewlines)
                    if !m.isEmpty { msg += ": " + m }
                    PQclear(res)
                }
                throw ConnectError(.external, "\(endpoint): \(msg)", retriable: true)
            }
            if n == -2 {
                streaming = false
                throw ConnectError(.external, "\(endpoint): replication stream failed: \(errorMessage())", retriable: true)
            }
            if !consumed {
                consumed = true
                if PQconsumeInput(c) == 0 {
                    streaming = false
                    throw ConnectError(.external, "\(endpoint): replication connection lost: \(errorMessage())", retriable: true)
                }
                continue
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if deadline == nil { deadline = now + UInt64(max(0, timeoutMs)) * 1_000_000 }
            guard let deadline, now < deadline else { return nil }
            var fds = pollfd(fd: PQsocket(c), events: Int16(POLLIN), revents: 0)
            let waitMs = Int32(min(100, (deadline - now) / 1_000_000 + 1))
            _ = poll(&fds, 1, waitMs)
            if PQconsumeInput(c) == 0 {
                streaming = false
                throw ConnectError(.external, "\(endpoint): replication connection lost: \(errorMessage())", retriable: true)
            }
        }
    }

    /// Sends one CopyData message (a standby status update) and flushes it.
    func send(_ bytes: [UInt8]) throws {
        let c = try handle()
        let ok = bytes.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { PQputCopyData(c, $0, Int32(b.count)) }
        }
        guard ok == 1, PQflush(c) == 0 else {
            throw ConnectError(.external, "\(endpoint): cannot send standby status: \(errorMessage())", retriable: true)
        }
    }

    func close() {
        if let conn {
            if streaming { _ = PQputCopyEnd(conn, nil); _ = PQflush(conn) }
            PQfinish(conn)
        }
        conn = nil
        streaming = false
    }

    /// A replication-protocol identifier in double quotes.
    static func quoteIdentifier(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    /// A replication-protocol string literal in single quotes.
    static func quoteLiteral(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
