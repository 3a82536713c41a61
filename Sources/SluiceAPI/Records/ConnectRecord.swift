/// What every record has, source or sink (`org.apache.kafka.connect.connector.ConnectRecord`).
///
/// Transformations are written against this protocol and return the same concrete type, so a transformed
/// `SourceRecord` keeps its source partition and offset and a `SinkRecord` its Kafka offset — as `newRecord` does in Java.
public protocol ConnectRecord: Sendable {
    var topic: String { get set }
    var kafkaPartition: Int32? { get set }
    var keySchema: Schema? { get set }
    var key: Value { get set }
    var valueSchema: Schema? { get set }
    var value: Value { get set }
    /// Epoch milliseconds, or nil to let the producer/broker decide.
    var timestamp: Int64? { get set }
    var headers: Headers { get set }
}

extension ConnectRecord {
    /// A tombstone has a null value (its schema may be set or not).
    public var isTombstone: Bool { value.isNull }
}
