import Kafka
import Logging

/// Creates Kafka Connect's internal topics when missing and refuses misconfigured existing ones, as a Java worker
/// does at startup: all three must be compacted (a deleting cleanup policy would lose connector configs and
/// offsets), and the config topic must have exactly one partition (its records are ordered across connectors).
public enum ConnectTopics {
    /// Which internal topic, for the checks that differ.
    public enum Kind: String, Sendable {
        case config, offset, status
    }

    /// Why a topic cannot be used.
    public struct Misconfigured: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Ensures `name` exists and is usable; returns the partition count.
    ///
    /// - Parameters:
    ///   - partitions: for a new topic (forced to 1 for the config topic).
    ///   - replicationFactor: for a new topic; -1 = the broker default.
    ///
    /// On librdkafka's mock cluster (`EmbeddedKafka`) topic configs can be neither set nor read, and a mock in
    /// another process (`sluice kafka-embedded`) auto-creates every topic with 4 partitions: there the policy check
    /// is skipped and a multi-partition config topic is accepted with a warning (`KafkaConfigStore` writes every
    /// record to partition 0, so their order is still total).
    @discardableResult
    public static func ensure(
        admin: KafkaAdmin, name: String, kind: Kind, partitions: Int, replicationFactor: Int = -1, timeoutMs: Int = 30_000,
        logger: Logger = Logger(label: "sluice.cluster.topics")
    ) throws -> Int {
        let wanted = kind == .config ? 1 : max(partitions, 1)
        let existing = try admin.partitionCount(topic: name, timeoutMs: timeoutMs)
        var count = existing ?? wanted
        if existing == nil {
            let outcome = try admin.createTopic(
                name: name, partitions: wanted, replicationFactor: replicationFactor,
                configs: ["cleanup.policy": "compact"], timeoutMs: timeoutMs)
            if case .autoCreated(let auto) = outcome { count = auto }
        }
        let mock = try admin.isMockCluster(timeoutMs: timeoutMs)
        let policy = mock ? nil : (try admin.describeTopicConfig(name: name, timeoutMs: timeoutMs)["cleanup.policy"] ?? "delete")
        try check(name: name, kind: kind, partitions: count, cleanupPolicy: policy, isMockCluster: mock)
        if mock && kind == .config && count != 1 {
            logger.warning("config topic '\(name)' has \(count) partitions on the embedded Kafka (it cannot create single-partition topics for another process); config records all go to partition 0")
        }
        return count
    }

    /// The checks of `ensure`, as a pure function. `cleanupPolicy` nil = unknown (not checked).
    public static func check(name: String, kind: Kind, partitions: Int, cleanupPolicy: String?, isMockCluster: Bool) throws {
        if kind == .config && partitions != 1 && !isMockCluster {
            throw Misconfigured(description: "config topic '\(name)' has \(partitions) partitions; Kafka Connect requires exactly 1 (config.storage.topic must be a single-partition, compacted topic)")
        }
        if let policy = cleanupPolicy, !policy.split(separator: ",").contains(where: { $0.filter { $0 != " " } == "compact" }) {
            throw Misconfigured(description: "\(kind.rawValue) topic '\(name)' has cleanup.policy=\(policy); Kafka Connect's internal topics must be compacted (cleanup.policy=compact)")
        }
    }
}
