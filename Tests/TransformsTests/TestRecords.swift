import SluiceAPI
@testable import Transforms

/// Builders for the records the transform tests feed in.
enum TestRecords {
    static func sink(
        topic: String = "test", partition: Int32 = 0, offset: Int64 = 42, keySchema: Schema? = nil, key: Value = .null,
        schema: Schema?, value: Value, timestamp: Int64? = 1_483_425_001_864, headers: Headers = Headers()
    ) -> SinkRecord {
        SinkRecord(
            topic: topic, partition: partition, keySchema: keySchema, key: key, valueSchema: schema, value: value,
            kafkaOffset: offset, timestamp: timestamp, headers: headers)
    }

    static func source(
        topic: String = "test", partition: Int32? = nil, keySchema: Schema? = nil, key: Value = .null, schema: Schema?,
        value: Value, timestamp: Int64? = nil, headers: Headers = Headers()
    ) -> SourceRecord {
        SourceRecord(
            sourcePartition: ["file": .string("a.txt")], sourceOffset: ["position": .int(7)], topic: topic,
            kafkaPartition: partition, keySchema: keySchema, key: key, valueSchema: schema, value: value,
            timestamp: timestamp, headers: headers)
    }

    /// A schemaless map value, entries in the order given.
    static func map(_ pairs: KeyValuePairs<String, Value>) -> Value {
        .map(pairs.map { MapEntry(.string($0.key), $0.value) })
    }

    /// A struct value built from (name, value) pairs in the schema's field order.
    static func structValue(_ schema: Schema, _ pairs: KeyValuePairs<String, Value>) -> Value {
        var s = Struct(schema: schema)
        for (k, v) in pairs { s[schema.field(k)!.index] = v }
        return .structure(s)
    }

    static func configured<T: Transformation>(_ t: T, _ props: [String: String]) throws -> T {
        try t.configure(props)
        return t
    }

    static func configured<P: Predicate>(_ p: P, _ props: [String: String]) throws -> P {
        try p.configure(props)
        return p
    }

    /// Runs `body`, returning the ConnectError it threw (nil if none or another error).
    static func connectError(_ body: () throws -> Void) -> ConnectError? {
        do { try body() } catch let e as ConnectError { return e } catch { return nil }
        return nil
    }
}

extension Value {
    /// The struct field `name`, for assertions.
    subscript(field name: String) -> Value? { structValue?[name] }
}
