import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SluiceAPI

/// `sluice standalone`: one worker process with file-backed offsets and configs, the REST API, and — with
/// `bootstrap.servers=embedded` — an in-memory Kafka inside the process.
///
/// A `Service`: on graceful shutdown (SIGTERM/SIGINT via the executable's ServiceGroup) the REST server stops,
/// then every task stops and flushes its offsets.
public final class StandaloneWorker: Service, @unchecked Sendable {
    let config: WorkerConfig
    let connectorConfigs: [[String: String]]
    let plugins: [PluginDescriptor]
    let logger: Logger
    let kafkaRuntime: KafkaRuntime
    public let port: Int
    public let herder: StandaloneHerder
    /// How long a SIGTERM/SIGINT shutdown may take before the process exits anyway (`ShutdownDeadline`).
    public var shutdownLimit: Duration { ShutdownDeadline.limit(taskShutdownTimeoutMs: config.shutdownTimeoutMs) }
    let metrics = WorkerMetrics()
    /// The embedded Schema Registry, when `schema.registry.listeners` is set.
    public let schemaRegistry: EmbeddedSchemaRegistryServer?
    let restSecurity: RestSecurity

    /// - Parameters:
    ///   - workerProps: the worker properties file's content.
    ///   - connectorConfigs: connector configs given on the command line (created or updated at start).
    public init(workerProps: [String: String], connectorConfigs: [[String: String]], plugins: [PluginDescriptor], logger: Logger) throws {
        config = try WorkerConfig(workerProps)
        restSecurity = try RestSecurity(config: config)
        self.connectorConfigs = connectorConfigs
        self.plugins = plugins
        self.logger = logger
        schemaRegistry = try EmbeddedSchemaRegistryServer.make(config: config, logger: logger)
        kafkaRuntime = try KafkaRuntime.start(config: config, logger: logger)
        let listener = config.listener
        port = listener.port == 0 ? FreePort.find() : listener.port
        let offsetStore: any OffsetStore
        let configStore: any ConfigStore
        if let file = config.offsetFile {
            offsetStore = try FileOffsetStore(path: file)
            configStore = FileConfigStore(path: file + ".connectors.json")
        } else {
            logger.warning("offset.storage.file.filename is not set: offsets and REST-created connectors are kept in memory only")
            offsetStore = MemoryOffsetStore()
            configStore = MemoryConfigStore()
        }
        let worker = Worker(config: config, registry: PluginRegistry(plugins), kafka: kafkaRuntime.factory,
                            offsetStore: offsetStore, metrics: metrics, workerId: config.workerId(boundPort: port),
                            bootstrapServers: kafkaRuntime.bootstrapServers, logger: logger)
        herder = StandaloneHerder(worker: worker, configStore: configStore, logger: logger)
    }

    /// The bootstrap servers the worker uses (the embedded cluster's address when embedded).
    public var bootstrapServers: String { kafkaRuntime.bootstrapServers }

    public func run() async throws {
        let router = RestServer.router(herder: herder, metrics: metrics, clusterId: { [kafkaRuntime] in kafkaRuntime.clusterId },
                                       bodyLimit: config.parsed.int("rest.request.max.bytes"), logger: logger,
                                       authenticator: restSecurity.authenticator, adminOnly: restSecurity.admin == .main ? nil : false)
        let adminService = try restSecurity.adminApplication(
            router: RestServer.router(herder: herder, metrics: metrics, clusterId: { "kafka" }, bodyLimit: config.parsed.int("rest.request.max.bytes"),
                                      logger: logger, authenticator: restSecurity.authenticator, adminOnly: true),
            logger: logger)
        let scheme = restSecurity.scheme
        let host = config.listener.host
        let herder = self.herder
        let connectorConfigs = self.connectorConfigs
        let logger = self.logger
        let port = self.port
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
                        try herder.startStored()
                        for c in connectorConfigs {
                            try herder.startFromCommandLine(c)
                        }
                    } catch {
                        logger.error("Could not start connectors: \(error)")
                    }
                    herder.markReady()
                    logger.info("Sluice worker started")
                }
            },
            logger: Logger(label: "sluice.rest")
        )
        try await EmbeddedSchemaRegistryServer.runAlongside(schemaRegistry, logger: logger) { try await app.runService() }
        logger.info("Shutting down: stopping tasks and flushing offsets")
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                herder.stopAll()
                c.resume()
            }
        }
        kafkaRuntime.shutdown()
        logger.info("Sluice worker stopped")
    }
}

extension StandaloneHerder {
    /// Creates or updates a connector given on the command line, like `connect-standalone` does.
    func startFromCommandLine(_ config: [String: String]) throws {
        guard let name = config["name"], !name.isEmpty else {
            throw ConnectError(.config, "Connector config file has no 'name'")
        }
        let sem = DispatchSemaphore(value: 0)
        let box = ResultBox()
        Task {
            do { _ = try await self.putConnectorConfig(name, config, allowReplace: true, initialState: nil) } catch { box.error = error }
            sem.signal()
        }
        sem.wait()
        if let e = box.error { throw e }
    }
}

final class ResultBox: @unchecked Sendable { var error: (any Error)? }
