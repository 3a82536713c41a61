import SluiceAPI
import Testing

@testable import Converters

@Suite struct SimpleHeaderConverterTests {
    let c = SimpleHeaderConverter()

    func write(_ schema: Schema?, _ value: Value) throws -> String? {
        try c.fromConnectHeader(topic: "t", headerKey: "h", schema: schema, value: value)?.utf8Text
    }

    func read(_ text: String) throws -> SchemaAndValue {
        try c.toConnectHeader(topic: "t", headerKey: "h", value: text.bytes)
    }

    @Test func writesValuesAsText() throws {
        #expect(try write(.string, .string("plain \"text\"")) == "plain \"text\"")
        #expect(try write(.int8, .int8(-5)) == "-5")
        #expect(try write(.int64, .int64(9_000_000_000)) == "9000000000")
        #expect(try write(.float64, .float64(0.25)) == "0.25")
        #expect(try write(.float32, .float32(1e10)) == "1.0E10")
        #expect(try write(.boolean, .boolean(true)) == "true")
        #expect(try write(.bytes, .bytes("hi".bytes)) == "aGk=")
        #expect(try write(Logical.decimal(scale: 2), .decimal(ConnectDecimal(unscaled: 156, scale: 2))) == "1.56")
        #expect(try write(Logical.date, .int32(19_737)) == "2024-01-15")
        #expect(try write(Logical.time, .int32(45_296_789)) == "12:34:56.789Z")
        #expect(try write(Logical.timestamp, .int64(1_705_322_096_789)) == "2024-01-15T12:34:56.789Z")
        #expect(try write(nil, .array([.int32(1), .string("a\"b")])) == #"[1,"a\"b"]"#)
        #expect(try write(nil, .map([MapEntry(.string("k"), .boolean(true))])) == #"{"k":true}"#)
        let s = SchemaBuilder.struct().field("a", .int32).field("b", .optionalString).build()
        #expect(try write(s, .structure(Struct(schema: s, values: [.int32(1), .null]))) == #"{"a":1,"b":null}"#)
        #expect(try c.fromConnectHeader(topic: "t", headerKey: "h", schema: .optionalString, value: .null) == nil)
    }

    @Test func infersTypesWhenReading() throws {
        #expect(try read("") == SchemaAndValue(schema: .string, value: .string("")))
        #expect(try read("hello world") == SchemaAndValue(schema: .string, value: .string("hello world")))
        #expect(try read("true") == SchemaAndValue(schema: .boolean, value: .boolean(true)))
        #expect(try read("false") == SchemaAndValue(schema: .boolean, value: .boolean(false)))
        #expect(try read("True") == SchemaAndValue(schema: .string, value: .string("True")))
        #expect(try read("null") == .null)
        #expect(try read("12") == SchemaAndValue(schema: .int8, value: .int8(12)))
        #expect(try read("-129") == SchemaAndValue(schema: .int16, value: .int16(-129)))
        #expect(try read("70000") == SchemaAndValue(schema: .int32, value: .int32(70000)))
        #expect(try read("9000000000") == SchemaAndValue(schema: .int64, value: .int64(9_000_000_000)))
        #expect(try read(" 42 ") == SchemaAndValue(schema: .int8, value: .int8(42)))
        #expect(try read("+7") == SchemaAndValue(schema: .int8, value: .int8(7)))
        #expect(try read("1.0") == SchemaAndValue(schema: .int8, value: .int8(1)))
        #expect(try read("1E+3") == SchemaAndValue(schema: .int16, value: .int16(1000)))
        #expect(try read("3.25") == SchemaAndValue(schema: .float32, value: .float32(3.25)))
        #expect(try read("1e300") == SchemaAndValue(schema: .float64, value: .float64(1e300)))
        let huge = try read("123456789012345678901234567890")
        #expect(huge.schema == Logical.decimal(scale: 0))
        #expect(huge.value == .decimal(ConnectDecimal("123456789012345678901234567890")!))
        #expect(try read("2024-01-15") == SchemaAndValue(schema: Logical.date, value: .int32(19_737)))
        #expect(try read("12:34:56.789Z") == SchemaAndValue(schema: Logical.time, value: .int32(45_296_789)))
        #expect(try read("2024-01-15T12:34:56.789Z") == SchemaAndValue(schema: Logical.timestamp, value: .int64(1_705_322_096_789)))
        #expect(try read("2024-13-15") == SchemaAndValue(schema: .string, value: .string("2024-13-15")))
        #expect(try read("1,2") == SchemaAndValue(schema: .string, value: .string("1,2")))
        #expect(try read("0x10") == SchemaAndValue(schema: .string, value: .string("0x10")))
        #expect(try read("-") == SchemaAndValue(schema: .string, value: .string("-")))
        #expect(try read("1E+999999999").schema == Logical.decimal(scale: -999_999_999))
        #expect(try c.toConnectHeader(topic: "t", headerKey: "h", value: nil) == .null)
    }

    @Test func typedHeadersRoundTrip() throws {
        let values: [(Schema, Value)] = [
            (.boolean, .boolean(false)), (.int8, .int8(-3)), (.int16, .int16(300)), (.int32, .int32(-70000)),
            (.int64, .int64(1 << 40)), (.float32, .float32(0.1)), (.string, .string("x y")),
            (Logical.date, .int32(20_000)), (Logical.time, .int32(1_000)), (Logical.timestamp, .int64(1_700_000_000_123)),
        ]
        for (schema, value) in values {
            let bytes = try c.fromConnectHeader(topic: "t", headerKey: "h", schema: schema, value: value)
            #expect(try c.toConnectHeader(topic: "t", headerKey: "h", value: bytes) == SchemaAndValue(schema: schema, value: value))
        }
    }
}

@Suite struct ConverterPluginsTests {
    @Test func listsKafkaClassNames() {
        let names = Set(ConverterPlugins.all.map(\.className))
        for n in [
            "org.apache.kafka.connect.json.JsonConverter", "org.apache.kafka.connect.storage.StringConverter",
            "org.apache.kafka.connect.converters.ByteArrayConverter", "org.apache.kafka.connect.storage.SimpleHeaderConverter",
            "org.apache.kafka.connect.converters.IntegerConverter", "org.apache.kafka.connect.converters.LongConverter",
            "org.apache.kafka.connect.converters.ShortConverter", "org.apache.kafka.connect.converters.FloatConverter",
            "org.apache.kafka.connect.converters.DoubleConverter",
        ] {
            #expect(names.contains(n), "\(n)")
        }
        #expect(ConverterPlugins.all.allSatisfy { $0.version == "3.9.0" })
        #expect(names.count == ConverterPlugins.all.count)
        let json = ConverterPlugins.all.first { $0.className.hasSuffix("JsonConverter") }
        #expect(json?.configDef.keys.map(\.name) == ["converter.type", "schemas.enable", "schemas.cache.size", "decimal.format", "replace.null.with.default"])
    }

    @Test func buildsConfiguredConverters() throws {
        let c = try ConverterConfig.makeConverter(
            className: "org.apache.kafka.connect.json.JsonConverter", plugins: ConverterPlugins.all,
            props: ["schemas.enable": "false"], isKey: false)
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .int32, value: .int32(5))?.utf8Text == "5")
        let byAlias = try ConverterConfig.makeConverter(className: "StringConverter", plugins: ConverterPlugins.all, props: [:], isKey: true)
        #expect(byAlias is StringConverter)
        let header = try ConverterConfig.makeHeaderConverter(className: "org.apache.kafka.connect.json.JsonConverter", plugins: ConverterPlugins.all, props: [:])
        #expect(try header.fromConnectHeader(topic: "t", headerKey: "h", schema: .boolean, value: .boolean(true))?.utf8Text
            == #"{"schema":{"type":"boolean","optional":false},"payload":true}"#)
        let simple = try ConverterConfig.makeHeaderConverter(className: "SimpleHeaderConverter", plugins: ConverterPlugins.all, props: [:])
        #expect(simple is SimpleHeaderConverter)
        #expect(throws: ConnectError.self) {
            try ConverterConfig.makeConverter(className: "org.apache.kafka.connect.storage.SimpleHeaderConverter", plugins: ConverterPlugins.all, props: [:], isKey: false)
        }
        #expect(throws: ConnectError.self) {
            try ConverterConfig.makeConverter(className: "com.example.Nope", plugins: ConverterPlugins.all, props: [:], isKey: false)
        }
    }

    @Test func factoriesMakeFreshInstances() throws {
        for d in ConverterPlugins.all {
            switch d.factory {
            case .converter(let make): #expect(make() !== make())
            case .headerConverter(let make): #expect(make() !== make())
            default: Issue.record("\(d.className) is not a converter")
            }
        }
    }
}
