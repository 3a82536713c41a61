import SluiceAPI
import Testing

@testable import SchemaRegistry

/// JsonSchemaConverter against an in-process registry: the registered JSON Schema (spec
/// avro-protobuf-converters.md "JsonSchemaConverter"), framing, and round trips.
@Suite struct JsonSchemaConverterTests {
    static func converter(_ reg: SchemaRegistryService, _ props: [String: String] = [:]) throws -> JsonSchemaConverter {
        let c = JsonSchemaConverter()
        var p = props
        p["schema.registry.url"] = "http://unused"
        p["converter.type"] = "value"
        c.configure(config: try AvroConverterConfig(p, isKey: false), isKey: false,
                    numericDecimals: p["decimal.format"] == "NUMERIC", client: reg)
        return c
    }

    static let customer = SchemaBuilder.struct().name("srv.inv.customers.Value")
        .field("id", .int32)
        .field("email", .optionalString)
        .field("score", .float64)
        .field("small", .int16)
        .field("raw", .bytes)
        .build()

    @Test func registersConfluentShapedSchemaAndFramesThePayload() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg)
        let v = Struct(schema: Self.customer, values: [.int32(7), .null, .float64(1.5), .int16(-2), .bytes([1, 2, 3])])
        let bytes = try #require(try c.fromConnectData(topic: "t", headers: nil, schema: Self.customer, value: .structure(v)))
        #expect(Array(bytes.prefix(5)) == [0, 0, 0, 0, 1])
        #expect(String(decoding: bytes.dropFirst(5), as: UTF8.self) == #"{"id":7,"email":null,"score":1.5,"small":-2,"raw":"AQID"}"#)
        let registered = try reg.latest(subject: "t-value")
        #expect(registered.schemaType == "JSON")
        #expect(registered.schema == #"{"type":"object","title":"srv.inv.customers.Value","properties":{"id":{"type":"integer","connect.index":0,"connect.type":"int32"},"email":{"oneOf":[{"type":"null"},{"type":"string"}],"connect.index":1},"score":{"type":"number","connect.index":2,"connect.type":"float64"},"small":{"type":"integer","connect.index":3,"connect.type":"int16"},"raw":{"type":"string","connect.index":4,"connect.type":"bytes"}}}"#)
        // Read back: same values, the schema rebuilt from the registered JSON Schema (version = registry version).
        let back = try c.toConnectData(topic: "t", headers: nil, value: bytes)
        let s = try #require(back.schema)
        #expect(s.name == "srv.inv.customers.Value" && s.version == 1)
        #expect(s.fields.map(\.name) == ["id", "email", "score", "small", "raw"])
        #expect(s.fields.map(\.schema.type) == [.int32, .string, .float64, .int16, .bytes])
        #expect(s.fields[1].schema.isOptional && !s.fields[0].schema.isOptional)
        #expect(back.value.structValue?.values == v.values)
        // Same schema again: same id, no new version.
        _ = try c.fromConnectData(topic: "t", headers: nil, schema: Self.customer, value: .structure(v))
        #expect(try reg.latest(subject: "t-value").version == 1)
        // Tombstones stay tombstones.
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: Self.customer.withOptional(true), value: .null) == nil)
        #expect(try c.toConnectData(topic: "t", headers: nil, value: nil).value == .null)
    }

    @Test func logicalTypesMapsArraysAndNestedOptionalStructs() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg)
        let inner = SchemaBuilder.struct().name("com.acme.Inner").field("x", .int64).optional().build()
        let s = SchemaBuilder.struct().name("com.acme.Payment").version(3).doc("A payment")
            .field("amount", Logical.decimal(scale: 2))
            .field("day", Logical.date)
            .field("tags", SchemaBuilder.array(.string).build())
            .field("counts", SchemaBuilder.map(.string, .int32).build())
            .field("byId", SchemaBuilder.map(.int32, .string).build())
            .field("inner", inner)
            .build()
        let v = Struct(schema: s, values: [
            .decimal(ConnectDecimal(unscaled: 12345, scale: 2)), .int32(19000), .array([.string("a"), .string("b")]),
            .map([MapEntry(.string("k"), .int32(1))]), .map([MapEntry(.int32(5), .string("five"))]),
            .structure(Struct(schema: inner, values: [.int64(9)])),
        ])
        let bytes = try #require(try c.fromConnectData(topic: "p", headers: nil, schema: s, value: .structure(v)))
        #expect(String(decoding: bytes.dropFirst(5), as: UTF8.self) == #"{"amount":"MDk=","day":19000,"tags":["a","b"],"counts":{"k":1},"byId":[{"key":5,"value":"five"}],"inner":{"x":9}}"#)
        let text = try reg.latest(subject: "p-value").schema
        #expect(text.hasPrefix(#"{"type":"object","title":"com.acme.Payment","description":"A payment","properties":{"amount":{"type":"number","title":"org.apache.kafka.connect.data.Decimal","connect.index":0,"connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}}"#))
        #expect(text.contains(#""counts":{"type":"object","additionalProperties":{"type":"integer","connect.type":"int32"},"connect.index":3,"connect.type":"map"}"#))
        #expect(text.contains(#""inner":{"oneOf":[{"type":"null"},{"type":"object","title":"com.acme.Inner","properties":{"x":{"type":"integer","connect.index":0,"connect.type":"int64"}}}],"connect.index":5}"#))
        #expect(text.hasSuffix(#""connect.version":3}"#))
        let back = try c.toConnectData(topic: "p", headers: nil, value: bytes)
        let rs = try #require(back.schema)
        #expect(rs.version == 3 && rs.doc == "A payment")
        #expect(rs.field("amount")?.schema.name == Logical.decimalName && Logical.scale(of: rs.field("amount")!.schema) == 2)
        #expect(rs.field("day")?.schema.name == Logical.dateName)
        #expect(rs.field("byId")?.schema.keySchema?.type == .int32)
        #expect(rs.field("inner")?.schema.isOptional == true)
        #expect(back.value.structValue?.values == v.values)
    }

    @Test func badPayloadsAreRecordErrors() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg)
        #expect(throws: ConnectError.self) { _ = try c.toConnectData(topic: "t", headers: nil, value: [1, 0, 0, 0, 1]) }
        #expect(throws: ConnectError.self) { _ = try c.toConnectData(topic: "t", headers: nil, value: [0, 0, 0]) }
        #expect(throws: ConnectError.self) { _ = try c.toConnectData(topic: "t", headers: nil, value: [0, 0, 0, 0, 9, 0x7B, 0x7D]) }
        // An Avro id read as JSON Schema.
        let id = try reg.register(subject: "a", schema: "\"string\"", schemaType: "AVRO")
        #expect(throws: ConnectError.self) { _ = try c.toConnectData(topic: "t", headers: nil, value: [0, 0, 0, 0, UInt8(id), 0x22, 0x22]) }
        #expect(throws: ConnectError.self) { _ = try c.fromConnectData(topic: "t", headers: nil, schema: nil, value: .string("x")) }
    }

    @Test func isListedWithTheConverters() {
        #expect(SchemaRegistryPlugins.all.contains { $0.className == "io.confluent.connect.json.JsonSchemaConverter" })
    }
}
