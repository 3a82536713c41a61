/// A record delivered to a sink task, with the Kafka coordinates that the sink's offsets are made of
/// (`org.apache.kafka.connect.sink.SinkRecord`).
public struct SinkRecord: ConnectRecord, Hashable {
    public enum TimestampType: String, Sendable, Hashable {
        case noTimestampType = "NoTimestampType", createTime = "CreateTime", logAppendTime = "LogAppendTime"
    }

    public var topic: String
    public var kafkaPartition: Int32?
    public var kafkaOffset: Int64
    public var keySchema: Schema?
    public var key: Value
    public var valueSchema: Schema?
    public var value: Value
    public var timestamp: Int64?
    public var timestampType: TimestampType
    public var headers: Headers
    /// The record as it was read from Kafka (before conversion and transforms), for error reporting and the DLQ.
    public var originalTopic: String
    public var originalKafkaPartition: Int32
    public var originalKafkaOffset: Int64

    public init(
        topic: String, partition: Int32, keySchema: Schema? = nil, key: Value = .null, valueSchema: Schema?,
        value: Value, kafkaOffset: Int64, timestamp: Int64? = nil, timestampType: TimestampType = .createTime,
        headers: Headers = Headers()
    ) {
        self.topic = topic
        self.kafkaPartition = partition
        self.kafkaOffset = kafkaOffset
        self.keySchema = keySchema
        self.key = key
        self.valueSchema = valueSchema
        self.value = value
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.headers = headers
        self.originalTopic = topic
        self.originalKafkaPartition = partition
        self.originalKafkaOffset = kafkaOffset
    }
}
