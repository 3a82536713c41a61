import Kafka

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
    /// On librdkafka's mock cluster (`EmbeddedKafka`) topic configs cannot be set or read: the topic is created
    /// without `cleanup.policy=compact` (the mock never deletes by policy anyway) and the policy check is skipped.
    @discardableResult
    public static func ensure(
        admin: KafkaAdmin, name: String, kind: Kind, partitions: Int, replicationFactor: Int = -1, timeoutMs: Int = 30_000
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
        if kind == .config && count != 1 {
            throw Misconfigured(description: "config topic '\(name)' has \(count) partitions; Kafka Connect requires exactly 1 (config.storage.topic must be a single-partition, compacted topic)")
        }
        if try !admin.isMockCluster(timeoutMs: timeoutMs) {
            let policy = try admin.describeTopicConfig(name: name, timeoutMs: timeoutMs)["cleanup.policy"] ?? "delete"
            if !policy.split(separator: ",").contains(where: { $0.trimmingPrefix(" ") == "compact" }) {
                throw Misconfigured(description: "\(kind.rawValue) topic '\(name)' has cleanup.policy=\(policy); Kafka Connect's internal topics must be compacted (cleanup.policy=compact)")
            }
        }
        return count
    }
}
