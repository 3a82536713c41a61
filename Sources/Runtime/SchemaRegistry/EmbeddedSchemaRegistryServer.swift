import Foundation
import Hummingbird
import Logging
import SchemaRegistry
import SluiceAPI

/// The worker's embedded Schema Registry (`schema.registry.listeners=http://:8081`): the registry service, kept in a
/// local durable file next to the worker's other state (`schema.registry.file`, default
/// `<offset file>.schemas.jsonl`, else `./sluice-schemas.jsonl`), served over REST and published for
/// `schema.registry.url=embedded` converters.
public final class EmbeddedSchemaRegistryServer: Sendable {
    public let service: SchemaRegistryService
    public let host: String
    public let port: Int

    /// nil when the worker config does not ask for a registry.
    public static func make(config: WorkerConfig, logger: Logger) throws -> EmbeddedSchemaRegistryServer? {
        let props = config.props
        guard let listener = props["schema.registry.listeners"]?.split(separator: ",").first.map({ String($0).trimmingCharacters(in: .whitespaces) }),
              !listener.isEmpty else { return nil }
        guard listener.hasPrefix("http://") else {
            throw ConnectError.invalidConfig("schema.registry.listeners", listener, "Only http:// listeners are supported")
        }
        let authority = listener.dropFirst("http://".count).prefix { $0 != "/" }
        var host = "0.0.0.0", port = 8081
        if let colon = authority.lastIndex(of: ":") {
            let h = String(authority[..<colon])
            if !h.isEmpty { host = h }
            guard let p = Int(authority[authority.index(after: colon)...]), p >= 0, p < 65536 else {
                throw ConnectError.invalidConfig("schema.registry.listeners", listener, "Bad port")
            }
            port = p == 0 ? FreePort.find() : p
        } else if !authority.isEmpty {
            host = String(authority)
        }
        let file = props["schema.registry.file"].flatMap { $0.isEmpty ? nil : $0 }
            ?? config.offsetFile.map { $0 + ".schemas.jsonl" } ?? "sluice-schemas.jsonl"
        let levelText = props["schema.compatibility.level"] ?? "BACKWARD"
        guard let level = CompatibilityLevel(text: levelText) else {
            throw ConnectError.invalidConfig("schema.compatibility.level", levelText, "Expected NONE, BACKWARD, FORWARD, FULL or a *_TRANSITIVE level")
        }
        let service = try SchemaRegistryService(log: FileRegistryLog(path: file), defaultLevel: level)
        EmbeddedSchemaRegistry.publish(service)
        logger.info("Schema registry state in \(file)")
        return EmbeddedSchemaRegistryServer(service: service, host: host, port: port)
    }

    init(service: SchemaRegistryService, host: String, port: Int) {
        self.service = service
        self.host = host
        self.port = port
    }

    public var url: String { "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)" }

    /// Serves the REST API until cancelled; the registry is published for `embedded` converters meanwhile.
    public func run(logger: Logger) async throws {
        let router = Router(context: BasicRequestContext.self)
        SchemaRegistryRoutes<BasicRequestContext>(registry: service).register(on: router)
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [host, port] _ in logger.info("Schema registry listening on http://\(host):\(port)") },
            logger: Logger(label: "sluice.schema-registry"))
        EmbeddedSchemaRegistry.publish(service)
        defer { EmbeddedSchemaRegistry.publish(nil) }
        try await app.runService()
    }
}

extension EmbeddedSchemaRegistryServer {
    /// Runs the worker's REST service and, when configured, the registry beside it; returns when the REST service
    /// does (graceful shutdown), stopping the registry.
    static func runAlongside(_ registry: EmbeddedSchemaRegistryServer?, logger: Logger, _ main: @escaping @Sendable () async throws -> Void) async throws {
        guard let registry else { return try await main() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await registry.run(logger: logger) }
            group.addTask { try await main() }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}
