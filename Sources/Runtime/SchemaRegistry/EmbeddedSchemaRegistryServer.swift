import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import Kafka
import Logging
import SchemaRegistry
import SluiceAPI

/// The worker's embedded Schema Registry (`schema.registry.listeners=http://:8081`, or `https://` with `schema.registry.ssl.*`): the registry service, served over
/// REST and published for `schema.registry.url=embedded` converters. Its state is kept
/// - with a Kafka (`bootstrap.servers` a real cluster): in the compacted topic `schema.registry.kafkastore.topic`
///   (default `_schemas`, Confluent's format), shared by every worker on that Kafka;
/// - otherwise (direct pipelines, the in-memory embedded Kafka): in a local durable file next to the worker's other
///   state (`schema.registry.file`, default `<offset file>.schemas.jsonl`, else `./sluice-schemas.jsonl`).
public final class EmbeddedSchemaRegistryServer: Sendable {
    public let service: SchemaRegistryService
    public let host: String
    public let port: Int
    /// Set for an `https://` listener.
    let tls: TLSConfiguration?

    /// nil when the worker config does not ask for a registry.
    public static func make(config: WorkerConfig, logger: Logger) throws -> EmbeddedSchemaRegistryServer? {
        let props = config.props
        guard let listener = props["schema.registry.listeners"]?.split(separator: ",").first.map({ String($0).trimmingCharacters(in: .whitespaces) }),
              !listener.isEmpty else { return nil }
        let parsed = try RestSecurity.Listener.parse(listener, key: "schema.registry.listeners")
        let port = parsed.port == 0 ? FreePort.find() : parsed.port
        let tls = parsed.https ? try RestTLS.configuration(tlsProps(props), names: "schema.registry.") : nil
        let levelText = props["schema.compatibility.level"] ?? "BACKWARD"
        guard let level = CompatibilityLevel(text: levelText) else {
            throw ConnectError.invalidConfig("schema.compatibility.level", levelText, "Expected NONE, BACKWARD, FORWARD, FULL or a *_TRANSITIVE level")
        }
        let service = try SchemaRegistryService(log: try store(config: config, logger: logger), defaultLevel: level)
        EmbeddedSchemaRegistry.publish(service)
        return EmbeddedSchemaRegistryServer(service: service, host: parsed.host, port: port, tls: tls)
    }

    /// The log the worker's config asks for (see the type's doc).
    static func store(config: WorkerConfig, logger: Logger) throws -> any RegistryLog {
        let props = config.props
        if config.usesDirectPipelines || config.usesEmbeddedKafka {
            let file = props["schema.registry.file"].flatMap { $0.isEmpty ? nil : $0 }
                ?? config.offsetFile.map { $0 + ".schemas.jsonl" } ?? "sluice-schemas.jsonl"
            logger.info("Schema registry state in \(file)")
            return FileRegistryLog(path: file)
        }
        let topic = props["schema.registry.kafkastore.topic"].flatMap { $0.isEmpty ? nil : $0 } ?? "_schemas"
        let rfText = props["schema.registry.kafkastore.topic.replication.factor"] ?? "-1"
        guard let rf = Int(rfText.trimmingCharacters(in: .whitespaces)) else {
            throw ConnectError.invalidConfig("schema.registry.kafkastore.topic.replication.factor", rfText, "Expected an integer (-1 = the broker default)")
        }
        let adminProps = KafkaConfigMapper.adminConfig(fromJava: config.internalClientProps(prefix: "admin.")).config
        let admin = try KafkaAdmin.make(config: adminProps, logger: Logger(label: "sluice.kafka.admin"))
        try SchemasTopic.ensure(admin: admin, name: topic, replicationFactor: rf)
        let clientProps = KafkaConfigMapper.consumerConfig(fromJava: config.internalClientProps(prefix: "consumer.")).config.filter { $0.key != "bootstrap.servers" }
        logger.info("Schema registry state in topic '\(topic)' of \(config.bootstrapServers)")
        return KafkaRegistryLog(topic: topic, bootstrapServers: config.bootstrapServers, clientConfig: clientProps)
    }

    init(service: SchemaRegistryService, host: String, port: Int, tls: TLSConfiguration? = nil) {
        self.service = service
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// The server TLS settings of an `https://` listener, as Confluent's registry names them, prefixed with
    /// `schema.registry.`: `schema.registry.ssl.keystore.location` (PKCS#12 or PEM), `.keystore.password`,
    /// `.key.password`, `.truststore.location` (PEM), and `schema.registry.ssl.client.authentication`
    /// (NONE, REQUESTED, REQUIRED) or Kafka's `schema.registry.ssl.client.auth`. A key not given falls back to the
    /// worker's own REST listener keys (`listeners.https.ssl.*`, then `ssl.*`), so one certificate can serve both.
    static func tlsProps(_ props: [String: String]) -> [String: String] {
        var out = props.filter { !$0.key.hasPrefix("admin.listeners.") }
        for (k, v) in props where k.hasPrefix("schema.registry.ssl.") {
            out["listeners.https." + k.dropFirst("schema.registry.".count)] = v
        }
        if let auth = props["schema.registry.ssl.client.authentication"] {
            out["listeners.https.ssl.client.auth"] = auth.lowercased()
        }
        return out
    }

    public var scheme: String { tls == nil ? "http" : "https" }

    public var url: String { "\(scheme)://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)" }

    /// Serves the REST API until cancelled; the registry is published for `embedded` converters meanwhile.
    public func run(logger: Logger) async throws {
        let router = Router(context: BasicRequestContext.self)
        SchemaRegistryRoutes<BasicRequestContext>(registry: service).register(on: router)
        let server: HTTPServerBuilder = try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1()
        let app = Application(
            router: router, server: server, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { [host, port, scheme] _ in logger.info("Schema registry listening on \(scheme)://\(host):\(port)") },
            logger: Logger(label: "sluice.schema-registry"))
        EmbeddedSchemaRegistry.publish(service)
        defer {
            EmbeddedSchemaRegistry.publish(nil)
            service.close()
        }
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
