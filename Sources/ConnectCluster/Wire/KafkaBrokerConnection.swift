import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One TCP connection to one Kafka broker, sending size-prefixed requests and matching responses by correlation id.
///
/// Why SwiftNIO rather than blocking sockets: connect and per-request timeouts come for free (scheduled tasks on the
/// event loop, no `SO_RCVTIMEO`/`poll` juggling), a broken connection fails every waiter at once from one place
/// (`channelInactive`), and all connections of a worker share NIO's singleton event loop instead of a thread each.
/// The API stays synchronous because its user — the distributed herder's membership loop — runs on a dedicated
/// thread: `send` blocks that thread on the response future. Never call it on an event loop (NIO would trap) or
/// from the Swift concurrency cooperative pool (it blocks up to the timeout).
///
/// Kafka brokers handle one request per connection at a time, in order; requests from several threads are allowed
/// but simply queue behind each other.
public final class KafkaBrokerConnection: Sendable {
    /// `host:port`, for messages.
    public let peer: String
    private let channel: any Channel
    private let pending: KafkaPendingRequests
    private let clientId: String?
    private let nextCorrelationId = Atomic<Int32>(1)
    private let cachedApiVersions = Mutex<ApiVersionsRequest.Response?>(nil)

    private init(channel: any Channel, pending: KafkaPendingRequests, clientId: String?) {
        self.channel = channel
        self.pending = pending
        self.peer = pending.peer
        self.clientId = clientId
    }

    deinit { channel.close(promise: nil) }

    /// Opens a connection and, with SASL, authenticates it; blocks up to `timeoutMs` per step.
    ///
    /// - Parameter security: TLS wraps the stream (the handshake completes before the first request goes out);
    ///   SASL runs ApiVersions, SaslHandshake and SaslAuthenticate before this returns.
    /// - Parameter maxFrameSize: responses larger than this close the connection (group responses are small; the
    ///   bound stops a garbage size from allocating gigabytes).
    public static func connect(
        host: String, port: Int, clientId: String?, timeoutMs: Int = 10_000, maxFrameSize: Int = 64 << 20,
        security: KafkaWireSecurity = .plaintext
    ) throws(KafkaWireError) -> KafkaBrokerConnection {
        let pending = KafkaPendingRequests(peer: "\(host):\(port)")
        let tlsContext = try security.tls.map { tls throws(KafkaWireError) in try KafkaTLSContext.make(tls) }
        // SNI and host-name verification take a name; for an IP address NIOSSL checks the certificate against the
        // peer's address instead.
        let serverHostname = isIPAddress(host) ? nil : host
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeoutMs)))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maxFrameSize: maxFrameSize)))
                    try channel.pipeline.syncOperations.addHandler(KafkaResponseHandler(pending: pending))
                }
            }
        let connection: KafkaBrokerConnection
        do {
            let channel = try bootstrap.connect(host: host, port: port).wait()
            connection = KafkaBrokerConnection(channel: channel, pending: pending, clientId: clientId)
        } catch {
            throw KafkaWireError.connection("cannot connect to Kafka broker \(host):\(port): \(error)")
        }
        if let sasl = security.sasl {
            do {
                try KafkaSaslAuthenticator.authenticate(connection, sasl, timeoutMs: timeoutMs)
            } catch {
                connection.close()
                throw error
            }
        }
        return connection
    }

    private static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// The broker's ApiVersions answer (v2, or v0 when it refuses v2), asked once per connection.
    public func apiVersions(timeoutMs: Int) throws(KafkaWireError) -> ApiVersionsRequest.Response {
        if let cached = cachedApiVersions.withLock({ $0 }) { return cached }
        var response = try send(ApiVersionsRequest(), version: 2, timeoutMs: timeoutMs)
        if response.errorCode == .unsupportedVersion {
            response = try send(ApiVersionsRequest(), version: 0, timeoutMs: timeoutMs)
        }
        if response.errorCode == .none { cachedApiVersions.withLock { $0 = response } }
        return response
    }

    /// Whether the connection broke (closed by the peer, garbage received, write failed); a broken connection
    /// never recovers: open a new one.
    public var isBroken: Bool { pending.isBroken || !channel.isActive }

    /// Sends `request` at `version` and waits up to `timeoutMs` for its decoded response.
    ///
    /// A timeout leaves the connection unusable (a late answer would arrive out of order for the next request), so
    /// it is closed.
    public func send<R: KafkaRequest>(_ request: R, version: Int16, timeoutMs: Int) throws(KafkaWireError) -> R.Response {
        let id = nextCorrelationId.wrappingAdd(1, ordering: .relaxed).oldValue & Int32.max
        let frame = KafkaRequestHeader.frame(request, version: version, correlationId: id, clientId: clientId)
        let promise = channel.eventLoop.makePromise(of: [UInt8].self)
        do {
            try pending.register(id, promise)
        } catch {
            promise.fail(error)
            throw error
        }
        let pending = self.pending
        let channel = self.channel
        let api = "\(R.apiKey) v\(version)"
        let timeout = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeoutMs))) {
            if pending.complete(id, with: .failure(.connection("\(api) to \(pending.peer): no response within \(timeoutMs) ms"))) {
                pending.failAll(.connection("connection to \(pending.peer) closed after a request timed out"))
                channel.close(promise: nil)
            }
        }
        channel.writeAndFlush(ByteBuffer(bytes: frame)).whenFailure { error in
            pending.complete(id, with: .failure(.connection("\(api) to \(pending.peer): write failed: \(error)")))
        }
        let bytes: [UInt8]
        do {
            bytes = try promise.futureResult.wait()
        } catch let error as KafkaWireError {
            timeout.cancel()
            throw error
        } catch {
            timeout.cancel()
            throw KafkaWireError.connection("\(api) to \(peer): \(error)")
        }
        timeout.cancel()
        return try R.decodeResponse(bytes, version: version)
    }

    /// Closes the connection; requests in flight fail.
    public func close() {
        pending.failAll(.connection("connection to \(peer) closed by this client"))
        channel.close(promise: nil)
    }
}
