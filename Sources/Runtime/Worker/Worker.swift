import Foundation
import Logging
import SluiceAPI

/// Builds and starts the running pieces of connectors: task threads with their converters, transformation chain,
/// error handler and Kafka clients. Holds no connector state of its own; the herder decides what runs.
final class Worker: Sendable {
    let config: WorkerConfig
    let registry: PluginRegistry
    let kafka: any KafkaClientFactory
    let offsetStore: any OffsetStore
    let metrics: WorkerMetrics
    let workerId: String
    let logger: Logger
    /// Bootstrap servers actually used (the embedded cluster's address when `bootstrap.servers=embedded`).
    let bootstrapServers: String
    let activeTopics = ActiveTopics()
    /// Whether Kafka is librdkafka's mock cluster (`embedded`, or `sluice kafka-embedded`), which drops data.
    let brokerIsEmbedded: Bool
    /// Holds local sources back for local sinks on the embedded Kafka (`embedded.retention.guard.enable`).
    let retentionGuard: EmbeddedRetentionGuard?
    /// The worker's `config.providers`, applied to connector and task configs when they start.
    let providers: ConfigProviders

    init(config: WorkerConfig, registry: PluginRegistry, kafka: any KafkaClientFactory, offsetStore: any OffsetStore,
         metrics: WorkerMetrics, workerId: String, bootstrapServers: String, logger: Logger, embeddedBroker: Bool? = nil) {
        self.config = config
        self.registry = registry
        self.kafka = kafka
        self.offsetStore = offsetStore
        self.metrics = metrics
        self.workerId = workerId
        self.bootstrapServers = bootstrapServers
        self.logger = logger
        brokerIsEmbedded = embeddedBroker ?? config.usesEmbeddedKafka
        providers = ConfigProviders(workerProps: config.props)
        retentionGuard = brokerIsEmbedded && config.parsed.bool("embedded.retention.guard.enable") ? EmbeddedRetentionGuard() : nil
    }

    func clientProps(_ prefix: String, connector: [String: String], overridePrefix: String) -> [String: String] {
        var p = config.clientProps(prefix: prefix)
        for (k, v) in connector where k.hasPrefix(overridePrefix) { p[String(k.dropFirst(overridePrefix.count))] = v }
        p["bootstrap.servers"] = bootstrapServers
        return p
    }

    /// Instantiates a connector plugin of the right kind.
    func makeConnector(_ config: [String: String]) throws -> (PluginDescriptor, any Connector) {
        let cls = config["connector.class"] ?? ""
        let d = try registry.require(cls, types: [.source, .sink], key: "connector.class")
        switch d.factory {
        case .source(let make): return (d, make())
        case .sink(let make): return (d, make())
        default: throw ConnectError.invalidConfig("connector.class", cls, "not a connector")
        }
    }

    /// Creates (but does not start) the runtime task for task `index` of a connector.
    func makeTask(id: ConnectorTaskId, descriptor: PluginDescriptor, connector: any Connector,
                  connectorConfig: [String: String], taskProps: [String: String], initialState: TargetState,
                  listener: any TaskStatusListener) throws -> WorkerTask {
        var taskLogger = logger
        taskLogger[metadataKey: "connector"] = .string(id.connector)
        taskLogger[metadataKey: "task"] = .stringConvertible(id.task)
        let converters = try ConverterSet.make(connector: connectorConfig, worker: config, registry: registry)
        let chain = try TransformationChain.make(config: connectorConfig, registry: registry)
        let taskMetrics = metrics.task(connector: id.connector, task: id.task)
        let errors = ErrorHandler(config: connectorConfig, connector: id.connector, taskId: id.task, logger: taskLogger, metrics: taskMetrics)
        var producerConfig = clientProps("producer.", connector: connectorConfig, overridePrefix: "producer.override.")
        // The retention guard's margin is one producer batch of librdkafka's default size (`RetentionLedger.Limits`).
        if retentionGuard != nil, let b = producerConfig["batch.size"].flatMap({ Int64($0.trimmedWS) }), b > RetentionLedger.Limits.librdkafkaBatchSize {
            taskLogger.info("batch.size=\(b) lowered to \(RetentionLedger.Limits.librdkafkaBatchSize) on the embedded Kafka (the retention guard's margin is one batch of that size)")
            producerConfig["batch.size"] = String(RetentionLedger.Limits.librdkafkaBatchSize)
        }
        let producerProps = producerConfig
        let kafka = self.kafka
        let clientId = "connector-producer-\(id)"
        switch connector {
        case let source as any SourceConnector:
            let creator = topicCreator(connectorConfig)
            let t = WorkerSourceTask(
                id: id, task: source.makeTask(), props: taskProps, connectorConfig: connectorConfig,
                converters: converters, chain: chain, errors: errors, offsetStore: offsetStore,
                producerFactory: { try kafka.makeSender(props: producerProps, clientId: clientId) },
                topicCreator: creator, activeTopics: activeTopics, worker: config, metrics: taskMetrics, initialState: initialState,
                logger: taskLogger, statusListener: listener)
            t.retention = retentionGuard?.sourceHook(task: id, logger: taskLogger, waits: taskMetrics.retentionWaits)
            return t
        case let sink as any SinkConnector:
            var consumerProps = clientProps("consumer.", connector: connectorConfig, overridePrefix: "consumer.override.")
            if consumerProps["auto.offset.reset"] == nil { consumerProps["auto.offset.reset"] = "earliest" }
            // The embedded broker (librdkafka's mock) answers a fetch that finds nothing new only after the full
            // fetch.max.wait.ms (500 ms by default), even when records arrive meanwhile. A sink that caught up with
            // its sources then sat idle for half a second while the retention guard held those sources back for it.
            if brokerIsEmbedded && consumerProps["fetch.max.wait.ms"] == nil && consumerProps["fetch.wait.max.ms"] == nil {
                consumerProps["fetch.max.wait.ms"] = "10"
            }
            // Records per put: Kafka's consumer returns at most max.poll.records (500) per poll. Sinks that write in
            // batches (JDBC COPY, multi-row INSERT) are several times faster with larger puts, so Sluice defaults to
            // 5000; worker `consumer.max.poll.records` or connector `consumer.override.max.poll.records` set it.
            let maxPoll = consumerProps.removeValue(forKey: "max.poll.records").flatMap { Int($0.trimmedWS) } ?? 5000
            let lossPolicy = try OffsetOutOfRangePolicy.resolve(consumerProps.removeValue(forKey: OffsetOutOfRangePolicy.key), embedded: brokerIsEmbedded)
            let group = "connect-\(id.connector)"
            let consumerId = "connector-consumer-\(id)"
            let dlqProps = producerProps
            let t = WorkerSinkTask(
                id: id, task: sink.makeTask(), props: taskProps, connectorConfig: connectorConfig,
                converters: converters, chain: chain, errors: errors,
                receiverFactory: { listener in try kafka.makeReceiver(props: consumerProps, groupId: group, clientId: consumerId, listener: listener) },
                dlqFactory: { try kafka.makeSender(props: dlqProps, clientId: "connector-dlq-producer-\(id)") },
                activeTopics: activeTopics, maxPollRecords: max(1, maxPoll),
                metrics: taskMetrics, initialState: initialState, logger: taskLogger, statusListener: listener)
            t.lossMonitor = SinkOffsetLossMonitor(policy: lossPolicy, embedded: brokerIsEmbedded, taskId: id, lost: taskMetrics.recordsLost, logger: taskLogger)
            t.retention = retentionGuard?.sinkHook(connector: id.connector, config: connectorConfig)
            return t
        default:
            throw ConnectError(.connect, "\(descriptor.className) is neither a source nor a sink connector")
        }
    }

    /// KIP-158: with `topic.creation.enable=true` on the worker and `topic.creation.default.partitions` on the
    /// connector, source tasks create each topic before its first record, with the `topic.creation.default.*`
    /// settings (replication factor -1 = broker default; other keys become topic configs such as cleanup.policy).
    func topicCreator(_ connectorConfig: [String: String]) -> ((String) throws -> Void)? {
        guard config.parsed.bool("topic.creation.enable"),
              let partitions = connectorConfig["topic.creation.default.partitions"].flatMap({ Int($0.trimmedWS) })
        else { return nil }
        let rf = connectorConfig["topic.creation.default.replication.factor"].flatMap { Int($0.trimmedWS) } ?? -1
        var topicConfigs: [String: String] = [:]
        for (k, v) in connectorConfig where k.hasPrefix("topic.creation.default.") {
            let name = String(k.dropFirst("topic.creation.default.".count))
            if name != "partitions" && name != "replication.factor" && name != "include" && name != "exclude" { topicConfigs[name] = v }
        }
        let props = clientProps("admin.", connector: connectorConfig, overridePrefix: "admin.override.")
        let kafka = self.kafka
        return { topic in
            try kafka.createTopic(props: props, name: topic, partitions: partitions, replicationFactor: rf, configs: topicConfigs)
        }
    }
}
