import SluiceAPI
import Testing
@testable import Transforms

@Suite struct ExtractFieldTests {
    /// Documented example: `field=id` on `{"id": 42, "name": "..."}` → `42`.
    @Test func documentedSchemaless() throws {
        let t = try TestRecords.configured(ExtractField(.key), ["field": "id"])
        let r = TestRecords.sink(key: TestRecords.map(["id": .int64(42), "name": .string("Sam")]), schema: nil, value: .string("v"))
        let out = try #require(try t.apply(r))
        #expect(out.key == .int64(42))
        #expect(out.keySchema == nil)
        #expect(out.value == .string("v"))
    }

    @Test func withSchemaReturnsFieldSchema() throws {
        let schema = SchemaBuilder.struct().field("id", .int32).field("name", .optionalString).build()
        let t = try TestRecords.configured(ExtractField(.value), ["field": "name"])
        let out = try #require(try t.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["id": .int32(1), "name": .string("Ann")]))))
        #expect(out.valueSchema == .optionalString)
        #expect(out.value == .string("Ann"))
    }

    @Test func nullValuePassesWithFieldSchema() throws {
        let schema = SchemaBuilder.struct().optional().field("id", .int32).build()
        let t = try TestRecords.configured(ExtractField(.value), ["field": "id"])
        let out = try #require(try t.apply(TestRecords.sink(schema: schema, value: .null)))
        #expect(out.value == .null && out.valueSchema == .int32)
        let schemaless = try #require(try t.apply(TestRecords.sink(schema: nil, value: .null)))
        #expect(schemaless.value == .null)
    }

    @Test func nestedPathsWithSyntaxV2() throws {
        let inner = SchemaBuilder.struct().optional().field("zip", .string).field("a.b", .int32).build()
        let schema = SchemaBuilder.struct().field("address", inner).field("address.zip", .string).build()
        let value = TestRecords.structValue(schema, [
            "address": .structure(Struct(schema: inner, values: [.string("10115"), .int32(7)])), "address.zip": .string("flat"),
        ])
        let v2 = try TestRecords.configured(ExtractField(.value), ["field": "address.zip", "field.syntax.version": "V2"])
        let out = try #require(try v2.apply(TestRecords.sink(schema: schema, value: value)))
        #expect(out.value == .string("10115") && out.valueSchema == .string)
        let quoted = try TestRecords.configured(ExtractField(.value), ["field": "address.`a.b`", "field.syntax.version": "v2"])
        #expect(try quoted.apply(TestRecords.sink(schema: schema, value: value))?.value == .int32(7))
        // V1 (the default) reads the dotted name literally.
        let v1 = try TestRecords.configured(ExtractField(.value), ["field": "address.zip"])
        #expect(try v1.apply(TestRecords.sink(schema: schema, value: value))?.value == .string("flat"))

        let map = TestRecords.map(["address": TestRecords.map(["zip": .string("75001")])])
        #expect(try v2.apply(TestRecords.sink(schema: nil, value: map))?.value == .string("75001"))
        #expect(try v2.apply(TestRecords.sink(schema: nil, value: TestRecords.map(["other": .int64(1)])))?.value == .null)
    }

    @Test func fieldPathV2Parsing() throws {
        #expect(try FieldPath("a.b.c", version: .v2).steps == ["a", "b", "c"])
        #expect(try FieldPath("`a.b`.c", version: .v2).steps == ["a.b", "c"])
        #expect(try FieldPath("a.`b\\`.c`", version: .v2).steps == ["a", "b`.c"])
        #expect(try FieldPath("a.", version: .v2).steps == ["a", ""])
        #expect(try FieldPath("a.b", version: .v1).steps == ["a.b"])
        #expect(TestRecords.connectError { _ = try FieldPath("`a.b", version: .v2) }?.message.contains("Incomplete backtick pair") == true)
    }

    @Test func errors() throws {
        let schema = SchemaBuilder.struct().field("id", .int32).build()
        let t = try TestRecords.configured(ExtractField(.value), ["field": "missing"])
        let unknown = TestRecords.connectError { _ = try t.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["id": .int32(1)]))) }
        #expect(unknown?.message == "Unknown field: missing")
        let wrongType = TestRecords.connectError { _ = try t.apply(TestRecords.sink(schema: nil, value: .int64(5))) }
        #expect(wrongType?.message == "Only Map objects supported in absence of schema for [field extraction], found: Long")
        #expect(TestRecords.connectError { _ = try TestRecords.configured(ExtractField(.value), [:]) }?.message.contains("\"field\"") == true)
        let badVersion = TestRecords.connectError { _ = try TestRecords.configured(ExtractField(.value), ["field": "a", "field.syntax.version": "V3"]) }
        #expect(badVersion?.message.contains("field.syntax.version") == true)
    }
}
