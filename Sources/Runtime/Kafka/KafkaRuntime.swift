import Foundation
import Kafka
import Logging
import SluiceAPI

/// The Kafka side of a worker: the bootstrap servers, the client factory and — for `bootstrap.servers=embedded` —
/// the in-process mock cluster, which lives exactly as long as the worker.
final class KafkaRuntime: @unchecked Sendable {
    let bootstrapServers: String
    let factory: any KafkaClientFactory
    let embedded: EmbeddedKafka?
    let clusterIdValue: String
    let adminProps: [String: String]
    private let lock = NSLock()
    private var fetchedClusterId: String?

    private init(bootstrapServers: String, factory: any KafkaClientFactory, embedded: EmbeddedKafka?, clusterId: String,
                 adminProps: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.factory = factory
        self.embedded = embedded
        self.clusterIdValue = clusterId
        self.adminProps = adminProps
    }

    /// REST `/`'s `kafka_cluster_id`: what the brokers report (asked once, then cached), as Kafka Connect shows it.
    var clusterId: String {
        if embedded != nil { return clusterIdValue }
        if let id = lock.withLock({ fetchedClusterId }) { return id }
        let config = KafkaConfigMapper.adminConfig(fromJava: adminProps).config
        guard let admin = try? KafkaAdmin.make(config: config), let id = admin.clusterId(timeoutMs: 5_000) else { return clusterIdValue }
        lock.withLock { fetchedClusterId = id }
        return id
    }

    static func start(config: WorkerConfig, logger: Logger) throws -> KafkaRuntime {
        if config.usesDirectPipelines {
            let bus = DirectBus(defaultPartitions: config.parsed.int("direct.topic.partitions"),
                                maxRecordsPerPartition: config.parsed.int("direct.buffer.max.records"),
                                firstOffset: DirectBus.restartSafeFirstOffset(), logger: Logger(label: "sluice.direct"))
            logger.notice("Direct pipelines (bootstrap.servers=none): no Kafka; source records go to the sink connectors subscribed to their topics in memory, and a source offset is committed only after every such sink committed the record")
            return KafkaRuntime(bootstrapServers: "none", factory: DirectClientFactory(bus: bus), embedded: nil, clusterId: "direct-\(getpid())")
        }
        let factory = LibrdkafkaClientFactory(logger: Logger(label: "sluice.kafka"))
        if config.usesEmbeddedKafka {
            let e = try EmbeddedKafka.start(brokers: 1, logger: Logger(label: "sluice.kafka.embedded"))
            logger.notice("Embedded Kafka listening on \(e.bootstrapServers) (in memory; each partition keeps at most 5 MiB / 100k batches and silently drops older data: for demos and tests only). Read topics with: kcat -b \(e.bootstrapServers) -C -t <topic>")
            return KafkaRuntime(bootstrapServers: e.bootstrapServers, factory: factory, embedded: e, clusterId: "embedded-\(getpid())")
        }
        return KafkaRuntime(bootstrapServers: config.bootstrapServers, factory: factory, embedded: nil, clusterId: "unknown",
                            adminProps: config.clientProps(prefix: "admin."))
    }

    func shutdown() { embedded?.stop() }
}
