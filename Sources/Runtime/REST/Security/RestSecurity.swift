import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle
import SluiceAPI

/// The REST listeners and their protection, read from the worker config at start so a mistake stops the worker
/// instead of leaving the API open: basic authentication (`rest.extension.classes`), TLS (`listeners=https://...`)
/// and KIP-495's `admin.listeners` (the `/admin` endpoints on their own listener, or nowhere when it is empty).
public struct RestSecurity: Sendable {
    /// One `listeners` / `admin.listeners` entry.
    struct Listener: Sendable, Equatable {
        var https: Bool
        var host: String
        var port: Int

        /// `http://host:port`, `https://:8443` (all interfaces); no scheme means http.
        static func parse(_ text: String, key: String) throws -> Listener {
            var rest = Substring(text.trimmedWS)
            var https = false
            if let r = rest.range(of: "://") {
                let scheme = rest[..<r.lowerBound].lowercased()
                guard scheme == "http" || scheme == "https" else {
                    throw ConnectError.invalidConfig(key, text, "the listener scheme must be http or https")
                }
                https = scheme == "https"
                rest = rest[r.upperBound...]
            }
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (0...65535).contains(port) else {
                throw ConnectError.invalidConfig(key, text, "expected scheme://host:port")
            }
            let host = String(rest[..<colon]).trimmingCharacters(in: ["[", "]"])
            return Listener(https: https, host: host.isEmpty ? "0.0.0.0" : host, port: port)
        }
    }

    enum AdminPlacement: Sendable, Equatable {
        /// `/admin` on the main listener (admin.listeners unset).
        case main
        /// `admin.listeners=` (empty): no `/admin` endpoints at all.
        case disabled
        /// Its own listener.
        case own(Listener)
    }

    let authenticator: BasicAuthenticator?
    let main: Listener
    let mainTLS: TLSConfiguration?
    let admin: AdminPlacement
    let adminTLS: TLSConfiguration?

    init(config: WorkerConfig) throws {
        let props = config.props
        authenticator = try BasicAuthenticator.make(workerProps: props)
        main = try Listener.parse(config.parsed.list("listeners").first ?? "http://:8083", key: "listeners")
        mainTLS = main.https ? try RestTLS.configuration(props) : nil
        if let adminText = props["admin.listeners"] {
            let first = adminText.split(separator: ",").map { String($0).trimmedWS }.first { !$0.isEmpty }
            if let first {
                let l = try Listener.parse(first, key: "admin.listeners")
                admin = .own(l)
                adminTLS = l.https ? try RestTLS.configuration(props, admin: true) : nil
            } else {
                admin = .disabled
                adminTLS = nil
            }
        } else {
            admin = .main
            adminTLS = nil
        }
    }

    /// The HTTP server for the main listener (TLS when https).
    func server(tls: TLSConfiguration?) throws -> HTTPServerBuilder {
        guard let tls else { return .http1() }
        return try .tls(.http1(), tlsConfiguration: tls)
    }

    var scheme: String { main.https ? "https" : "http" }

    /// The admin listener as a service the main application runs beside itself, when `admin.listeners` names one.
    func adminApplication(router: Router<BasicRequestContext>, logger: Logger) throws -> (any Service)? {
        guard case .own(let l) = admin else { return nil }
        return Application(router: router, server: try server(tls: adminTLS),
                           configuration: .init(address: .hostname(l.host, port: l.port), serverName: nil),
                           onServerRunning: { _ in logger.info("Admin REST listener on \(l.https ? "https" : "http")://\(l.host):\(l.port)") },
                           logger: Logger(label: "sluice.rest.admin"))
    }
}

/// Which paths a listener serves under KIP-495: the admin listener only `/admin/...`, the main one everything else
/// (when `admin.listeners` is set). Others are 404, as on a Kafka listener without those resources.
struct AdminGate<Context: RequestContext>: RouterMiddleware {
    let adminOnly: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let isAdmin = request.uri.path == "/admin" || request.uri.path.hasPrefix("/admin/")
        guard isAdmin == adminOnly else { throw HTTPError(.notFound) }
        return try await next(request, context)
    }
}
