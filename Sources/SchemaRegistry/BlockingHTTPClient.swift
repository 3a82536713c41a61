#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking HTTP/1.1 client (one request per connection, `Connection: close`) for Schema Registry calls.
///
/// Converters are synchronous (`Converter.fromConnectData` is not async) and registry calls are rare (results are
/// cached), so a plain socket with send/receive timeouts is the simplest correct tool; it also keeps libcurl
/// (FoundationNetworking) out of the binary, as `RestForwarder` does for the same reason. Plain `http://` only.
public enum BlockingHTTPClient {
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
    }

    /// An I/O failure: connection refused, timeout, malformed response. Always worth retrying.
    public struct IOError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func send(
        method: String, url: String, headers: [(String, String)], body: [UInt8]?, timeoutMs: Int
    ) throws(IOError) -> Response {
        guard url.hasPrefix("http://") else { throw IOError(message: "Only http:// schema registry URLs are supported: \(url)") }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = String(rest[..<slash])
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        var host = authority, port = "80"
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
        }
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }

        let fd = try connect(host: host, port: port, timeoutMs: timeoutMs)
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(authority)\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += "Content-Length: \(body?.count ?? 0)\r\n\r\n"
        var out = Array(head.utf8)
        if let body { out += body }
        try sendAll(fd, out)
        return try parse(try readAll(fd), url: url)
    }

    static func connect(host: String, port: String, timeoutMs: Int) throws(IOError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, port, &hints, &res) == 0, let first = res else {
            throw IOError(message: "Cannot resolve \(host):\(port)")
        }
        defer { freeaddrinfo(first) }
        var cur: UnsafeMutablePointer<addrinfo>? = first
        var lastErrno: Int32 = 0
        while let ai = cur {
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: timeoutMs / 1000, tv_usec: .init((timeoutMs % 1000) * 1000))
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
                lastErrno = errno
                close(fd)
            }
            cur = ai.pointee.ai_next
        }
        throw IOError(message: "Cannot connect to \(host):\(port): \(String(cString: strerror(lastErrno)))")
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws(IOError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBufferPointer { p in
                Glibc.send(fd, p.baseAddress! + sent, p.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(message: "Send failed: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }

    static func readAll(_ fd: Int32) throws(IOError) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buf.withUnsafeMutableBufferPointer { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EINTR { continue }
                throw IOError(message: "Receive failed: \(String(cString: strerror(errno)))")
            }
            out.append(contentsOf: buf[0..<n])
            if out.count > 64 << 20 { throw IOError(message: "Response too large") }
            if isComplete(out) { return out }
        }
    }

    /// Whether `raw` holds a whole response (servers may keep the connection open despite `Connection: close`).
    static func isComplete(_ raw: [UInt8]) -> Bool {
        guard let headEnd = find(raw, [13, 10, 13, 10]) else { return false }
        let head = String(decoding: raw[0..<headEnd], as: UTF8.self).lowercased()
        let bodyCount = raw.count - headEnd - 4
        for line in head.split(separator: "\r\n") {
            if line.hasPrefix("content-length:"), let n = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: " \t")) {
                return bodyCount >= n
            }
            if line.hasPrefix("transfer-encoding:") && line.contains("chunked") {
                return raw.count >= 5 && Array(raw.suffix(5)) == [0x30, 13, 10, 13, 10]
            }
        }
        if let status = head.split(separator: " ").dropFirst().first, status == "204" || status == "304" { return true }
        return false
    }

    /// Status line, headers, then a Content-Length, chunked or close-delimited body.
    static func parse(_ raw: [UInt8], url: String) throws(IOError) -> Response {
        guard let headEnd = find(raw, [13, 10, 13, 10]) else { throw IOError(message: "Malformed HTTP response from \(url)") }
        let head = String(decoding: raw[0..<headEnd], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let status = lines.first.map { $0.split(separator: " ") }.flatMap { $0.count >= 2 ? Int($0[1]) : nil }
        guard let status else { throw IOError(message: "Malformed HTTP status line from \(url)") }
        var chunked = false
        var length: Int?
        for l in lines.dropFirst() {
            guard let c = l.firstIndex(of: ":") else { continue }
            let k = l[..<c].lowercased(), v = l[l.index(after: c)...].trimmingCharacters(in: " \t")
            if k == "transfer-encoding", v.lowercased().contains("chunked") { chunked = true }
            if k == "content-length" { length = Int(v) }
        }
        var body = Array(raw[(headEnd + 4)...])
        if chunked {
            var out: [UInt8] = []
            var i = 0
            while let eol = find(body, [13, 10], from: i) {
                let sizeText = String(decoding: body[i..<eol], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: " "), radix: 16) else { break }
                if size == 0 { break }
                let start = eol + 2
                guard start + size <= body.count else { throw IOError(message: "Truncated chunked body from \(url)") }
                out += body[start..<(start + size)]
                i = start + size + 2
            }
            body = out
        } else if let length, length <= body.count {
            body = Array(body[0..<length])
        }
        return Response(status: status, body: body)
    }

    static func find(_ hay: [UInt8], _ needle: [UInt8], from: Int = 0) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= hay.count {
            if hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
