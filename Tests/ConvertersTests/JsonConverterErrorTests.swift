import SluiceAPI
import Testing

@testable import Converters

/// Bad input must fail with a clear DataException (Kafka's wording where Kafka has one), never crash.
@Suite struct JsonConverterErrorTests {
    func parseError(_ text: String, _ props: [String: String] = [:]) throws -> String {
        let c = try Golden.converter(props)
        do {
            let v = try c.toConnectData(topic: "topic", headers: nil, value: text.bytes)
            Issue.record("expected an error for \(text), got \(v)")
            return ""
        } catch let e as ConnectError {
            #expect(e.code == .dataException)
            return e.message
        }
    }

    func writeError(_ schema: Schema?, _ value: Value, _ props: [String: String] = [:]) throws -> String {
        let c = try Golden.converter(props)
        do {
            let b = try c.fromConnectData(topic: "topic", headers: nil, schema: schema, value: value)
            Issue.record("expected an error, got \(b?.utf8Text ?? "nil")")
            return ""
        } catch let e as ConnectError {
            #expect(e.code == .dataException)
            return e.message
        }
    }

    @Test(arguments: [
        #"{"a":1}"#, #"{"schema":null}"#, #"{"payload":1}"#, #"{"schema":null,"payload":1,"extra":2}"#, "42", "[1,2]",
        #""text""#, "{}", "null",
    ])
    func envelopeRequired(_ text: String) throws {
        #expect(try parseError(text) == JsonConverter.envelopeErrorMessage)
    }

    @Test func envelopeMessageIsKafkas() {
        #expect(JsonConverter.envelopeErrorMessage == "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.")
    }

    @Test(arguments: [
        (#"{"schema":"#, "Unexpected end of input"),
        (#"{"schema":null,"payload":tru}"#, "expected 'true'"),
        (#"{]"#, "Unexpected character ']'"),
        (#"{"schema":null,"payload":1} x"#, "expected end of input"),
        (#"{"schema":{"type":"int32"x},"payload":1}"#, "Unexpected character 'x'"),
        (#"{"schema":null,"payload":01}"#, "Leading zeroes"),
        (#"{"extra":1,"schema":null,"payload":[}"#, "Unexpected character '}'"),
        ("{\"schema\":null,\"payload\":\"a\u{1}\"}", "control character"),
    ])
    func malformedJSON(_ text: String, _ fragment: String) throws {
        let message = try parseError(text)
        #expect(message.hasPrefix("Converting byte[] to Kafka Connect data failed due to serialization error: "))
        #expect(message.contains(fragment), "\(message)")
        #expect(message.contains("at position"))
    }

    @Test func malformedSchemalessJSON() throws {
        let message = try parseError("[1,2", ["schemas.enable": "false"])
        #expect(message.contains("serialization error"))
    }

    @Test func deepNestingFailsCleanly() throws {
        let deep = String(repeating: "[", count: 100_000)
        #expect(try parseError(#"{"schema":null,"payload":"# + deep).contains("serialization error"))
        #expect(try parseError(deep, ["schemas.enable": "false"]).contains("Nesting too deep"))
    }

    @Test(arguments: [
        (#"{"schema":{"optional":true},"payload":1}"#, "Schema must contain 'type' field"),
        (#"{"schema":{"type":5},"payload":1}"#, "Schema must contain 'type' field"),
        (#"{"schema":"int32","payload":1}"#, "Schema must contain 'type' field"),
        (#"{"schema":{"type":"int128"},"payload":1}"#, "Unknown schema type: int128"),
        (#"{"schema":{"type":"array"},"payload":[]}"#, "Array schema did not specify the element type"),
        (#"{"schema":{"type":"array","items":null},"payload":[]}"#, "Array schema did not specify the element type"),
        (#"{"schema":{"type":"map","values":{"type":"int32"}},"payload":{}}"#, "Map schema did not specify the key type"),
        (#"{"schema":{"type":"map","keys":{"type":"int32"}},"payload":{}}"#, "Map schema did not specify the value type"),
        (#"{"schema":{"type":"struct","fields":{}},"payload":{}}"#, "Struct schema's \"fields\" argument is not an array."),
        (#"{"schema":{"type":"struct","fields":[{"type":"int32"}]},"payload":{}}"#, "Struct schema's field name not specified properly"),
        (#"{"schema":{"type":"struct","fields":[{"field":"a","type":"int32"},{"field":"a","type":"int32"}]},"payload":{}}"#, "field name duplication a"),
        (#"{"schema":{"type":"int32","parameters":{"a":1}},"payload":1}"#, "Schema parameters must have string values."),
        (#"{"schema":{"type":"int32","default":null},"payload":1}"#, "Invalid null value for required INT32 field"),
    ])
    func badSchemas(_ text: String, _ message: String) throws {
        #expect(try parseError(text).contains(message))
    }

    @Test(arguments: [
        (#"{"schema":{"type":"int32"},"payload":null}"#, "Invalid null value for required INT32 field"),
        (#"{"schema":{"type":"struct","fields":[{"field":"id","type":"int64"}]},"payload":{}}"#, "Invalid null value for required INT64 field \"id\""),
        (#"{"schema":{"type":"struct","fields":[{"field":"id","type":"int64"}]},"payload":{"id":null}}"#, "Invalid null value for required INT64 field \"id\""),
        (#"{"schema":{"type":"struct","fields":[]},"payload":[1]}"#, "Structs should be encoded as JSON objects, but found ARRAY"),
        (#"{"schema":{"type":"int32"},"payload":"12"}"#, "expected a JSON number but found STRING"),
        (#"{"schema":{"type":"string"},"payload":12}"#, "expected a JSON string but found NUMBER"),
        (#"{"schema":{"type":"boolean"},"payload":"true"}"#, "expected a JSON boolean but found STRING"),
        (#"{"schema":{"type":"bytes"},"payload":"@@@@"}"#, "Invalid bytes field: illegal base64 character '@'"),
        (#"{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":"A"}"#, "Invalid bytes for Decimal field"),
        (#"{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":""}"#, "Invalid bytes for Decimal field"),
        (#"{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"}},"payload":true}"#, "should be numeric or bytes but was BOOLEAN"),
        (#"{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":1.5}"#, "Invalid type for Date, underlying representation should be integer"),
        (#"{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":4000000000}"#, "Invalid type for Date, underlying representation should be integer"),
        (#"{"schema":{"type":"int64","name":"org.apache.kafka.connect.data.Timestamp"},"payload":"x"}"#, "Invalid type for Timestamp, underlying representation should be integral but was STRING"),
        (#"{"schema":{"type":"map","keys":{"type":"string"},"values":{"type":"int32"}},"payload":[]}"#, "Maps with string fields should be encoded as JSON objects, but found ARRAY"),
        (#"{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":{}}"#, "Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT"),
        (#"{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":[1]}"#, "Found invalid map entry instead of array tuple: NUMBER"),
        (#"{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":[[1,2,3]]}"#, "Found invalid map entry, expected length 2 but found :3"),
        (#"{"schema":{"type":"array","items":{"type":"int32"}},"payload":{"a":1}}"#, "Arrays should be encoded as JSON arrays, but found OBJECT"),
    ])
    func badPayloads(_ text: String, _ message: String) throws {
        #expect(try parseError(text).contains(message))
    }

    @Test func envelopeErrorWinsOverBadSchema() throws {
        #expect(try parseError(#"{"schema":{"type":"nope"},"payload":1,"x":1}"#) == JsonConverter.envelopeErrorMessage)
        #expect(try parseError(#"{"schema":{"type":"int32"},"payload":"x","x":1}"#) == JsonConverter.envelopeErrorMessage)
    }

    @Test func serializationErrors() throws {
        #expect(try writeError(.float64, .boolean(true)) == "Invalid type for FLOAT64: class java.lang.Boolean")
        #expect(try writeError(.int32, .int64(1)) == "Invalid type for INT32: class java.lang.Long")
        #expect(try writeError(.int32, .null) == "Conversion error: null value for field that is required and has no default value")
        #expect(try writeError(Logical.decimal(scale: 2), .decimal(ConnectDecimal(unscaled: 1, scale: 3)))
            == "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 3.")
        #expect(try writeError(Logical.decimal(scale: 2), .bytes([1])) == "Invalid type for Decimal, expected BigDecimal but was class [B")
        #expect(try writeError(nil, .decimal(ConnectDecimal(unscaled: 1, scale: 0))).contains("BigDecimal does not have corresponding schema type"))
        let a = SchemaBuilder.struct().field("x", .int32).build()
        let b = SchemaBuilder.struct().field("y", .int32).build()
        #expect(try writeError(a, .structure(Struct(schema: b, values: [.int32(1)]))) == "Mismatching schema.")
        let withRequiredDefault = SchemaBuilder.struct().field("f", SchemaBuilder(type: .int32).defaultValue(.int32(1)).build()).build()
        #expect(try writeError(withRequiredDefault, .structure(Struct(schema: withRequiredDefault, values: [.null])), ["replace.null.with.default": "false"])
            == "Conversion error: null value for field that is required and has no default value")
    }

    @Test func replaceNullWithDefaultWhenParsing() throws {
        let text = #"{"schema":{"type":"int32","optional":true,"default":5},"payload":null}"#
        #expect(try Golden.converter([:]).toConnectData(topic: "t", headers: nil, value: text.bytes).value == .int32(5))
        let keep = try Golden.converter(["replace.null.with.default": "false"])
        #expect(try keep.toConnectData(topic: "t", headers: nil, value: text.bytes).value == .null)
        let required = #"{"schema":{"type":"int32","default":5},"payload":null}"#
        #expect(try parseError(required, ["replace.null.with.default": "false"]).contains("Invalid null value for required INT32 field"))
    }

    @Test(arguments: [
        (["decimal.format": "HEX"], "decimal.format"),
        (["schemas.enable": "maybe"], "schemas.enable"),
        (["schemas.cache.size": "lots"], "schemas.cache.size"),
    ])
    func badConfig(_ props: [String: String], _ key: String) throws {
        do {
            _ = try Golden.converter(props)
            Issue.record("expected a config error for \(props)")
        } catch let e as ConnectError {
            #expect(e.code == .config)
            #expect(e.message.contains(key))
        }
    }

    @Test func decimalFormatIsCaseInsensitive() throws {
        #expect(try Golden.converter(["decimal.format": "numeric"]).config.decimalFormat == .numeric)
    }
}
