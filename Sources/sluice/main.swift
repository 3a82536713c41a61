import ArgumentParser
import Foundation
import Kafka
import Logging
import Plugins
import Runtime
import ServiceLifecycle

/// The `sluice` command: it only wires configuration, plugins and services together.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A Kafka Connect–compatible runtime with JDBC, CDC and SpoolDir connectors in one binary.",
        version: SluiceVersion.version,
        subcommands: [Standalone.self, Distributed.self, KafkaEmbedded.self])
}

struct Standalone: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a standalone worker, like connect-standalone: sluice standalone worker.properties [connector.properties|.json ...]")

    @Argument(help: "Worker properties file.") var workerProperties: String
    @Argument(help: "Connector config files (.properties or .json) to create or update at start.") var connectors: [String] = []

    func run() async throws {
        LoggingSystem.bootstrap(SluiceLogHandler.init)
        let logger = Logger(label: "sluice.worker")
        let workerProps = try JavaProperties.load(path: workerProperties)
        let configs = try connectors.map { try ConnectorConfigFile.load(path: $0) }
        let worker = try StandaloneWorker(workerProps: workerProps, connectorConfigs: configs, plugins: BuiltinPlugins.all, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let deadline = ShutdownDeadline(limit: worker.shutdownLimit, logger: logger)
        defer { withExtendedLifetime(deadline) {} }  // its signal sources live until the worker stopped
        try await group.run()
    }
}

struct Distributed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a distributed worker, like connect-distributed: sluice distributed worker.properties (group.id and the three storage topics required)")
    @Argument(help: "Worker properties file.") var workerProperties: String
    func run() async throws {
        LoggingSystem.bootstrap(SluiceLogHandler.init)
        let logger = Logger(label: "sluice.worker")
        let worker = try DistributedWorker(workerProps: try JavaProperties.load(path: workerProperties), plugins: BuiltinPlugins.all, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let deadline = ShutdownDeadline(limit: worker.shutdownLimit, logger: logger)
        defer { withExtendedLifetime(deadline) {} }  // its signal sources live until the worker stopped
        try await group.run()
    }
}

struct KafkaEmbedded: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-embedded",
        abstract: "Run librdkafka's in-memory mock Kafka cluster; prints its bootstrap address and serves until killed. For tests and demos only: each partition keeps at most 5 MiB / 100k batches.")
    @Option(help: "Number of brokers.") var brokers: Int = 1
    @Option(name: .customLong("topic"), help: "Pre-create a topic as name:partitions (repeatable); others auto-create with 4 partitions. `connect-configs:1` is always created, because a distributed cluster's config topic must have one partition and the mock broker cannot create topics on request.")
    var topics: [String] = []
    func run() throws {
        LoggingSystem.bootstrap(SluiceLogHandler.init)
        let kafka = try EmbeddedKafka.start(brokers: brokers)
        for t in ["connect-configs:1"] + topics {
            let parts = t.split(separator: ":")
            guard parts.count == 2, let n = Int(parts[1]), n > 0 else { throw ValidationError("--topic takes name:partitions, got \(t)") }
            try kafka.createTopic(String(parts[0]), partitions: n)
        }
        print(kafka.bootstrapServers)
        fflush(nil)
        while true { withExtendedLifetime(kafka) { _ = sleep(3600) } }
    }
}
