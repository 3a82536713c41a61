import SluiceAPI
import Testing
@testable import Transforms

@Suite struct FlattenTests {
    /// Documented example: `{"content": {"id": 42, "name": {"first": "David", "middle": null, "last": "Wong"}}}` →
    /// `{"content.id": 42, "content.name.first": "David", "content.name.middle": null, "content.name.last": "Wong"}`.
    @Test func documentedSchemaless() throws {
        let t = try TestRecords.configured(Flatten(.value), [:])
        let value = TestRecords.map([
            "content": TestRecords.map([
                "id": .int64(42),
                "name": TestRecords.map(["first": .string("David"), "middle": .null, "last": .string("Wong")]),
            ])
        ])
        let out = try #require(try t.apply(TestRecords.sink(schema: nil, value: value)))
        #expect(out.value == TestRecords.map([
            "content.id": .int64(42), "content.name.first": .string("David"), "content.name.middle": .null,
            "content.name.last": .string("Wong"),
        ]))
    }

    @Test func withSchemaAndDelimiter() throws {
        let name = SchemaBuilder.struct().optional().field("first", .string).field("last", .string).build()
        let content = SchemaBuilder.struct().field("id", .int32).field("name", name).field("tags", SchemaBuilder.array(.string).build()).build()
        let schema = SchemaBuilder.struct().name("person").field("content", content).build()
        let value = TestRecords.structValue(schema, [
            "content": .structure(Struct(schema: content, values: [
                .int32(42), .structure(Struct(schema: name, values: [.string("David"), .string("Wong")])), .array([.string("a")]),
            ]))
        ])
        let t = try TestRecords.configured(Flatten(.value), ["delimiter": "_"])
        let out = try #require(try t.apply(TestRecords.sink(schema: schema, value: value)))
        let s = try #require(out.valueSchema)
        #expect(s.name == "person")
        #expect(s.fields.map(\.name) == ["content_id", "content_name_first", "content_name_last", "content_tags"])
        // Fields under the optional `name` struct become optional.
        #expect(s.field("content_name_first")?.schema == .optionalString)
        #expect(s.field("content_id")?.schema == .int32)
        #expect(out.value[field: "content_name_last"] == .string("Wong"))
        #expect(out.value[field: "content_tags"] == .array([.string("a")]))
        // A null optional struct flattens to null fields.
        let nullName = TestRecords.structValue(schema, [
            "content": .structure(Struct(schema: content, values: [.int32(1), .null, .array([])]))
        ])
        let out2 = try #require(try t.apply(TestRecords.sink(schema: schema, value: nullName)))
        #expect(out2.value[field: "content_name_first"] == .null)
        #expect(out2.valueSchema === out.valueSchema)
    }

    @Test func errorsAndTombstones() throws {
        let t = try TestRecords.configured(Flatten(.key), [:])
        let e = TestRecords.connectError { _ = try t.apply(TestRecords.sink(key: .string("k"), schema: nil, value: .null)) }
        #expect(e?.message == "Only Map objects supported in absence of schema for [flattening], found: String")
        let tombstone = TestRecords.sink(schema: nil, value: .null)
        let vt = try TestRecords.configured(Flatten(.value), [:])
        #expect(try vt.apply(tombstone) == tombstone)
    }
}
