import SluiceAPI
import Testing
@testable import CDC

@Suite struct ValueConversionTests {
    let registry = PgTypeRegistry()

    func map(_ oid: UInt32, _ mod: Int32 = -1, _ options: ValueConverterOptions = ValueConverterOptions()) -> (Schema, ColumnConversion) {
        PgValueConverter(options: options).column(typeOID: oid, typeModifier: mod, optional: true, registry: registry)!
    }

    func value(_ oid: UInt32, _ mod: Int32 = -1, _ text: String, _ options: ValueConverterOptions = ValueConverterOptions()) throws -> Value {
        try map(oid, mod, options).1.convert(text, column: "c")
    }

    static func numericMod(_ p: Int32, _ s: Int32) -> Int32 { (p << 16 | s) + 4 }

    @Test func primitives() throws {
        #expect(try value(PgTypeOID.bool, -1, "t") == .boolean(true))
        #expect(try value(PgTypeOID.bool, -1, "f") == .boolean(false))
        #expect(try value(PgTypeOID.int2, -1, "-32768") == .int16(-32768))
        #expect(try value(PgTypeOID.int4, -1, "2147483647") == .int32(.max))
        #expect(try value(PgTypeOID.int8, -1, "-9223372036854775808") == .int64(.min))
        #expect(try value(PgTypeOID.float4, -1, "1.5") == .float32(1.5))
        #expect(try value(PgTypeOID.float8, -1, "-Infinity") == .float64(-.infinity))
        #expect(try value(PgTypeOID.text, -1, "héllo") == .string("héllo"))
        #expect(map(PgTypeOID.int2).0 == .optionalInt16)
        #expect(throws: ConnectError.self) { try value(PgTypeOID.int4, -1, "abc") }
        #expect(throws: ConnectError.self) { try value(PgTypeOID.int2, -1, "40000") }
    }

    @Test func numericModes() throws {
        let (schema, _) = map(PgTypeOID.numeric, Self.numericMod(10, 2))
        #expect(schema.name == "org.apache.kafka.connect.data.Decimal")
        #expect(schema.parameters == [SchemaParameter("scale", "2"), SchemaParameter("connect.decimal.precision", "10")])
        #expect(try value(PgTypeOID.numeric, Self.numericMod(10, 2), "-12.30") == .decimal(ConnectDecimal(unscaled: -1230, scale: 2)))

        let (vs, _) = map(PgTypeOID.numeric)
        #expect(vs.name == "io.debezium.data.VariableScaleDecimal" && vs.fields.map(\.name) == ["scale", "value"])
        guard case .structure(let s) = try value(PgTypeOID.numeric, -1, "3.14159") else { Issue.record("not a struct"); return }
        #expect(s["scale"] == .int32(5))
        #expect(s["value"] == .bytes(ConnectDecimal(unscaled: 314_159, scale: 5).twosComplementBytes))

        var double = ValueConverterOptions(); double.decimalMode = .double
        #expect(try value(PgTypeOID.numeric, Self.numericMod(10, 2), "1.25", double) == .float64(1.25))
        var string = ValueConverterOptions(); string.decimalMode = .string
        #expect(try value(PgTypeOID.numeric, -1, "1.250", string) == .string("1.250"))
        #expect(map(PgTypeOID.numeric, -1, string).0 == .optionalString)
        #expect(try value(PgTypeOID.money, -1, "-$1,234.50") == .decimal(ConnectDecimal(unscaled: -123_450, scale: 2)))
    }

    @Test func temporalAdaptive() throws {
        #expect(map(PgTypeOID.date).0.name == "io.debezium.time.Date")
        #expect(try value(PgTypeOID.date, -1, "1970-01-02") == .int32(1))
        #expect(try value(PgTypeOID.date, -1, "2024-02-29") == .int32(19782))
        #expect(try value(PgTypeOID.date, -1, "1969-12-31") == .int32(-1))
        #expect(try value(PgTypeOID.date, -1, "0001-01-01 BC") == .int32(Int32(PgTemporal.epochDay(year: 0, month: 1, day: 1))))

        #expect(map(PgTypeOID.time, 3).0.name == "io.debezium.time.Time")
        #expect(try value(PgTypeOID.time, 3, "10:15:30.123") == .int32(36_930_123))
        #expect(map(PgTypeOID.time).0.name == "io.debezium.time.MicroTime")
        #expect(try value(PgTypeOID.time, -1, "10:15:30.123456") == .int64(36_930_123_456))
        #expect(try value(PgTypeOID.time, -1, "24:00:00") == .int64(86_400_000_000))

        #expect(map(PgTypeOID.timestamp, 0).0.name == "io.debezium.time.Timestamp")
        #expect(try value(PgTypeOID.timestamp, 0, "2024-01-15 10:30:00") == .int64(1_705_314_600_000))
        #expect(map(PgTypeOID.timestamp).0.name == "io.debezium.time.MicroTimestamp")
        #expect(try value(PgTypeOID.timestamp, -1, "2024-01-15 10:30:00.000001") == .int64(1_705_314_600_000_001))
        #expect(try value(PgTypeOID.timestamp, -1, "1969-12-31 23:59:59.5") == .int64(-500_000))
        #expect(try value(PgTypeOID.timestamp, 3, "1969-12-31 23:59:59.5") == .int64(-500))
    }

    @Test func temporalOtherModes() throws {
        var micro = ValueConverterOptions(); micro.timePrecisionMode = .adaptiveTimeMicroseconds
        #expect(map(PgTypeOID.time, 0, micro).0.name == "io.debezium.time.MicroTime")
        #expect(try value(PgTypeOID.time, 0, "00:00:01", micro) == .int64(1_000_000))
        var connect = ValueConverterOptions(); connect.timePrecisionMode = .connect
        #expect(map(PgTypeOID.date, -1, connect).0.name == "org.apache.kafka.connect.data.Date")
        #expect(map(PgTypeOID.time, -1, connect).0.name == "org.apache.kafka.connect.data.Time")
        #expect(map(PgTypeOID.timestamp, -1, connect).0.name == "org.apache.kafka.connect.data.Timestamp")
        #expect(try value(PgTypeOID.timestamp, -1, "1970-01-01 00:00:01.999999", connect) == .int64(1999))
    }

    @Test func zonedTypes() throws {
        #expect(map(PgTypeOID.timestamptz).0.name == "io.debezium.time.ZonedTimestamp")
        #expect(try value(PgTypeOID.timestamptz, -1, "2024-01-15 10:30:00.123456+01") == .string("2024-01-15T09:30:00.123456Z"))
        #expect(try value(PgTypeOID.timestamptz, -1, "2024-01-15 00:30:00+05:30") == .string("2024-01-14T19:00:00.000000Z"))
        #expect(try value(PgTypeOID.timestamptz, -1, "2024-01-15 10:30:00.5-02") == .string("2024-01-15T12:30:00.500000Z"))
        #expect(try value(PgTypeOID.timestamptz, -1, "infinity") == .string("infinity"))
        #expect(map(PgTypeOID.timetz).0.name == "io.debezium.time.ZonedTime")
        #expect(try value(PgTypeOID.timetz, -1, "01:00:00.25+02") == .string("23:00:00.25Z"))
        #expect(throws: ConnectError.self) { try value(PgTypeOID.timestamptz, -1, "2024-01-15 10:30:00") }
    }

    @Test func intervals() throws {
        #expect(map(PgTypeOID.interval).0.name == "io.debezium.time.MicroDuration")
        #expect(try value(PgTypeOID.interval, -1, "00:00:01.5") == .int64(1_500_000))
        #expect(try value(PgTypeOID.interval, -1, "1 day") == .int64(86_400_000_000))
        #expect(try value(PgTypeOID.interval, -1, "-1 days +02:00:00") == .int64(-79_200_000_000))
        // A month is 365.25/12 days, as Debezium computes MicroDuration.
        #expect(try value(PgTypeOID.interval, -1, "1 mon") == .int64(2_629_800_000_000))
        #expect(try value(PgTypeOID.interval, -1, "1 year 2 mons 3 days 04:05:06.78") == .int64(37_091_106_780_000))
        var s = ValueConverterOptions(); s.intervalMode = .string
        #expect(try value(PgTypeOID.interval, -1, "1 year 2 mons 3 days 04:05:06.78", s) == .string("P1Y2M3DT4H5M6.78S"))
    }

    @Test func semanticStrings() throws {
        #expect(map(PgTypeOID.uuid).0.name == "io.debezium.data.Uuid")
        #expect(map(PgTypeOID.json).0.name == "io.debezium.data.Json")
        #expect(map(PgTypeOID.jsonb).0.name == "io.debezium.data.Json")
        #expect(map(PgTypeOID.xml).0.name == "io.debezium.data.Xml")
        #expect(map(PgTypeOID.inet).0 == .optionalString)
        #expect(map(PgTypeOID.int4range).0 == .optionalString)
        #expect(try value(PgTypeOID.jsonb, -1, "{\"a\": 1}") == .string("{\"a\": 1}"))
    }

    @Test func binary() throws {
        #expect(try value(PgTypeOID.bytea, -1, "\\x00ff10") == .bytes([0, 255, 16]))
        #expect(try value(PgTypeOID.bytea, -1, "a\\\\b\\001") == .bytes([97, 92, 98, 1]))
        var b64 = ValueConverterOptions(); b64.binaryMode = .base64
        #expect(try value(PgTypeOID.bytea, -1, "\\x68656c6c6f3f", b64) == .string("aGVsbG8/"))
        var url = ValueConverterOptions(); url.binaryMode = .base64UrlSafe
        #expect(try value(PgTypeOID.bytea, -1, "\\xfbff", url) == .string("-_8="))
        var hex = ValueConverterOptions(); hex.binaryMode = .hex
        #expect(try value(PgTypeOID.bytea, -1, "\\x0aff", hex) == .string("0aff"))
        #expect(try value(PgTypeOID.bit, 1, "1") == .boolean(true))
        #expect(map(PgTypeOID.bit, 10).0.parameter("length") == "10")
        #expect(try value(PgTypeOID.varbit, 16, "100000001") == .bytes([1, 1]))
    }

    @Test func enumsArraysDomains() throws {
        var reg = PgTypeRegistry()
        reg.register(PgType(oid: 90001, name: "mood", kind: .enumeration(["sad", "ok", "happy"])))
        reg.register(PgType(oid: 90002, name: "_mood", kind: .array(element: 90001)))
        reg.register(PgType(oid: 90003, name: "price", kind: .domain(base: PgTypeOID.numeric, typeModifier: Self.numericMod(8, 3))))
        let conv = PgValueConverter()
        let (enumSchema, enumConv) = conv.column(typeOID: 90001, typeModifier: -1, optional: false, registry: reg)!
        #expect(enumSchema.name == "io.debezium.data.Enum" && enumSchema.parameter("allowed") == "sad,ok,happy")
        #expect(!enumSchema.isOptional)
        #expect(try enumConv.convert("ok", column: "m") == .string("ok"))

        let (arr, arrConv) = conv.column(typeOID: 90002, typeModifier: -1, optional: true, registry: reg)!
        // Debezium 3.0.7 declares enum array elements required (checked by scripts/debezium-diff.py).
        #expect(arr.type == .array && arr.valueSchema?.name == "io.debezium.data.Enum" && arr.valueSchema?.isOptional == false)
        #expect(try arrConv.convert("{sad,NULL,happy}", column: "m") == .array([.string("sad"), .null, .string("happy")]))

        let (dom, domConv) = conv.column(typeOID: 90003, typeModifier: -1, optional: true, registry: reg)!
        #expect(dom.parameter("scale") == "3" && dom.parameter("connect.decimal.precision") == "8")
        #expect(try domConv.convert("1.5", column: "p") == .decimal(ConnectDecimal(unscaled: 1500, scale: 3)))

        let (ints, intsConv) = conv.column(typeOID: 1007, typeModifier: -1, optional: true, registry: reg)!
        #expect(ints.valueSchema == .optionalInt32)
        #expect(try intsConv.convert("{1,2,-3}", column: "a") == .array([.int32(1), .int32(2), .int32(-3)]))
        let (texts, textsConv) = conv.column(typeOID: 1009, typeModifier: -1, optional: true, registry: reg)!
        #expect(texts.valueSchema == .optionalString)
        #expect(try textsConv.convert(#"{"a,b","c\"d",e,"NULL"}"#, column: "t") == .array([.string("a,b"), .string("c\"d"), .string("e"), .string("NULL")]))
        #expect(try textsConv.convert("{}", column: "t") == .array([]))
        #expect(throws: ConnectError.self) { try textsConv.convert("{{1},{2}}", column: "t") }
    }

    @Test func unknownTypesAndToast() {
        var reg = PgTypeRegistry()
        reg.register(TypeMessage(oid: 70000, namespace: "public", name: "geometry"))
        #expect(PgValueConverter().column(typeOID: 70000, typeModifier: -1, optional: true, registry: reg) == nil)
        var include = ValueConverterOptions(); include.includeUnknownDatatypes = true
        #expect(PgValueConverter(options: include).column(typeOID: 70000, typeModifier: -1, optional: true, registry: reg)?.schema == .optionalBytes)
        let c = PgValueConverter()
        #expect(c.unavailableValue(for: .optionalString) == .string("__debezium_unavailable_value"))
        #expect(c.unavailableValue(for: .optionalBytes) == .bytes(Array("__debezium_unavailable_value".utf8)))
        #expect(c.unavailableValue(for: .optionalInt32) == .null)
    }

    @Test func hstore() throws {
        var reg = PgTypeRegistry()
        reg.register(PgType(oid: 80000, name: "hstore"))
        let (schema, conv) = PgValueConverter().column(typeOID: 80000, typeModifier: -1, optional: true, registry: reg)!
        #expect(schema.name == "io.debezium.data.Json")
        #expect(try conv.convert(#""a"=>"1", "b"=>NULL"#, column: "h") == .string(#"{"a":"1","b":null}"#))
        var m = ValueConverterOptions(); m.hstoreMode = .map
        let (ms, mc) = PgValueConverter(options: m).column(typeOID: 80000, typeModifier: -1, optional: true, registry: reg)!
        #expect(ms.type == .map)
        #expect(try mc.convert(#""k"=>"v""#, column: "h") == .map([MapEntry(.string("k"), .string("v"))]))
    }
}
