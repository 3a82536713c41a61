/// A record produced by a source task, carrying where it came from so the runtime can commit the offset once
/// Kafka acknowledged it (`org.apache.kafka.connect.source.SourceRecord`).
public struct SourceRecord: ConnectRecord, Hashable {
    public var sourcePartition: [String: JSONValue]
    public var sourceOffset: [String: JSONValue]
    public var topic: String
    public var kafkaPartition: Int32?
    public var keySchema: Schema?
    public var key: Value
    public var valueSchema: Schema?
    public var value: Value
    public var timestamp: Int64?
    public var headers: Headers

    public init(
        sourcePartition: [String: JSONValue], sourceOffset: [String: JSONValue], topic: String,
        kafkaPartition: Int32? = nil, keySchema: Schema? = nil, key: Value = .null, valueSchema: Schema?,
        value: Value, timestamp: Int64? = nil, headers: Headers = Headers()
    ) {
        self.sourcePartition = sourcePartition
        self.sourceOffset = sourceOffset
        self.topic = topic
        self.kafkaPartition = kafkaPartition
        self.keySchema = keySchema
        self.key = key
        self.valueSchema = valueSchema
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }
}
