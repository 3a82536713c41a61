import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking HTTP/1.1 connection over a TCP socket, kept alive between requests.
///
/// Sluice's HTTP callers (the Elasticsearch sink's sender threads, the Schema Registry client inside synchronous
/// converters) are plain threads that wait on one answer at a time, so a blocking socket with `SO_RCVTIMEO` and a
/// polled non-blocking connect is the whole client: no event loop, no extra package, and no libcurl
/// (FoundationNetworking) in the binary. Used by one thread at a time. With a `TLSContext` the same socket carries a
/// `TLSSession` (https).
public final class HTTPConnection {
    public let host: String
    public let port: Int
    private var fd: Int32
    private var tls: TLSSession?
    private var buffer: [UInt8] = []
    private var start = 0
    private let readTimeoutMs: Int
    /// Set when the server said `Connection: close` or a read failed: a pool must drop the connection.
    public private(set) var isReusable = true

    private init(host: String, port: Int, fd: Int32, readTimeoutMs: Int) {
        self.host = host
        self.port = port
        self.fd = fd
        self.readTimeoutMs = readTimeoutMs
    }

    deinit {
        tls?.shutdown()
        tls = nil
        if fd >= 0 { Glibc.close(fd) }
    }

    /// Connects to `host:port`, giving up after `connectTimeoutMs`; reads time out after `readTimeoutMs`.
    public static func open(host: String, port: Int, connectTimeoutMs: Int, readTimeoutMs: Int, tls: TLSContext? = nil)
        throws(HTTPError) -> HTTPConnection
    {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &res)
        guard rc == 0, let first = res else {
            throw HTTPError(.connect, "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(res) }
        var lastError = "no address"
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            ai = a.pointee.ai_next
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype, a.pointee.ai_protocol)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            if let problem = connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen, timeoutMs: connectTimeoutMs) {
                Glibc.close(fd)
                lastError = problem
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var tv = timeval(tv_sec: readTimeoutMs / 1000, tv_usec: (readTimeoutMs % 1000) * 1000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            let connection = HTTPConnection(host: host, port: port, fd: fd, readTimeoutMs: readTimeoutMs)
            if let tls {
                connection.tls = try TLSSession(context: tls, fd: fd, host: host, port: port, readTimeoutMs: readTimeoutMs)
            }
            return connection
        }
        throw HTTPError(.connect, "cannot connect to \(host):\(port): \(lastError)")
    }

    /// A non-blocking connect polled for at most `timeoutMs`; returns the problem, or nil when connected.
    private static func connect(_ fd: Int32, _ addr: UnsafeMutablePointer<sockaddr>?, _ len: socklen_t, timeoutMs: Int)
        -> String?
    {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if Glibc.connect(fd, addr, len) == 0 { return nil }
        guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let n = poll(&p, 1, Int32(max(1, timeoutMs)))
        if n == 0 { return "connect timed out after \(timeoutMs) ms" }
        if n < 0 { return String(cString: strerror(errno)) }
        var err: Int32 = 0
        var l = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l)
        return err == 0 ? nil : String(cString: strerror(err))
    }

    /// Sends one request and reads its whole answer.
    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        var head = "\(request.method) \(request.path) HTTP/1.1\r\nHost: \(authority)\r\n"
        for (k, v) in request.headers { head += "\(k): \(v)\r\n" }
        head += "Content-Length: \(request.body.count)\r\n\r\n"
        isReusable = false  // until the answer was read completely
        try writeAll(Array(head.utf8))
        if !request.body.isEmpty { try writeAll(request.body) }
        let response = try readResponse(headOnly: request.method == "HEAD")
        return response
    }

    private func writeAll(_ bytes: [UInt8]) throws(HTTPError) {
        if let tls {
            let result = bytes.withUnsafeBytes { p in Result { () throws(HTTPError) in try tls.write(p) } }
            return try result.get()
        }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { p in Glibc.send(fd, p.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw HTTPError(.io, "write to \(host):\(port) failed: \(String(cString: strerror(errno)))")
            }
            off += n
        }
    }

    /// Reads more bytes into the buffer; throws on EOF or timeout.
    private func fill() throws(HTTPError) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        let chunk = 65536
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var n = 0
        if let tls {
            let result = buffer.withUnsafeMutableBytes { p in
                Result { () throws(HTTPError) in try tls.read(into: p.baseAddress! + old, count: chunk) }
            }
            switch result {
            case .success(let count): n = count
            case .failure(let error):
                buffer.removeSubrange(old...)
                throw error
            }
            if n == 0 {
                buffer.removeSubrange(old...)
                throw HTTPError(.io, "\(host):\(port) closed the connection")
            }
            buffer.removeSubrange((old + n)...)
            return
        } else {
            repeat {
                n = buffer.withUnsafeMutableBytes { p in recv(fd, p.baseAddress! + old, chunk, 0) }
            } while n < 0 && errno == EINTR
        }
        if n <= 0 {
            buffer.removeSubrange(old...)
            if n == 0 { throw HTTPError(.io, "\(host):\(port) closed the connection") }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                throw HTTPError(.timeout, "no answer from \(host):\(port) within \(readTimeoutMs) ms")
            }
            throw HTTPError(.io, "read from \(host):\(port) failed: \(String(cString: strerror(errno)))")
        }
        buffer.removeSubrange((old + n)...)
    }

    /// The index just past the next CRLF at or after `from`, reading more as needed.
    private func lineEnd(from: Int) throws(HTTPError) -> Int {
        var i = from
        while true {
            while i + 1 < buffer.count {
                if buffer[i] == 13 && buffer[i + 1] == 10 { return i + 2 }
                i += 1
            }
            try fill()
        }
    }

    private func readResponse(headOnly: Bool) throws(HTTPError) -> HTTPResponse {
        var end = try lineEnd(from: start)
        let statusLine = String(decoding: buffer[start..<(end - 2)], as: UTF8.self)
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw HTTPError(.protocolError, "not an HTTP answer from \(host):\(port): \(statusLine.prefix(80))")
        }
        var headers: [String: String] = [:]
        var pos = end
        while true {
            end = try lineEnd(from: pos)
            if end - pos == 2 { pos = end; break }
            let line = String(decoding: buffer[pos..<(end - 2)], as: UTF8.self)
            if let colon = line.firstIndex(of: ":") {
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            pos = end
        }
        start = pos
        var body: [UInt8] = []
        if headOnly || status == 204 || status == 304 {
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            while true {
                let e = try lineEnd(from: start)
                let sizeText = String(decoding: buffer[start..<(e - 2)], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw HTTPError(.protocolError, "bad chunk size from \(host):\(port)")
                }
                start = e
                while buffer.count - start < size + 2 { try fill() }
                body.append(contentsOf: buffer[start..<(start + size)])
                start += size + 2
                if size == 0 { break }
            }
        } else if let lenText = headers["content-length"], let len = Int(lenText) {
            while buffer.count - start < len { try fill() }
            body = Array(buffer[start..<(start + len)])
            start += len
        } else {
            // No length: the body runs to the end of the connection.
            while true {
                do { try fill() } catch { break }
            }
            body = Array(buffer[start...])
            start = buffer.count
            return HTTPResponse(status: status, headers: headers, body: body)
        }
        isReusable = headers["connection"]?.lowercased() != "close"
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            start = 0
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}
