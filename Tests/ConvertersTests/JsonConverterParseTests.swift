import SluiceAPI
import Testing

@testable import Converters

/// Parsing JSON as Kafka's own JsonConverterTest feeds it: spaces, members in any order, metadata, defaults.
@Suite struct JsonConverterParseTests {
    let converter: JsonConverter

    init() throws {
        converter = try Golden.converter([:])
    }

    func parse(_ text: String, _ c: JsonConverter? = nil) throws -> SchemaAndValue {
        try (c ?? converter).toConnectData(topic: "topic", headers: nil, value: text.bytes)
    }

    @Test func schemaMetadata() throws {
        #expect(try parse(#"{ "schema": { "type": "boolean" }, "payload": true }"#) == SchemaAndValue(schema: .boolean, value: .boolean(true)))
        #expect(try parse(#"{ "schema": { "type": "boolean", "optional": true }, "payload": null }"#) == SchemaAndValue(schema: .optionalBoolean, value: .null))
        let withDefault = SchemaBuilder(type: .boolean).defaultValue(.boolean(true)).build()
        #expect(try parse(#"{ "schema": { "type": "boolean", "default": true }, "payload": null }"#) == SchemaAndValue(schema: withDefault, value: .boolean(true)))
        let meta = SchemaBuilder(type: .boolean).name("bool").version(2).doc("the documentation").parameter("foo", "bar").build()
        let got = try parse(#"{ "schema": { "type": "boolean", "optional": false, "name": "bool", "version": 2, "doc": "the documentation", "parameters": { "foo": "bar" }}, "payload": true }"#)
        #expect(got == SchemaAndValue(schema: meta, value: .boolean(true)))
    }

    @Test func primitives() throws {
        #expect(try parse(#"{ "schema": { "type": "int8" }, "payload": 12 }"#).value == .int8(12))
        #expect(try parse(#"{ "schema": { "type": "int16" }, "payload": 12 }"#).value == .int16(12))
        #expect(try parse(#"{ "schema": { "type": "int32" }, "payload": 12 }"#).value == .int32(12))
        #expect(try parse(#"{ "schema": { "type": "int64" }, "payload": 4398046511104 }"#).value == .int64(4_398_046_511_104))
        #expect(try parse(#"{ "schema": { "type": "float" }, "payload": 12.34 }"#).value == .float32(12.34))
        #expect(try parse(#"{ "schema": { "type": "double" }, "payload": 12.34 }"#).value == .float64(12.34))
        #expect(try parse(#"{ "schema": { "type": "double" }, "payload": 12 }"#).value == .float64(12))
        #expect(try parse(#"{ "schema": { "type": "bytes" }, "payload": "dGVzdC1zdHJpbmc=" }"#).value == .bytes("test-string".bytes))
        #expect(try parse(#"{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }"#).value == .string("foo-bar-baz"))
        #expect(try parse(#"{ "schema": { "type": "string" }, "payload": "esc\"\\\/\u00e9\ud83d\ude00\n" }"#).value == .string("esc\"\\/é😀\n"))
    }

    @Test func jacksonNumericCoercions() throws {
        // Jackson's intValue()/longValue(): fractions truncate, wider values wrap.
        #expect(try parse(#"{"schema":{"type":"int32"},"payload":12.9}"#).value == .int32(12))
        #expect(try parse(#"{"schema":{"type":"int8"},"payload":300}"#).value == .int8(44))
        #expect(try parse(#"{"schema":{"type":"int64"},"payload":-1.5e3}"#).value == .int64(-1500))
        #expect(try parse(#"{"schema":{"type":"int64"},"payload":18446744073709551617}"#).value == .int64(1))
    }

    @Test func containers() throws {
        #expect(try parse(#"{ "schema": { "type": "array", "items": { "type" : "int32" } }, "payload": [1, 2, 3] }"#)
            == SchemaAndValue(schema: SchemaBuilder.array(.int32).build(), value: .array([.int32(1), .int32(2), .int32(3)])))
        let m = try parse(#"{ "schema": { "type": "map", "keys": { "type" : "string" }, "values": { "type" : "int32" } }, "payload": { "key1": 12, "key2": 15} }"#)
        #expect(m.schema == SchemaBuilder.map(.string, .int32).build())
        #expect(m.value == .map([MapEntry(.string("key1"), .int32(12)), MapEntry(.string("key2"), .int32(15))]))
        let n = try parse(#"{ "schema": { "type": "map", "keys": { "type" : "int32" }, "values": { "type" : "int32" } }, "payload": [ [1, 12], [2, 15] ] }"#)
        #expect(n.value == .map([MapEntry(.int32(1), .int32(12)), MapEntry(.int32(2), .int32(15))]))
    }

    @Test func structsWithFieldBeforeType() throws {
        let got = try parse(#"{ "schema": { "type": "struct", "fields": [{ "field": "field1", "type": "boolean" }, { "field": "field2", "type": "string" }] }, "payload": { "field1": true, "field2": "string" } }"#)
        let schema = SchemaBuilder.struct().field("field1", .boolean).field("field2", .string).build()
        #expect(got == SchemaAndValue(schema: schema, value: .structure(Struct(schema: schema, values: [.boolean(true), .string("string")]))))
    }

    @Test func structMissingOptionalFieldAndKeysOutOfOrder() throws {
        let got = try parse(#"{ "schema": { "type": "struct", "fields": [{ "field":"optional", "type": "string", "optional": true }, {  "field": "required", "type": "string" }] }, "payload": { "unknown": [1, {"x": null}], "required": "required" } }"#)
        let schema = SchemaBuilder.struct().field("optional", .optionalString).field("required", .string).build()
        #expect(got.value == .structure(Struct(schema: schema, values: [.null, .string("required")])))
        // Payload before schema, keys in reverse order, escaped key spelling.
        let rev = try parse(#"{"payload":{"requ\u0069red":"r","optional":"o"},"schema":{"fields":[{"optional":true,"type":"string","field":"optional"},{"field":"required","type":"string"}],"type":"struct"}}"#)
        #expect(rev.value == .structure(Struct(schema: schema, values: [.string("o"), .string("r")])))
    }

    @Test func logicalTypes() throws {
        let dec = try parse(#"{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "2" } }, "payload": "AJw=" }"#)
        #expect(dec == SchemaAndValue(schema: Logical.decimal(scale: 2), value: .decimal(ConnectDecimal(unscaled: 156, scale: 2))))
        let numeric = try parse(#"{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "2" } }, "payload": 1.56 }"#)
        #expect(numeric.value == .decimal(ConnectDecimal(unscaled: 156, scale: 2)))
        let precise = try parse(#"{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "17" } }, "payload": 1.23456789123456789 }"#)
        #expect(precise.value == .decimal(ConnectDecimal("1.23456789123456789")!))
        let exp = try parse(#"{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "-2" } }, "payload": 1.5E+3 }"#)
        #expect(exp.value == .decimal(ConnectDecimal(unscaled: 15, scale: -2)))
        let optional = try parse(#"{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "optional": true, "parameters": { "scale": "2" } }, "payload": null }"#)
        #expect(optional.value == .null)
        #expect(optional.schema == Logical.decimal(scale: 2, optional: true))
        let withDefault = try parse(#"{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "default": "AJw=", "parameters": { "scale": "2" } }, "payload": null }"#)
        #expect(withDefault.value == .decimal(ConnectDecimal(unscaled: 156, scale: 2)))
        #expect(withDefault.schema?.defaultValue == .decimal(ConnectDecimal(unscaled: 156, scale: 2)))

        #expect(try parse(#"{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1 }, "payload": 10000 }"#) == SchemaAndValue(schema: Logical.date, value: .int32(10000)))
        #expect(try parse(#"{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Time", "version": 1 }, "payload": 14400000 }"#) == SchemaAndValue(schema: Logical.time, value: .int32(14_400_000)))
        #expect(try parse(#"{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1 }, "payload": 4000000000 }"#) == SchemaAndValue(schema: Logical.timestamp, value: .int64(4_000_000_000)))
        let tsDefault = try parse(#"{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1,  "optional": true, "default": 42 }, "payload": null }"#)
        #expect(tsDefault.value == .int64(42))
        let dateDefault = try parse(#"{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1, "default": 0 }, "payload": null }"#)
        #expect(dateDefault.value == .int32(0))
    }

    @Test func nullSchemaInfersTypes() throws {
        #expect(try parse(#"{ "schema": null, "payload": null }"#) == .null)
        #expect(try parse(#"{ "schema": null, "payload": true }"#) == SchemaAndValue(schema: nil, value: .boolean(true)))
        #expect(try parse(#"{ "schema": null, "payload": 12 }"#).value == .int64(12))
        #expect(try parse(#"{ "schema": null, "payload": 12.24 }"#).value == .float64(12.24))
        #expect(try parse(#"{ "schema": null, "payload": "a string" }"#).value == .string("a string"))
        #expect(try parse(#"{ "schema": null, "payload": [1, "2", 3] }"#).value == .array([.int64(1), .string("2"), .int64(3)]))
        #expect(try parse(#"{ "schema": null, "payload": { "field1": 1, "field2": 2} }"#).value
            == .map([MapEntry(.string("field1"), .int64(1)), MapEntry(.string("field2"), .int64(2))]))
    }

    @Test func schemalessMode() throws {
        let c = try Golden.converter(["schemas.enable": "false"])
        #expect(try parse("true", c) == SchemaAndValue(schema: nil, value: .boolean(true)))
        #expect(try parse(#"{ "a": "", "b": null}"#, c).value == .map([MapEntry(.string("a"), .string("")), MapEntry(.string("b"), .null)]))
        #expect(try parse("", c) == .null)
        #expect(try parse("  \n", c) == .null)
        // An envelope is just an object when schemas are disabled.
        #expect(try parse(#"{"schema":null,"payload":1}"#, c).value == .map([MapEntry(.string("schema"), .null), MapEntry(.string("payload"), .int64(1))]))
        let out = try c.fromConnectData(topic: "t", headers: nil, schema: nil, value: .boolean(true))
        #expect(out?.utf8Text == "true")
    }

    @Test func schemaCacheCountsDistinctSchemaBytes() throws {
        let c = try Golden.converter([:])
        #expect(c.cachedSchemaCounts.toConnect == 0)
        _ = try parse(#"{ "schema": { "type": "boolean" }, "payload": true }"#, c)
        #expect(c.cachedSchemaCounts.toConnect == 1)
        _ = try parse(#"{ "schema": { "type": "boolean" }, "payload": true }"#, c)
        #expect(c.cachedSchemaCounts.toConnect == 1)
        _ = try parse(#"{ "schema": { "type": "boolean", "optional": true }, "payload": true }"#, c)
        #expect(c.cachedSchemaCounts.toConnect == 2)
        _ = try parse(#"{ "schema": { "type": "boolean", "optional": false }, "payload": true }"#, c)
        #expect(c.cachedSchemaCounts.toConnect == 3)
    }

    @Test func schemaCacheIsBounded() throws {
        let c = try Golden.converter(["schemas.cache.size": "2"])
        for i in 0..<5 {
            _ = try parse(#"{"schema":{"type":"int32","name":"n\#(i)"},"payload":\#(i)}"#, c)
            _ = try c.fromConnectData(topic: "t", headers: nil, schema: SchemaBuilder(type: .int32).name("n\(i)").build(), value: .int32(1))
        }
        #expect(c.cachedSchemaCounts.toConnect == 2)
        #expect(c.cachedSchemaCounts.fromConnect == 2)
        // Evicted schemas still convert correctly.
        #expect(try parse(#"{"schema":{"type":"int32","name":"n0"},"payload":7}"#, c).value == .int32(7))
    }

    @Test func outgoingCacheIsStructural() throws {
        let c = try Golden.converter([:])
        _ = try c.fromConnectData(topic: "t", headers: nil, schema: SchemaBuilder(type: .boolean).build(), value: .boolean(true))
        _ = try c.fromConnectData(topic: "t", headers: nil, schema: SchemaBuilder(type: .boolean).build(), value: .boolean(true))
        #expect(c.cachedSchemaCounts.fromConnect == 1)
        _ = try c.fromConnectData(topic: "t", headers: nil, schema: SchemaBuilder(type: .boolean).optional().build(), value: .boolean(true))
        #expect(c.cachedSchemaCounts.fromConnect == 2)
    }
}

@Suite struct JsonConverterInputQuirksTests {
    @Test func byteOrderMarkIsSkipped() throws {
        let c = try Golden.converter([:])
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + #"{"schema":{"type":"int32"},"payload":5}"#.bytes
        #expect(try c.toConnectData(topic: "t", headers: nil, value: bytes).value == .int32(5))
    }

    @Test func duplicateMembersLastWins() throws {
        let c = try Golden.converter([:])
        let text = #"{"schema":{"type":"string"},"payload":1,"schema":{"type":"int32"},"payload":2}"#
        #expect(try c.toConnectData(topic: "t", headers: nil, value: text.bytes) == SchemaAndValue(schema: .int32, value: .int32(2)))
        let s = SchemaBuilder.struct().field("a", .int32).build()
        let dup = #"{"schema":{"type":"struct","fields":[{"field":"a","type":"int32"}]},"payload":{"a":1,"a":3}}"#
        #expect(try c.toConnectData(topic: "t", headers: nil, value: dup.bytes).value == .structure(Struct(schema: s, values: [.int32(3)])))
    }
}
