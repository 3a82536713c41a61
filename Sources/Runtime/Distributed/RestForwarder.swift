import NIOCore
import NIOPosix

/// Forwards a REST request to another worker of the cluster (e.g. a task restart to the worker running the task).
///
/// A few lines of HTTP/1.1 over SwiftNIO rather than `URLSession`: FoundationNetworking would pull libcurl, GnuTLS and
/// their dependencies into every worker process (idle memory) and make a statically linked binary need libcurl.
enum RestForwarder {
    /// POSTs an empty body to `http://host:port/path`; throws a `RestError` carrying the peer's status and body when
    /// it answers ≥ 300, or 500 when it cannot be reached within `timeoutSeconds`.
    static func post(_ url: String, timeoutSeconds: Int64 = 30) async throws {
        guard url.hasPrefix("http://") else { throw RestError(500, "Bad worker URL \(url)") }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash]), path = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else {
            throw RestError(500, "Bad worker URL \(url)")
        }
        let host = String(authority[..<colon])
        // Kafka forwards the caller's credentials (basic auth) with the request; so does Sluice.
        let auth = ForwardedCredentials.authorization.map { "Authorization: \($0)\r\n" } ?? ""
        let request = "POST \(path) HTTP/1.1\r\nHost: \(authority)\r\n\(auth)Content-Length: 0\r\nConnection: close\r\n\r\n"
        let response = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await exchange(host: host, port: port, request: request, timeoutSeconds: timeoutSeconds) }
            group.addTask { try await Task.sleep(for: .seconds(timeoutSeconds)); return nil }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else {
                throw RestError(500, "Worker \(authority) did not answer within \(timeoutSeconds) s")
            }
            return bytes
        }
        let text = String(buffer: response)
        let statusLine = text.prefix { $0 != "\r" && $0 != "\n" }.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw RestError(500, "Worker \(authority) sent a malformed HTTP response")
        }
        if status >= 300 {
            let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
            throw RestError(status, body)
        }
    }

    /// Sends `request` and reads until the peer closes the connection (`Connection: close`).
    private static func exchange(host: String, port: Int, request: String, timeoutSeconds: Int64) async throws -> ByteBuffer {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(min(timeoutSeconds, 10)))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var response = ByteBuffer()
            for try await var chunk in inbound { response.writeBuffer(&chunk) }
            return response
        }
    }
}
