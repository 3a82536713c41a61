/// One partition of one topic: the unit of assignment, pausing and committing.
public struct KafkaTopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)-\(partition)" }
}

/// A position in a partition: for commits it is the NEXT offset to read (last processed + 1), as in Kafka.
public struct KafkaPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }

    public var description: String { "\(topic)-\(partition)@\(offset)" }

    /// Logical offset: start from the partition's first available record.
    public static let beginning: Int64 = -2
    /// Logical offset: start after the partition's last record.
    public static let end: Int64 = -1
}
