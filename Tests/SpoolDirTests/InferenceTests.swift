import SluiceAPI
import Testing
@testable import SpoolDir

@Suite struct InferenceTests {
    func infer(_ values: [String], patterns: [String] = [], inferTypes: Bool = true) throws -> Schema {
        let compiled = try patterns.map { try JavaDatePattern($0) }
        var c = ColumnInference()
        for v in values { c.observe(v, patterns: compiled) }
        return c.schema(inferTypes: inferTypes)
    }

    @Test(arguments: [
        (["1", "-2", "300"], Schema.int32),
        (["1", "3000000000"], Schema.int64),
        (["1.5", "2.25", "3"], Logical.decimal(scale: 2)),
        (["12345678901234567890123"], Logical.decimal(scale: 0)),
        (["1.5e3", "2"], Schema.float64),
        (["1.50", "2E-3"], Schema.float64),
        (["true", "FALSE", "True"], Schema.boolean),
        (["2024-01-31", "1999-12-01"], Logical.date),
        (["2024-01-31T10:00:00Z", "2024-02-01 11:22:33.123", "2024-02-01T11:22+02:00"], Logical.timestamp),
        (["abc", "1"], Schema.string),
        (["007", "12"], Schema.string),
        (["2024-01-31", "2024-01-31T10:00:00"], Schema.string),
        (["true", "1"], Schema.string),
        (["2024-02-30"], Schema.string),
    ])
    func eachTypeAndMixedFallback(values: [String], expected: Schema) throws {
        #expect(try infer(values) == expected)
    }

    @Test func emptyValuesMakeTheColumnOptional() throws {
        #expect(try infer(["1", "", "2"]) == Schema.optionalInt32)
        #expect(try infer(["1.5", " "]) == Logical.decimal(scale: 1, optional: true))
        #expect(try infer(["", ""]) == Schema.optionalString)
        #expect(try infer(["x"]) == Schema.string)
    }

    @Test func configuredDatePatterns() throws {
        #expect(try infer(["31/01/2024 10:00"], patterns: ["dd/MM/yyyy HH:mm"]) == Logical.timestamp)
        #expect(try infer(["31/01/2024 10:00"]) == Schema.string)
    }

    @Test func inferenceOffKeepsOptionalStrings() throws {
        #expect(try infer(["1", "2"], inferTypes: false) == Schema.optionalString)
    }

    @Test func missingColumnsInSampleAreOptional() throws {
        var sample = SchemaSample()
        let a = sample.slot("a")
        sample.rows = 2
        sample.presence[a] = 1
        sample.columns[a].observe("1")
        let s = try SpoolDirSettings(SpoolDirs.fakeConfig(), format: .csv)
        let schemas = try RecordSchemas.inferred(sample, settings: s)
        #expect(schemas.value.field("a")?.schema == Schema.optionalInt32)
        #expect(schemas.value.name == "com.github.jcustenborder.kafka.connect.model.Value")
    }
}

@Suite struct ValueConversionTests {
    let zone = try! ZoneRule("UTC")

    func convert(_ text: String, _ schema: Schema, patterns: [String] = [], zone: String = "UTC") throws -> Value {
        let conv = try FieldConverter(schema: schema, zone: try ZoneRule(zone), patterns: try patterns.map { try JavaDatePattern($0) })
        return try conv.convert(text: text)
    }

    @Test func numbersDecimalsAndBooleans() throws {
        #expect(try convert("42", .int32) == .int32(42))
        #expect(try convert(" -7 ", .int64) == .int64(-7))
        #expect(try convert("12.5", Logical.decimal(scale: 2)) == .decimal(ConnectDecimal(unscaled: 1250, scale: 2)))
        #expect(try convert("-0.05", Logical.decimal(scale: 2)) == .decimal(ConnectDecimal(unscaled: -5, scale: 2)))
        #expect(try convert("1.5E2", Logical.decimal(scale: 1)) == .decimal(ConnectDecimal(unscaled: 1500, scale: 1)))
        #expect(try convert("2.5e-1", .float64) == .float64(0.25))
        #expect(try convert("TRUE", .boolean) == .boolean(true))
        #expect(throws: ConversionFailure.self) { try convert("1.234", Logical.decimal(scale: 2)) }
        #expect(throws: ConversionFailure.self) { try convert("x", .int32) }
        #expect(throws: ConversionFailure.self) { try convert("3000000000", .int32) }
    }

    @Test func emptyInOptionalNumericIsNull() throws {
        #expect(try convert("", .optionalInt32) == .null)
        #expect(try convert("", Logical.decimal(scale: 2, optional: true)) == .null)
        #expect(try convert("", .optionalString) == .string(""))
        #expect(throws: ConversionFailure.self) { try convert("", .int32) }
    }

    @Test func datesAndTimestamps() throws {
        #expect(try convert("1970-01-02", Logical.date) == .int32(1))
        #expect(try convert("2024-03-01T12:30:00Z", Logical.timestamp) == .int64(1_709_296_200_000))
        #expect(try convert("2024-03-01 12:30:00.5", Logical.timestamp) == .int64(1_709_296_200_500))
        #expect(try convert("2024-03-01T14:30:00+02:00", Logical.timestamp) == .int64(1_709_296_200_000))
        #expect(try convert("2024-03-01T13:30:00", Logical.timestamp, zone: "+01:00") == .int64(1_709_296_200_000))
        #expect(try convert("2024-07-01T14:30:00", Logical.timestamp, zone: "Europe/Berlin") == .int64(1_719_837_000_000))
        #expect(try convert("01.03.2024 12:30", Logical.timestamp, patterns: ["dd.MM.yyyy HH:mm"]) == .int64(1_709_296_200_000))
        #expect(try convert("12:00:01", Logical.time) == .int32(43_201_000))
    }
}

@Suite struct SchemaJSONTests {
    @Test func connectUtilsSchemaWithLogicalTypes() throws {
        let text = """
            {"name":"com.example.Value","type":"STRUCT","isOptional":false,"fieldSchemas":{
              "id":{"type":"INT64","isOptional":false},
              "amount":{"name":"org.apache.kafka.connect.data.Decimal","type":"BYTES","isOptional":true,"parameters":{"scale":"2"}},
              "at":{"name":"org.apache.kafka.connect.data.Timestamp","type":"INT64","isOptional":true},
              "day":{"name":"org.apache.kafka.connect.data.Date","type":"INT32","isOptional":true},
              "note":{"type":"STRING","isOptional":true}}}
            """
        let s = try SchemaJSON.parse(text, key: "value.schema")
        #expect(s.name == "com.example.Value")
        #expect(s.fields.map(\.name) == ["id", "amount", "at", "day", "note"])
        #expect(s.field("id")?.schema == .int64)
        #expect(s.field("amount")?.schema == Logical.decimal(scale: 2, optional: true))
        #expect(s.field("at")?.schema == Logical.optionalTimestamp)
        #expect(s.field("day")?.schema == Logical.optionalDate)
        #expect(try SchemaJSON.parse(SchemaJSON.serialize(s), key: "value.schema") == s)
    }

    @Test func badSchemaNamesTheKey() {
        #expect { try SchemaJSON.parse("{\"type\":\"NOPE\"}", key: "value.schema") } throws: { "\($0)".contains("value.schema") }
        #expect { try SchemaJSON.parse("{", key: "key.schema") } throws: { "\($0)".contains("key.schema") }
    }
}

extension SpoolDirs {
    static func fakeConfig() -> [String: String] {
        ["topic": "t", "input.path": "/tmp", "error.path": "/tmp", "finished.path": "/tmp", "input.file.pattern": ".*",
         "schema.generation.enabled": "true"]
    }
}
