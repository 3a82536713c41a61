import ConnectCluster
import Kafka
import Logging
import SchemaRegistry
import Synchronization

/// The registry's log in the `_schemas` topic (Confluent's `kafkastore.topic`), in Confluent's record format
/// (`RegistryRecord`): every worker's registry reads it from the beginning at start and follows it, so all of a
/// cluster's registries share one set of subjects and ids (see `SchemaRegistryService` for how concurrent writers
/// agree). Every record goes to partition 0, so the order is total even on a topic with more partitions.
public final class KafkaRegistryLog: RegistryLog {
    public let topic: String
    let bootstrapServers: String
    let clientConfig: [String: String]
    let logger: Logger
    let timeoutMs: Int
    private let log = Mutex<KafkaBasedLog?>(nil)

    /// - Parameter clientConfig: librdkafka settings for the producer and consumer (security, etc.).
    public init(topic: String, bootstrapServers: String, clientConfig: [String: String] = [:], timeoutMs: Int = 30_000,
                logger: Logger = Logger(label: "sluice.schema-registry.store")) {
        self.topic = topic
        self.bootstrapServers = bootstrapServers
        self.clientConfig = clientConfig
        self.timeoutMs = timeoutMs
        self.logger = logger
    }

    public func start(_ deliver: @escaping @Sendable (RegistryRecord) -> Void) throws {
        let logger = self.logger
        let kafkaLog = KafkaBasedLog(topic: topic, bootstrapServers: bootstrapServers, clientConfig: clientConfig, logger: logger) { m in
            guard let record = Self.record(m) else {
                logger.warning("skipping a record of \(m.topic)-\(m.partition)@\(m.offset) that is not a schema registry record")
                return
            }
            deliver(record)
        }
        try kafkaLog.start(timeoutMs: max(timeoutMs, 60_000))
        log.withLock { $0 = kafkaLog }
    }

    /// A topic record as a registry record: UTF-8 JSON key, value or tombstone. NOOP records (null value, written by
    /// Confluent's leader) pass through and are ignored by the state.
    static func record(_ m: KafkaMessage) -> RegistryRecord? {
        guard let key = m.key, let keyText = String(validating: key, as: UTF8.self) else { return nil }
        guard let value = m.value else { return RegistryRecord(key: keyText, value: nil) }
        guard let valueText = String(validating: value, as: UTF8.self) else { return nil }
        return RegistryRecord(key: keyText, value: valueText)
    }

    public func append(_ records: [RegistryRecord]) throws {
        let kafkaLog = try started()
        for r in records {
            try kafkaLog.sendAndWait(key: Array(r.key.utf8), value: r.value.map { Array($0.utf8) }, partition: 0, timeoutMs: timeoutMs)
        }
    }

    public func sync() throws { try started().readToEnd(timeoutMs: timeoutMs) }

    public func close() {
        let kafkaLog = log.withLock { l in
            defer { l = nil }
            return l
        }
        kafkaLog?.stop()
    }

    private func started() throws -> KafkaBasedLog {
        guard let l = log.withLock({ $0 }) else { throw SchemaRegistryError.store("the schema registry's topic '\(topic)' is not open") }
        return l
    }
}
