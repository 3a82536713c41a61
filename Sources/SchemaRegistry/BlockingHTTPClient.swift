import BlockingHTTP

/// One blocking HTTP request on a fresh connection (`Connection: close`), for Schema Registry calls and the tests
/// that talk to a registry: a URL in, status and body out.
///
/// Converters are synchronous (`Converter.fromConnectData` is not async) and registry calls are rare (results are
/// cached), so a new connection per call over the shared `HTTPConnection` is the simplest correct tool. `https://`
/// URLs use `tls`, or the system's CA certificates when it is nil.
public enum BlockingHTTPClient {
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
    }

    /// An I/O failure: connection refused, timeout, TLS handshake refused, malformed response. Always worth retrying.
    public struct IOError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The context for https URLs configured without any `schema.registry.ssl.*` store: the system's CAs, host
    /// names checked. Built once; a failure only if OpenSSL cannot load the system store (then each https call says so).
    static let systemTrust: Result<TLSContext, TLSContext.ConfigError> = {
        do throws(TLSContext.ConfigError) { return .success(try TLSContext(TLSSettings(keyPrefix: AvroConverterConfig.sslPrefix))) } catch { return .failure(error) }
    }()

    public static func send(
        method: String, url: String, headers: [(String, String)], body: [UInt8]?, timeoutMs: Int,
        connectTimeoutMs: Int? = nil, tls: TLSContext? = nil
    ) throws(IOError) -> Response {
        guard let endpoint = HTTPEndpoint(url) else { throw IOError(message: "Not an http:// or https:// URL: \(url)") }
        var context: TLSContext?
        if endpoint.https {
            switch tls.map({ .success($0) }) ?? systemTrust {
            case .success(let c): context = c
            case .failure(let e): throw IOError(message: "No TLS for \(endpoint.display): \(e.message)")
            }
        }
        let request = HTTPRequest(method: method, path: endpoint.basePath.isEmpty ? "/" : endpoint.basePath,
                                  headers: headers + [("Connection", "close")], body: body ?? [])
        do {
            let connection = try HTTPConnection.open(host: endpoint.host, port: endpoint.port,
                connectTimeoutMs: connectTimeoutMs ?? timeoutMs, readTimeoutMs: timeoutMs, tls: context)
            let r = try connection.send(request)
            return Response(status: r.status, body: r.body)
        } catch {
            throw IOError(message: error.message)  // names host:port already
        }
    }
}
