import ConnectCluster
import Foundation
import Hummingbird
import Kafka
import Logging
import NIOSSL
import ServiceLifecycle
import SluiceAPI

/// `sluice distributed`: one member of a Connect cluster. Several processes with the same `group.id` share the work;
/// Kafka holds their configs, offsets and statuses and coordinates their membership.
public final class DistributedWorker: Service, @unchecked Sendable {
    let config: WorkerConfig
    let logger: Logger
    public let port: Int
    public let herder: DistributedHerder
    /// How long a SIGTERM/SIGINT shutdown may take before the process exits anyway (`ShutdownDeadline`).
    public var shutdownLimit: Duration { ShutdownDeadline.limit(taskShutdownTimeoutMs: config.shutdownTimeoutMs) }
    let metrics = WorkerMetrics()
    /// The embedded Schema Registry, when `schema.registry.listeners` is set; its state is in the `_schemas` topic,
    /// shared with every other worker's registry on this Kafka.
    public let schemaRegistry: EmbeddedSchemaRegistryServer?
    let restSecurity: RestSecurity
    let configStore: KafkaConfigStore
    let statusStore: KafkaStatusStore
    let offsetStore: KafkaOffsetStore

    public init(workerProps: [String: String], plugins: [PluginDescriptor], logger: Logger) throws {
        config = try WorkerConfig(workerProps)
        schemaRegistry = try EmbeddedSchemaRegistryServer.make(config: config, logger: logger)
        restSecurity = try RestSecurity(config: config)
        self.logger = logger
        let p = config.parsed
        guard let group = p.string("group.id"), !group.isEmpty else {
            throw ConnectError(.config, "Missing required configuration \"group.id\" which has no default value.")
        }
        let topics = try ["config.storage.topic", "offset.storage.topic", "status.storage.topic"].map { key -> String in
            guard let t = p.string(key), !t.isEmpty else {
                throw ConnectError(.config, "Missing required configuration \"\(key)\" which has no default value.")
            }
            return t
        }
        if config.usesEmbeddedKafka {
            throw ConnectError.invalidConfig("bootstrap.servers", "embedded", "distributed workers must share one Kafka: start `sluice kafka-embedded` and use the address it prints")
        }
        if config.usesDirectPipelines {
            throw ConnectError.invalidConfig("bootstrap.servers", "none", "direct pipelines run in one standalone worker; distributed workers share their configs, offsets and records through Kafka")
        }
        let bootstrap = config.bootstrapServers
        let adminProps = KafkaConfigMapper.adminConfig(fromJava: config.internalClientProps(prefix: "admin.")).config
        let admin = try KafkaAdmin.make(config: adminProps, logger: Logger(label: "sluice.kafka.admin"))
        try ConnectTopics.ensure(admin: admin, name: topics[0], kind: .config, partitions: 1, replicationFactor: p.int("config.storage.replication.factor"))
        try ConnectTopics.ensure(admin: admin, name: topics[1], kind: .offset, partitions: p.int("offset.storage.partitions"), replicationFactor: p.int("offset.storage.replication.factor"))
        try ConnectTopics.ensure(admin: admin, name: topics[2], kind: .status, partitions: p.int("status.storage.partitions"), replicationFactor: p.int("status.storage.replication.factor"))
        let isMock = (try? admin.isMockCluster()) ?? false

        let listener = config.listener
        port = listener.port == 0 ? FreePort.find() : listener.port
        let workerId = config.workerId(boundPort: port)
        let clientProps = KafkaConfigMapper.consumerConfig(fromJava: config.internalClientProps(prefix: "consumer.")).config.filter { $0.key != "bootstrap.servers" }
        offsetStore = KafkaOffsetStore(topic: topics[1], bootstrapServers: bootstrap, clientConfig: clientProps)
        statusStore = KafkaStatusStore(topic: topics[2], bootstrapServers: bootstrap, clientConfig: clientProps)
        let box = HerderBox()
        configStore = KafkaConfigStore(topic: topics[0], bootstrapServers: bootstrap, clientConfig: clientProps) { update in
            box.herder?.onConfigUpdate(update)
        }
        let member = KafkaGroupMember(configuration: .init(
            bootstrapServers: bootstrap, groupId: group, clientId: "sluice-\(workerId)",
            sessionTimeoutMs: Int32(p.int("session.timeout.ms")), rebalanceTimeoutMs: Int32(p.int("rebalance.timeout.ms")),
            leaderSyncDelayMs: isMock ? 500 : 0,
            // The group client speaks Kafka's protocol itself; it takes the same security settings as the
            // internal-topic clients (security.protocol, sasl.*, ssl.* at the top level of the worker config).
            security: try KafkaWireSecurity(librdkafka: clientProps)))
        // The advertised URL's scheme: `rest.advertised.listener`, else the main listener's. Forwarding to an https
        // peer uses the worker's listener TLS keys as a client (trust store, and its key store as client certificate).
        let scheme = (p.string("rest.advertised.listener").flatMap { $0.isEmpty ? nil : $0.lowercased() }) ?? restSecurity.scheme
        guard scheme == "http" || scheme == "https" else {
            throw ConnectError.invalidConfig("rest.advertised.listener", scheme, "String must be one of: http, https")
        }
        let forwardingTLS = scheme == "https" ? try NIOSSLContext(configuration: RestClientTLS.configuration(config.props)) : nil
        let worker = Worker(config: config, registry: PluginRegistry(plugins), kafka: LibrdkafkaClientFactory(logger: Logger(label: "sluice.kafka")),
                            offsetStore: KafkaOffsetStoreAdapter(offsetStore), metrics: metrics, workerId: workerId,
                            bootstrapServers: bootstrap, logger: logger, embeddedBroker: isMock)
        herder = DistributedHerder(worker: worker, configStore: configStore, statusStore: statusStore, offsets: offsetStore,
                                   member: member, maxDelayMs: Int32(p.int("scheduled.rebalance.max.delay.ms")),
                                   heartbeatIntervalMs: p.int("heartbeat.interval.ms"), url: "\(scheme)://\(workerId)",
                                   forwardingTLS: forwardingTLS, logger: logger)
        box.herder = herder
    }

    public func run() async throws {
        let router = RestServer.router(herder: herder, metrics: metrics, clusterId: { "kafka" },
                                       bodyLimit: config.parsed.int("rest.request.max.bytes"), logger: logger,
                                       authenticator: restSecurity.authenticator, adminOnly: restSecurity.admin == .main ? nil : false)
        let adminService = try restSecurity.adminApplication(
            router: RestServer.router(herder: herder, metrics: metrics, clusterId: { "kafka" }, bodyLimit: config.parsed.int("rest.request.max.bytes"),
                                      logger: logger, authenticator: restSecurity.authenticator, adminOnly: true),
            logger: logger)
        let scheme = restSecurity.scheme
        let host = config.listener.host
        let port = self.port
        let logger = self.logger
        let herder = self.herder
        let stores: [@Sendable () throws -> Void] = [
            { [offsetStore] in try offsetStore.start() }, { [statusStore] in try statusStore.start() }, { [configStore] in try configStore.start() },
        ]
        let app = Application(
            router: router,
            server: try restSecurity.server(tls: restSecurity.mainTLS),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            services: adminService.map { [$0] } ?? [],
            onServerRunning: { _ in
                logger.info("REST server listening on \(scheme)://\(host):\(port)")
                logger.info("Memory allocator: \(MemoryAllocator.description)")
                Thread.detachNewThread {
                    do {
                        for s in stores { try s() }
                    } catch {
                        logger.critical("Cannot read the internal topics: \(error)")
                        return
                    }
                    logger.info("Joining the Connect cluster (group client over \(herder.member.configuration.security.protocolName))")
                    herder.runMembership()
                }
            },
            logger: Logger(label: "sluice.rest"))
        try await EmbeddedSchemaRegistryServer.runAlongside(schemaRegistry, logger: logger) { try await app.runService() }
        logger.info("Shutting down: stopping tasks, leaving the group")
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                herder.shutdown()
                c.resume()
            }
        }
        configStore.stop()
        statusStore.stop()
        offsetStore.stop()
        logger.info("Sluice worker stopped")
    }
}

/// Lets the config store's listener reach the herder created after it.
final class HerderBox: @unchecked Sendable {
    weak var herder: DistributedHerder?
}
