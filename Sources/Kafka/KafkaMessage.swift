/// A record read by `KafkaConsumer` or `TopicReader`, copied out of librdkafka's buffers.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// nil for a null key (distinct from an empty key).
    public var key: [UInt8]?
    /// nil for a null value (a tombstone).
    public var value: [UInt8]?
    /// Headers in wire order, (key, value); a nil value is a null header value. Unlabeled, like the runtime's own
    /// header pairs, so handing them on needs no copy.
    public var headers: [(String, [UInt8]?)]
    /// Milliseconds since the epoch, nil when the record carries none.
    public var timestamp: Int64?
    public var timestampType: KafkaTimestampType

    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?,
        headers: [(String, [UInt8]?)] = [], timestamp: Int64? = nil,
        timestampType: KafkaTimestampType = .notAvailable
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
        self.timestampType = timestampType
    }
}

/// How a record's timestamp was set; Kafka Connect exposes it on `SinkRecord`.
public enum KafkaTimestampType: Sendable, Hashable {
    case notAvailable
    case createTime
    case logAppendTime
}
