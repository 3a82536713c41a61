/// A record delivered to a sink task, with the Kafka coordinates that the sink's offsets are made of
/// (`org.apache.kafka.connect.sink.SinkRecord`).
///
/// Its fields live in one copy-on-write box, like `SourceRecord`'s and for the same reason: records are copied
/// into batches, puts and retries, and an inline struct cost a reference-count update per field per copy.
public struct SinkRecord: ConnectRecord, Hashable {
    public enum TimestampType: String, Sendable, Hashable {
        case noTimestampType = "NoTimestampType", createTime = "CreateTime", logAppendTime = "LogAppendTime"
    }

    final class Box: @unchecked Sendable {
        var topic: String
        var kafkaPartition: Int32?
        var kafkaOffset: Int64
        var keySchema: Schema?
        var key: Value
        var valueSchema: Schema?
        var value: Value
        var timestamp: Int64?
        var timestampType: TimestampType
        var headers: Headers
        var originalTopic: String
        var originalKafkaPartition: Int32
        var originalKafkaOffset: Int64

        init(topic: String, kafkaPartition: Int32?, kafkaOffset: Int64, keySchema: Schema?, key: Value, valueSchema: Schema?,
             value: Value, timestamp: Int64?, timestampType: TimestampType, headers: Headers, originalTopic: String,
             originalKafkaPartition: Int32, originalKafkaOffset: Int64) {
            self.topic = topic
            self.kafkaPartition = kafkaPartition
            self.kafkaOffset = kafkaOffset
            self.keySchema = keySchema
            self.key = key
            self.valueSchema = valueSchema
            self.value = value
            self.timestamp = timestamp
            self.timestampType = timestampType
            self.headers = headers
            self.originalTopic = originalTopic
            self.originalKafkaPartition = originalKafkaPartition
            self.originalKafkaOffset = originalKafkaOffset
        }

        func copy() -> Box {
            Box(topic: topic, kafkaPartition: kafkaPartition, kafkaOffset: kafkaOffset, keySchema: keySchema, key: key,
                valueSchema: valueSchema, value: value, timestamp: timestamp, timestampType: timestampType, headers: headers,
                originalTopic: originalTopic, originalKafkaPartition: originalKafkaPartition, originalKafkaOffset: originalKafkaOffset)
        }
    }

    private var box: Box

    /// The box, copied first when another record shares it (copy on write).
    private var unique: Box {
        mutating get {
            if !isKnownUniquelyReferenced(&box) { box = box.copy() }
            return box
        }
    }

    public var topic: String {
        get { box.topic }
        _modify { yield &unique.topic }
    }
    public var kafkaPartition: Int32? {
        get { box.kafkaPartition }
        _modify { yield &unique.kafkaPartition }
    }
    public var kafkaOffset: Int64 {
        get { box.kafkaOffset }
        _modify { yield &unique.kafkaOffset }
    }
    public var keySchema: Schema? {
        get { box.keySchema }
        _modify { yield &unique.keySchema }
    }
    public var key: Value {
        get { box.key }
        _modify { yield &unique.key }
    }
    public var valueSchema: Schema? {
        get { box.valueSchema }
        _modify { yield &unique.valueSchema }
    }
    public var value: Value {
        get { box.value }
        _modify { yield &unique.value }
    }
    public var timestamp: Int64? {
        get { box.timestamp }
        _modify { yield &unique.timestamp }
    }
    public var timestampType: TimestampType {
        get { box.timestampType }
        _modify { yield &unique.timestampType }
    }
    public var headers: Headers {
        get { box.headers }
        _modify { yield &unique.headers }
    }
    /// The record as it was read from Kafka (before conversion and transforms), for error reporting and the DLQ.
    public var originalTopic: String {
        get { box.originalTopic }
        _modify { yield &unique.originalTopic }
    }
    public var originalKafkaPartition: Int32 {
        get { box.originalKafkaPartition }
        _modify { yield &unique.originalKafkaPartition }
    }
    public var originalKafkaOffset: Int64 {
        get { box.originalKafkaOffset }
        _modify { yield &unique.originalKafkaOffset }
    }

    public init(
        topic: String, partition: Int32, keySchema: Schema? = nil, key: Value = .null, valueSchema: Schema?,
        value: Value, kafkaOffset: Int64, timestamp: Int64? = nil, timestampType: TimestampType = .createTime,
        headers: Headers = Headers()
    ) {
        box = Box(topic: topic, kafkaPartition: partition, kafkaOffset: kafkaOffset, keySchema: keySchema, key: key,
                  valueSchema: valueSchema, value: value, timestamp: timestamp, timestampType: timestampType, headers: headers,
                  originalTopic: topic, originalKafkaPartition: partition, originalKafkaOffset: kafkaOffset)
    }

    public static func == (a: SinkRecord, b: SinkRecord) -> Bool {
        if a.box === b.box { return true }
        return a.topic == b.topic && a.kafkaPartition == b.kafkaPartition && a.kafkaOffset == b.kafkaOffset
            && a.keySchema == b.keySchema && a.key == b.key && a.valueSchema == b.valueSchema && a.value == b.value
            && a.timestamp == b.timestamp && a.timestampType == b.timestampType && a.headers == b.headers
            && a.originalTopic == b.originalTopic && a.originalKafkaPartition == b.originalKafkaPartition
            && a.originalKafkaOffset == b.originalKafkaOffset
    }

    public func hash(into h: inout Hasher) {
        h.combine(topic)
        h.combine(kafkaPartition)
        h.combine(kafkaOffset)
        h.combine(keySchema)
        h.combine(key)
        h.combine(valueSchema)
        h.combine(value)
        h.combine(timestamp)
        h.combine(timestampType)
        h.combine(headers)
        h.combine(originalTopic)
        h.combine(originalKafkaPartition)
        h.combine(originalKafkaOffset)
    }
}
