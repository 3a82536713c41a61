/// A consumer-group rebalance, delivered to the handler installed on `KafkaConsumer` from inside its `poll`/`close`.
///
/// `.revoked` arrives BEFORE the partitions are given up, so a sink can flush and commit them synchronously in the
/// handler; `.assigned` arrives just before the assignment is applied: `seek` on those partitions in the handler sets
/// where fetching starts (instead of the committed offset), and `assignment()` does not list them yet.
public enum KafkaRebalanceEvent: Sendable, Hashable {
    case assigned([KafkaTopicPartition])
    case revoked([KafkaTopicPartition])
}
