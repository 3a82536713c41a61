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

    private init(bootstrapServers: String, factory: any KafkaClientFactory, embedded: EmbeddedKafka?, clusterId: String) {
        self.bootstrapServers = bootstrapServers
        self.factory = factory
        self.embedded = embedded
        self.clusterIdValue = clusterId
    }

    var clusterId: String { clusterIdValue }

    static func start(config: WorkerConfig, logger: Logger) throws -> KafkaRuntime {
        if config.usesDirectPipelines {
            let bus = DirectBus(defaultPartitions: config.parsed.int("direct.topic.partitions"),
                                maxRecordsPerPartition: config.parsed.int("direct.buffer.max.records"),
                                logger: Logger(label: "sluice.direct"))
            logger.notice("Direct pipelines (bootstrap.servers=none): no Kafka; source records go to the sink connectors subscribed to their topics in memory, and a source offset is committed only after every such sink committed the record")
            return KafkaRuntime(bootstrapServers: "none", factory: DirectClientFactory(bus: bus), embedded: nil, clusterId: "direct-\(getpid())")
        }
        let factory = LibrdkafkaClientFactory(logger: Logger(label: "sluice.kafka"))
        if config.usesEmbeddedKafka {
            let e = try EmbeddedKafka.start(brokers: 1, logger: Logger(label: "sluice.kafka.embedded"))
            logger.notice("Embedded Kafka listening on \(e.bootstrapServers) (in memory; each partition keeps at most 5 MiB / 100k batches and silently drops older data: for demos and tests only). Read topics with: kcat -b \(e.bootstrapServers) -C -t <topic>")
            return KafkaRuntime(bootstrapServers: e.bootstrapServers, factory: factory, embedded: e, clusterId: "embedded-\(getpid())")
        }
        return KafkaRuntime(bootstrapServers: config.bootstrapServers, factory: factory, embedded: nil, clusterId: "unknown")
    }

    func shutdown() { embedded?.stop() }
}
