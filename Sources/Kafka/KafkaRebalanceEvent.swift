/// A consumer-group rebalance, delivered to the handler installed on `KafkaConsumer` from inside its `poll`/`close`.
///
/// `.revoked` arrives BEFORE the partitions are given up, so a sink can flush and commit them synchronously in the
/// handler; `.assigned` arrives after the assignment is applied, so `seek` on those partitions works in the handler.
public enum KafkaRebalanceEvent: Sendable, Hashable {
    case assigned([KafkaTopicPartition])
    case revoked([KafkaTopicPartition])
}
