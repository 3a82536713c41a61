/// A record produced by a source task, carrying where it came from so the runtime can commit the offset once
/// Kafka acknowledged it (`org.apache.kafka.connect.source.SourceRecord`).
///
/// A value type whose fields live in one shared, copy-on-write box: a record is copied several times on its way
/// (the poll's array, the producer or direct bus, the acknowledgement), and an inline struct of ten fields cost
/// seven reference-count updates per copy and as many per destroy — in a direct pipeline, on counters shared by
/// four threads (a third of the worker's CPU in `swift_retain`/`swift_release`). Boxed, a copy is one update, and
/// the first mutation of a shared record copies the box, so value semantics are unchanged. Fields are modified in
/// place (`_modify`), so `record.headers.add(...)` does not copy the header list first.
public struct SourceRecord: ConnectRecord, Hashable {
    final class Box: @unchecked Sendable {
        var sourcePartition: [String: JSONValue]
        var sourceOffset: [String: JSONValue]
        var topic: String
        var kafkaPartition: Int32?
        var keySchema: Schema?
        var key: Value
        var valueSchema: Schema?
        var value: Value
        var timestamp: Int64?
        var headers: Headers

        init(sourcePartition: [String: JSONValue], sourceOffset: [String: JSONValue], topic: String, kafkaPartition: Int32?,
             keySchema: Schema?, key: Value, valueSchema: Schema?, value: Value, timestamp: Int64?, headers: Headers) {
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

        func copy() -> Box {
            Box(sourcePartition: sourcePartition, sourceOffset: sourceOffset, topic: topic, kafkaPartition: kafkaPartition,
                keySchema: keySchema, key: key, valueSchema: valueSchema, value: value, timestamp: timestamp, headers: headers)
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

    public var sourcePartition: [String: JSONValue] {
        get { box.sourcePartition }
        _modify { yield &unique.sourcePartition }
    }
    public var sourceOffset: [String: JSONValue] {
        get { box.sourceOffset }
        _modify { yield &unique.sourceOffset }
    }
    public var topic: String {
        get { box.topic }
        _modify { yield &unique.topic }
    }
    public var kafkaPartition: Int32? {
        get { box.kafkaPartition }
        _modify { yield &unique.kafkaPartition }
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
    public var headers: Headers {
        get { box.headers }
        _modify { yield &unique.headers }
    }

    public init(
        sourcePartition: [String: JSONValue], sourceOffset: [String: JSONValue], topic: String,
        kafkaPartition: Int32? = nil, keySchema: Schema? = nil, key: Value = .null, valueSchema: Schema?,
        value: Value, timestamp: Int64? = nil, headers: Headers = Headers()
    ) {
        box = Box(sourcePartition: sourcePartition, sourceOffset: sourceOffset, topic: topic, kafkaPartition: kafkaPartition,
                  keySchema: keySchema, key: key, valueSchema: valueSchema, value: value, timestamp: timestamp, headers: headers)
    }

    public static func == (a: SourceRecord, b: SourceRecord) -> Bool {
        if a.box === b.box { return true }
        return a.sourcePartition == b.sourcePartition && a.sourceOffset == b.sourceOffset && a.topic == b.topic
            && a.kafkaPartition == b.kafkaPartition && a.keySchema == b.keySchema && a.key == b.key
            && a.valueSchema == b.valueSchema && a.value == b.value && a.timestamp == b.timestamp && a.headers == b.headers
    }

    public func hash(into h: inout Hasher) {
        h.combine(sourcePartition)
        h.combine(sourceOffset)
        h.combine(topic)
        h.combine(kafkaPartition)
        h.combine(keySchema)
        h.combine(key)
        h.combine(valueSchema)
        h.combine(value)
        h.combine(timestamp)
        h.combine(headers)
    }
}
