import SluiceAPI
import Testing

@testable import Converters

/// One golden case: the Connect data, the converter settings, and the fixture holding Kafka's bytes for it.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    let name: String
    var props: [String: String] = [:]
    let schema: Schema?
    let value: Value
    /// What parsing the golden bytes gives when it differs from the input (type inference, defaults applied).
    var parsed: SchemaAndValue?
    var testDescription: String { name }
}

enum Golden {
    static let decimalName = Logical.decimalName
    static func dec(_ text: String) -> Value { .decimal(ConnectDecimal(text)!) }

    static let structSchema = SchemaBuilder.struct()
        .field("field1", .boolean).field("field2", .string).field("field3", .string).field("field4", .boolean).build()
    static let structValue = Value.structure(Struct(schema: structSchema, values: [.boolean(true), .string("string2"), .string("string3"), .boolean(false)]))

    static let address = SchemaBuilder.struct().name("com.example.Address").version(2).doc("where").optional()
        .field("city", .optionalString).field("lines", SchemaBuilder.array(.string).build()).build()
    static let customer = SchemaBuilder.struct().name("com.example.Customer").field("id", .int64).field("address", address).build()

    static let defaults = SchemaBuilder.struct()
        .field("f", SchemaBuilder(type: .int32).optional().defaultValue(.int32(42)).build())
        .field("g", SchemaBuilder(type: .string).defaultValue(.string("x")).build()).build()
    static let defaultOnly = SchemaBuilder.struct()
        .field("f", SchemaBuilder(type: .int32).optional().defaultValue(.int32(42)).build()).build()

    static let stringMap = SchemaBuilder.map(.string, .int32).build()
    static let intMap = SchemaBuilder.map(.int32, .int32).build()
    static let numeric = ["decimal.format": "NUMERIC"]

    static let cases: [GoldenCase] = [
        GoldenCase(name: "boolean", schema: .boolean, value: .boolean(true)),
        GoldenCase(name: "int8", schema: .int8, value: .int8(12)),
        GoldenCase(name: "int8-negative", schema: .int8, value: .int8(-128)),
        GoldenCase(name: "int16", schema: .int16, value: .int16(12)),
        GoldenCase(name: "int32", schema: .int32, value: .int32(12)),
        GoldenCase(name: "int64", schema: .int64, value: .int64(4_398_046_511_104)),
        GoldenCase(name: "int64-min", schema: .int64, value: .int64(.min)),
        GoldenCase(name: "float32", schema: .float32, value: .float32(12.34)),
        GoldenCase(name: "float64", schema: .float64, value: .float64(12.34)),
        GoldenCase(
            name: "float64-exponents", schema: SchemaBuilder.array(.float64).build(),
            value: .array([1e20, 1e-4, 100, -0.0, 0.001, 1e7, 9_999_999, 1.2345678901234567e-300].map { .float64($0) })),
        GoldenCase(name: "bytes", schema: .bytes, value: .bytes(Array("test-string".utf8))),
        GoldenCase(name: "bytes-empty", schema: .bytes, value: .bytes([])),
        GoldenCase(name: "string", schema: .string, value: .string("test-string")),
        GoldenCase(
            name: "string-escapes", schema: .string,
            value: .string("quote\" backslash\\ slash/ nl\n cr\r tab\t bs\u{8} ff\u{C} ctl\u{1}\u{1F} café 😀")),
        GoldenCase(name: "optional-null", schema: .optionalBoolean, value: .null),
        GoldenCase(name: "default-boolean", schema: SchemaBuilder(type: .boolean).defaultValue(.boolean(true)).build(), value: .boolean(true)),
        GoldenCase(
            name: "metadata",
            schema: SchemaBuilder(type: .boolean).name("bool").version(3).doc("the documentation").parameter("foo", "bar").build(),
            value: .boolean(true)),
        GoldenCase(name: "array", schema: SchemaBuilder.array(.int32).build(), value: .array([.int32(1), .int32(2), .int32(3)])),
        GoldenCase(
            name: "map-string-keys", schema: stringMap,
            value: .map([MapEntry(.string("key1"), .int32(12)), MapEntry(.string("key2"), .int32(15))])),
        GoldenCase(
            name: "map-int-keys", schema: intMap,
            value: .map([MapEntry(.int32(1), .int32(12)), MapEntry(.int32(2), .int32(15))])),
        GoldenCase(name: "struct", schema: structSchema, value: structValue),
        GoldenCase(
            name: "struct-nested", schema: customer,
            value: .structure(Struct(schema: customer, values: [
                .int64(7), .structure(Struct(schema: address, values: [.null, .array([.string("1 Main St"), .string("Apt 2")])])),
            ]))),
        GoldenCase(name: "struct-nested-null", schema: customer, value: .structure(Struct(schema: customer, values: [.int64(8), .null]))),
        GoldenCase(
            name: "struct-default-replaced", schema: defaults, value: .structure(Struct(schema: defaults, values: [.null, .null])),
            parsed: SchemaAndValue(schema: defaults, value: .structure(Struct(schema: defaults, values: [.int32(42), .string("x")])))),
        GoldenCase(
            name: "struct-default-kept-null", props: ["replace.null.with.default": "false"], schema: defaultOnly,
            value: .structure(Struct(schema: defaultOnly, values: [.null]))),
        GoldenCase(name: "decimal-base64", schema: Logical.decimal(scale: 2), value: dec("1.56")),
        GoldenCase(name: "decimal-base64-negative", schema: Logical.decimal(scale: 2), value: dec("-1.56")),
        GoldenCase(name: "decimal-base64-minus128", schema: Logical.decimal(scale: 0), value: dec("-128")),
        GoldenCase(name: "decimal-base64-large", schema: Logical.decimal(scale: 5), value: dec("1234567890123456789012345.67890")),
        GoldenCase(name: "decimal-base64-large-negative", schema: Logical.decimal(scale: 5), value: dec("-1234567890123456789012345.67890")),
        GoldenCase(name: "decimal-numeric", props: numeric, schema: Logical.decimal(scale: 2), value: dec("1.56")),
        GoldenCase(name: "decimal-numeric-trailing-zeros", props: numeric, schema: Logical.decimal(scale: 4), value: dec("1.5600")),
        GoldenCase(name: "decimal-numeric-negative", props: numeric, schema: Logical.decimal(scale: 2), value: dec("-1.56")),
        GoldenCase(name: "decimal-numeric-large", props: numeric, schema: Logical.decimal(scale: 5), value: dec("1234567890123456789012345.67890")),
        GoldenCase(name: "decimal-numeric-small", props: numeric, schema: Logical.decimal(scale: 10), value: dec("0.0000000001")),
        GoldenCase(name: "decimal-numeric-negative-scale", props: numeric, schema: Logical.decimal(scale: -2), value: .decimal(ConnectDecimal(unscaled: 15, scale: -2))),
        GoldenCase(
            name: "decimal-default",
            schema: SchemaBuilder(type: .bytes).name(decimalName).version(1).parameter("scale", "2").optional().defaultValue(dec("1.56")).build(),
            value: .null,
            parsed: SchemaAndValue(
                schema: SchemaBuilder(type: .bytes).name(decimalName).version(1).parameter("scale", "2").optional().defaultValue(dec("1.56")).build(),
                value: dec("1.56"))),
        GoldenCase(name: "date", schema: Logical.date, value: .int32(10000)),
        GoldenCase(name: "time", schema: Logical.time, value: .int32(14_400_000)),
        GoldenCase(name: "timestamp", schema: Logical.timestamp, value: .int64(4_000_000_000)),
        GoldenCase(name: "null-schema-boolean", schema: nil, value: .boolean(true)),
        GoldenCase(
            name: "null-schema-array", schema: nil, value: .array([.int32(1), .string("string"), .boolean(true)]),
            parsed: SchemaAndValue(schema: nil, value: .array([.int64(1), .string("string"), .boolean(true)]))),
        GoldenCase(
            name: "null-schema-map", schema: nil,
            value: .map([MapEntry(.string("key1"), .int32(12)), MapEntry(.string("key2"), .string("string")), MapEntry(.string("key3"), .boolean(true))]),
            parsed: SchemaAndValue(schema: nil, value: .map([MapEntry(.string("key1"), .int64(12)), MapEntry(.string("key2"), .string("string")), MapEntry(.string("key3"), .boolean(true))]))),
        GoldenCase(
            name: "null-schema-map-mixed-keys", schema: nil,
            value: .map([MapEntry(.string("string"), .int32(12)), MapEntry(.int32(52), .string("string")), MapEntry(.boolean(false), .boolean(true))]),
            parsed: SchemaAndValue(schema: nil, value: .array([
                .array([.string("string"), .int64(12)]), .array([.int64(52), .string("string")]), .array([.boolean(false), .boolean(true)]),
            ]))),
        GoldenCase(name: "schemaless-boolean", props: ["schemas.enable": "false"], schema: .boolean, value: .boolean(true), parsed: SchemaAndValue(schema: nil, value: .boolean(true))),
        GoldenCase(
            name: "schemaless-struct-payload", props: ["schemas.enable": "false"], schema: structSchema, value: structValue,
            parsed: SchemaAndValue(schema: nil, value: .map([
                MapEntry(.string("field1"), .boolean(true)), MapEntry(.string("field2"), .string("string2")),
                MapEntry(.string("field3"), .string("string3")), MapEntry(.string("field4"), .boolean(false)),
            ]))),
        GoldenCase(
            name: "schemaless-optional-null", props: ["schemas.enable": "false"], schema: .optionalString, value: .null,
            parsed: SchemaAndValue(schema: nil, value: .null)),
    ]

    static func converter(_ props: [String: String]) throws -> JsonConverter {
        let c = JsonConverter()
        try c.configure(props, isKey: false)
        return c
    }
}

@Suite struct JsonConverterGoldenTests {
    @Test(arguments: Golden.cases)
    func serializesExactlyAsKafka(_ g: GoldenCase) throws {
        let expected = try Fixture.bytes("JsonConverter/\(g.name).json")
        let out = try Golden.converter(g.props).fromConnectData(topic: "topic", headers: nil, schema: g.schema, value: g.value)
        #expect(out?.utf8Text == expected.utf8Text)
        #expect(out == expected)
    }

    @Test(arguments: Golden.cases)
    func parsesKafkaBytes(_ g: GoldenCase) throws {
        let bytes = try Fixture.bytes("JsonConverter/\(g.name).json")
        let got = try Golden.converter(g.props).toConnectData(topic: "topic", headers: nil, value: bytes)
        let want = g.parsed ?? SchemaAndValue(schema: g.schema, value: g.value)
        #expect(got.schema == want.schema)
        #expect(got.value == want.value)
    }

    @Test func nanIsQuotedAndReadBack() throws {
        let c = try Golden.converter([:])
        let out = try c.fromConnectData(topic: "t", headers: nil, schema: .float64, value: .float64(.nan))
        #expect(out == (try Fixture.bytes("JsonConverter/float64-nan.json")))
        let back = try c.toConnectData(topic: "t", headers: nil, value: out)
        #expect(back.value.doubleValue?.isNaN == true)
        let inf = try c.fromConnectData(topic: "t", headers: nil, schema: .float32, value: .float32(-.infinity))
        #expect(inf?.utf8Text == #"{"schema":{"type":"float","optional":false},"payload":"-Infinity"}"#)
        #expect(try c.toConnectData(topic: "t", headers: nil, value: inf).value == .float32(-.infinity))
    }

    @Test func nullSchemaAndNullValueIsATombstone() throws {
        for enabled in ["true", "false"] {
            let c = try Golden.converter(["schemas.enable": enabled])
            #expect(try c.fromConnectData(topic: "t", headers: nil, schema: nil, value: .null) == nil)
            #expect(try c.toConnectData(topic: "t", headers: nil, value: nil) == .null)
            #expect(try c.toConnectData(topic: "t", headers: nil, value: []) == .null)
        }
    }
}
