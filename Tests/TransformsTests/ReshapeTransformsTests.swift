import SluiceAPI
import Testing
@testable import Transforms

/// HoistField, ValueToKey, ReplaceField, MaskField and SetSchemaMetadata.
@Suite struct ReshapeTransformsTests {
    /// Documented example: `field=line` hoists `"hello"` into `{"line": "hello"}`.
    @Test func hoistField() throws {
        let t = try TestRecords.configured(HoistField(.value), ["field": "line"])
        let plain = try #require(try t.apply(TestRecords.sink(schema: nil, value: .string("hello"))))
        #expect(plain.value == TestRecords.map(["line": .string("hello")]))
        let typed = try #require(try t.apply(TestRecords.sink(schema: .int32, value: .int32(42))))
        #expect(typed.valueSchema == SchemaBuilder.struct().field("line", .int32).build())
        #expect(typed.value[field: "line"] == .int32(42))
        #expect(TestRecords.connectError { _ = try TestRecords.configured(HoistField(.value), [:]) }?.message.contains("\"field\"") == true)
    }

    /// Kafka ValueToKeyTest: `fields=a,b` on `{a:1, b:2, c:3}`.
    @Test func valueToKey() throws {
        let t = try TestRecords.configured(ValueToKey(), ["fields": "a,b"])
        let schemaless = try #require(try t.apply(TestRecords.sink(schema: nil, value: TestRecords.map(["a": .int64(1), "b": .int64(2), "c": .int64(3)]))))
        #expect(schemaless.key == TestRecords.map(["a": .int64(1), "b": .int64(2)]))
        let schema = SchemaBuilder.struct().field("a", .int32).field("b", .int32).field("c", .int32).build()
        let typed = try #require(try t.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["a": .int32(1), "b": .int32(2), "c": .int32(3)]))))
        let keySchema = SchemaBuilder.struct().field("a", .int32).field("b", .int32).build()
        #expect(typed.keySchema == keySchema)
        #expect(typed.key == TestRecords.structValue(keySchema, ["a": .int32(1), "b": .int32(2)]))
        let missing = try TestRecords.configured(ValueToKey(), ["fields": "a,zz"])
        let e = TestRecords.connectError { _ = try missing.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["a": .int32(1)]))) }
        #expect(e?.message == "Field does not exist: zz")
    }

    /// Kafka ReplaceFieldTest: exclude `dont`, renames `abc:xyz,foo:bar`.
    @Test func replaceField() throws {
        let t = try TestRecords.configured(ReplaceField(.value), ["exclude": "dont", "renames": "abc:xyz,foo:bar"])
        let value = TestRecords.map(["dont": .string("whatever"), "abc": .int64(42), "foo": .boolean(true), "etc": .string("etc")])
        let out = try #require(try t.apply(TestRecords.sink(schema: nil, value: value)))
        #expect(out.value == TestRecords.map(["xyz": .int64(42), "bar": .boolean(true), "etc": .string("etc")]))

        let schema = SchemaBuilder.struct().name("n").field("dont", .string).field("abc", .int32).field("foo", .boolean).field("etc", .string).build()
        let include = try TestRecords.configured(ReplaceField(.value), ["include": "abc,foo", "renames": "abc:xyz,foo:bar"])
        let typed = try #require(try include.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, [
            "dont": .string("x"), "abc": .int32(42), "foo": .boolean(true), "etc": .string("e"),
        ]))))
        #expect(typed.valueSchema?.fields.map(\.name) == ["xyz", "bar"])
        #expect(typed.valueSchema?.name == "n")
        #expect(typed.value[field: "xyz"] == .int32(42) && typed.value[field: "bar"] == .boolean(true))
    }

    @Test func replaceFieldLegacyKeysAndErrors() throws {
        let legacy = try TestRecords.configured(ReplaceField(.value), ["blacklist": "a", "whitelist": "a,b"])
        let out = try #require(try legacy.apply(TestRecords.sink(schema: nil, value: TestRecords.map(["a": .int64(1), "b": .int64(2), "c": .int64(3)]))))
        #expect(out.value == TestRecords.map(["b": .int64(2)]))
        let bad = TestRecords.connectError { _ = try TestRecords.configured(ReplaceField(.value), ["renames": "a:b:c"]) }
        #expect(bad?.message.contains("renames") == true && bad?.message.contains("Invalid rename mapping: a:b:c") == true)
    }

    /// Kafka MaskFieldTest: every type masked to its empty value; a custom replacement for numbers and strings.
    @Test func maskField() throws {
        let schema = SchemaBuilder.struct()
            .field("magic", .int32).field("bool", .boolean).field("byte", .int8).field("long", .int64).field("float", .float32)
            .field("string", .string).field("bytes", .bytes).field("decimal", Logical.decimal(scale: 2))
            .field("array", SchemaBuilder.array(.int32).build()).field("date", Logical.date).build()
        let value = TestRecords.structValue(schema, [
            "magic": .int32(42), "bool": .boolean(true), "byte": .int8(1), "long": .int64(1234), "float": .float32(1.5),
            "string": .string("secret"), "bytes": .bytes([1, 2]), "decimal": .decimal(ConnectDecimal(unscaled: 4200, scale: 2)),
            "array": .array([.int32(1)]), "date": .int32(17169),
        ])
        let all = "bool,byte,long,float,string,bytes,decimal,array,date"
        let t = try TestRecords.configured(MaskField(.value), ["fields": all])
        let out = try #require(try t.apply(TestRecords.sink(schema: schema, value: value)))
        #expect(out.value == TestRecords.structValue(schema, [
            "magic": .int32(42), "bool": .boolean(false), "byte": .int8(0), "long": .int64(0), "float": .float32(0),
            "string": .string(""), "bytes": .bytes([]), "decimal": .decimal(ConnectDecimal(unscaled: 0, scale: 2)),
            "array": .array([]), "date": .int32(0),
        ]))

        let custom = try TestRecords.configured(MaskField(.value), ["fields": "ssn,age", "replacement": "123"])
        let masked = try #require(try custom.apply(TestRecords.sink(schema: nil, value: TestRecords.map(["ssn": .string("078-05-1120"), "age": .int64(52)]))))
        #expect(masked.value == TestRecords.map(["ssn": .string("123"), "age": .int64(123)]))

        let wordy = try TestRecords.configured(MaskField(.value), ["fields": "age", "replacement": "****"])
        let e = TestRecords.connectError { _ = try wordy.apply(TestRecords.sink(schema: nil, value: TestRecords.map(["age": .int64(52)]))) }
        #expect(e?.message == "Unable to convert **** (Long) to number")
        let boolean = TestRecords.connectError { _ = try wordy.apply(TestRecords.sink(schema: nil, value: TestRecords.map(["age": .boolean(true)]))) }
        #expect(boolean?.message == "Cannot mask value of type Boolean with custom replacement.")
        #expect(TestRecords.connectError { _ = try TestRecords.configured(MaskField(.value), ["fields": "a", "replacement": ""]) }?.message.contains("replacement") == true)
    }

    /// Kafka SetSchemaMetadataTest: `schema.name=foo`, `schema.version=42`.
    @Test func setSchemaMetadata() throws {
        let t = try TestRecords.configured(SetSchemaMetadata(.value), ["schema.name": "foo", "schema.version": "42"])
        let schema = SchemaBuilder.struct().name("old").field("a", .int32).build()
        let out = try #require(try t.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["a": .int32(1)]))))
        #expect(out.valueSchema?.name == "foo" && out.valueSchema?.version == 42)
        #expect(out.value.structValue?.schema === out.valueSchema)
        #expect(out.value[field: "a"] == .int32(1))
        let keyOnly = try TestRecords.configured(SetSchemaMetadata(.key), ["schema.name": "k"])
        let key = try #require(try keyOnly.apply(TestRecords.sink(keySchema: .int64, key: .int64(1), schema: nil, value: .null)))
        #expect(key.keySchema?.name == "k" && key.keySchema?.type == .int64)

        #expect(TestRecords.connectError { _ = try TestRecords.configured(SetSchemaMetadata(.value), [:]) }?.message == "Neither schema name nor version configured: set schema.name and/or schema.version")
        let version = TestRecords.connectError { _ = try TestRecords.configured(SetSchemaMetadata(.value), ["schema.version": "x"]) }
        #expect(version?.message.contains("schema.version") == true)
        let noSchema = TestRecords.connectError { _ = try t.apply(TestRecords.sink(schema: nil, value: .string("x"))) }
        #expect(noSchema?.message == "Schema required for [updating schema metadata]")
    }
}
