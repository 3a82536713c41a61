import SluiceAPI
import Testing
@testable import Transforms

@Suite struct InsertFieldTests {
    static let props = [
        "topic.field": "topic_field!", "partition.field": "partition_field", "offset.field": "offset_field!",
        "timestamp.field": "timestamp_field?", "static.field": "instance_id", "static.value": "my-instance-id",
    ]

    /// Kafka InsertFieldTest.schemaful: every kind of field on a sink record.
    @Test func schemafulSinkRecord() throws {
        let t = try TestRecords.configured(InsertField(.value), Self.props)
        let schema = SchemaBuilder.struct().name("name").version(1).doc("doc").field("magic", .optionalInt64).build()
        let record = TestRecords.sink(topic: "test", partition: 0, offset: 0, schema: schema,
                                      value: TestRecords.structValue(schema, ["magic": .int64(42)]), timestamp: 1_483_425_001_864)
        let out = try #require(try t.apply(record))
        let s = try #require(out.valueSchema)
        #expect(s.name == "name" && s.version == 1 && s.doc == "doc")
        #expect(s.fields.map(\.name) == ["magic", "topic_field", "partition_field", "offset_field", "timestamp_field", "instance_id"])
        #expect(s.field("topic_field")?.schema == .string)
        #expect(s.field("partition_field")?.schema == .optionalInt32)
        #expect(s.field("offset_field")?.schema == .int64)
        #expect(s.field("timestamp_field")?.schema == Logical.optionalTimestamp)
        #expect(s.field("instance_id")?.schema == .optionalString)
        let v = out.value
        #expect(v[field: "magic"] == .int64(42))
        #expect(v[field: "topic_field"] == .string("test"))
        #expect(v[field: "partition_field"] == .int32(0))
        #expect(v[field: "offset_field"] == .int64(0))
        #expect(v[field: "timestamp_field"] == .int64(1_483_425_001_864))
        #expect(v[field: "instance_id"] == .string("my-instance-id"))
        try v.structValue?.validate()
        // Same input schema → the cached output schema instance.
        #expect(try t.apply(record)?.valueSchema === s)
    }

    /// Kafka InsertFieldTest.schemaless.
    @Test func schemalessSinkRecord() throws {
        let t = try TestRecords.configured(InsertField(.value), Self.props)
        let out = try #require(try t.apply(TestRecords.sink(partition: 0, offset: 0, schema: nil, value: TestRecords.map(["magic": .int64(42)]))))
        #expect(out.value == TestRecords.map([
            "magic": .int64(42), "topic_field": .string("test"), "partition_field": .int32(0), "offset_field": .int64(0),
            "timestamp_field": .int64(1_483_425_001_864), "instance_id": .string("my-instance-id"),
        ]))
    }

    /// Kafka docs: `static.field=data_source`, `static.value=test-file-source` on a source record.
    @Test func staticFieldOnSourceRecordKeepsSourceOffsets() throws {
        let t = try TestRecords.configured(InsertField(.value), ["static.field": "data_source", "static.value": "test-file-source"])
        let out = try #require(try t.apply(TestRecords.source(schema: nil, value: TestRecords.map(["line": .string("hello")]))))
        #expect(out.value == TestRecords.map(["line": .string("hello"), "data_source": .string("test-file-source")]))
        #expect(out.sourceOffset == ["position": .int(7)])
    }

    @Test func tombstonePassesThrough() throws {
        let t = try TestRecords.configured(InsertField(.value), Self.props)
        let tombstone = TestRecords.sink(schema: SchemaBuilder.struct().optional().build(), value: .null)
        #expect(try t.apply(tombstone) == tombstone)
    }

    @Test func errors() throws {
        let none = TestRecords.connectError { _ = try TestRecords.configured(InsertField(.value), [:]) }
        #expect(none?.message == "No field insertion configured: set at least one of topic.field, partition.field, offset.field, timestamp.field, static.field")
        let noValue = TestRecords.connectError { _ = try TestRecords.configured(InsertField(.value), ["static.field": "s"]) }
        #expect(noValue?.message == "No value specified for static field: s")
        let t = try TestRecords.configured(InsertField(.value), ["offset.field": "offset"])
        let source = TestRecords.connectError { _ = try t.apply(TestRecords.source(schema: nil, value: TestRecords.map(["a": .int64(1)]))) }
        #expect(source?.message.hasPrefix("Only SinkRecord supported for [field insertion]") == true)
        let required = try TestRecords.configured(InsertField(.value), ["timestamp.field": "ts!"])
        let schema = SchemaBuilder.struct().field("a", .int32).build()
        let missingTs = TestRecords.connectError {
            _ = try required.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["a": .int32(1)]), timestamp: nil))
        }
        #expect(missingTs?.message.contains("null used for required field: \"ts\"") == true)
        let dup = try TestRecords.configured(InsertField(.value), ["topic.field": "a"])
        let duplicate = TestRecords.connectError {
            _ = try dup.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["a": .int32(1)])))
        }
        #expect(duplicate?.message.contains("duplication a") == true)
    }
}
