import NIOCore
import NIOPosix
import NIOSSL

/// Forwards a REST request to another worker of the cluster (e.g. a task restart to the worker running the task).
///
/// A few lines of HTTP/1.1 over SwiftNIO rather than `URLSession`: FoundationNetworking would pull libcurl, GnuTLS and
/// their dependencies into every worker process (idle memory) and make a statically linked binary need libcurl.
/// `https://` peers are reached through NIOSSL with the worker's client TLS settings (`RestClientTLS`).
enum RestForwarder {
    /// POSTs an empty body to `http[s]://host:port/path`; throws a `RestError` carrying the peer's status and body
    /// when it answers ≥ 300, or 500 when it cannot be reached within `timeoutSeconds`.
    ///
    /// - Parameter tls: the client context for `https://` URLs; an https URL without one is a configuration error.
    static func post(_ url: String, tls: NIOSSLContext? = nil, timeoutSeconds: Int64 = 30) async throws {
        let https = url.hasPrefix("https://")
        guard https || url.hasPrefix("http://") else { throw RestError(500, "Bad worker URL \(url)") }
        let rest = url.dropFirst(https ? "https://".count : "http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash]), path = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else {
            throw RestError(500, "Bad worker URL \(url)")
        }
        let bracketed = authority[..<colon]
        let host = bracketed.hasPrefix("[") && bracketed.hasSuffix("]") ? String(bracketed.dropFirst().dropLast()) : String(bracketed)
        if https && tls == nil { throw RestError(500, "Cannot forward to \(url): this worker has no TLS client settings") }
        // Kafka forwards the caller's credentials (basic auth) with the request; so does Sluice.
        let auth = ForwardedCredentials.authorization.map { "Authorization: \($0)\r\n" } ?? ""
        let request = "POST \(path) HTTP/1.1\r\nHost: \(authority)\r\n\(auth)Content-Length: 0\r\nConnection: close\r\n\r\n"
        let context = https ? tls : nil
        let response = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await exchange(host: host, port: port, tls: context, request: request, timeoutSeconds: timeoutSeconds) }
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
    private static func exchange(host: String, port: Int, tls: NIOSSLContext?, request: String, timeoutSeconds: Int64) async throws -> ByteBuffer {
        // SNI and host-name verification need a name; for an IP address NIOSSL checks the peer's address instead.
        let serverHostname = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(min(timeoutSeconds, 10)))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var response = ByteBuffer()
            do {
                for try await var chunk in inbound { response.writeBuffer(&chunk) }
            } catch NIOSSLError.uncleanShutdown where response.readableBytes > 0 {
                // The peer closed TCP without a TLS close_notify after answering: the answer is complete
                // (`Connection: close` delimits it), as browsers and curl accept too.
            }
            return response
        }
    }
}
