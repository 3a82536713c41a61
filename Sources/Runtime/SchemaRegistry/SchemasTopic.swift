import Kafka
import Logging
import SluiceAPI

/// Creates the registry's topic when missing and refuses a misconfigured one, as Confluent's `KafkaStore` does at
/// startup: one partition (the registry's records are totally ordered) and `cleanup.policy=compact` (a deleting
/// policy would eventually lose schemas that records still reference).
enum SchemasTopic {
    /// On librdkafka's mock cluster (`EmbeddedKafka`, `sluice kafka-embedded`) topic configs can be neither set nor
    /// read, and topics auto-created for another process get 4 partitions: there the checks are skipped
    /// (`KafkaRegistryLog` writes to partition 0 only, so the order stays total).
    static func ensure(admin: KafkaAdmin, name: String, replicationFactor: Int, timeoutMs: Int = 30_000) throws {
        let existing = try admin.partitionCount(topic: name, timeoutMs: timeoutMs)
        var count = existing ?? 1
        if existing == nil {
            let outcome = try admin.createTopic(name: name, partitions: 1, replicationFactor: replicationFactor,
                                                configs: ["cleanup.policy": "compact"], timeoutMs: timeoutMs)
            if case .autoCreated(let auto) = outcome { count = auto }
        }
        if try admin.isMockCluster(timeoutMs: timeoutMs) { return }
        let policy = try admin.describeTopicConfig(name: name, timeoutMs: timeoutMs)["cleanup.policy"] ?? "delete"
        if let problem = check(name: name, partitions: count, cleanupPolicy: policy) { throw problem }
    }

    /// The checks of `ensure`, as a pure function.
    static func check(name: String, partitions: Int, cleanupPolicy: String) -> ConnectError? {
        if partitions != 1 {
            return ConnectError(.config, "The schema registry's topic '\(name)' has \(partitions) partitions; it must have exactly 1 (schema.registry.kafkastore.topic)")
        }
        if !cleanupPolicy.split(separator: ",").contains(where: { $0.filter { $0 != " " } == "compact" }) {
            return ConnectError(.config, "The schema registry's topic '\(name)' has cleanup.policy=\(cleanupPolicy); it must be compacted (cleanup.policy=compact)")
        }
        return nil
    }
}
