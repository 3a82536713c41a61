/// Where the broker stored a produced record: what a source task's offset commit waits for.
public struct KafkaDeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// The assigned offset; -1 when the broker did not return one (e.g. acks=0).
    public var offset: Int64
    /// Milliseconds since the epoch, nil when unknown.
    public var timestamp: Int64?

    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }
}
