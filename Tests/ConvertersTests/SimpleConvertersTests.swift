import SluiceAPI
import Testing

@testable import Converters

@Suite struct StringConverterTests {
    @Test func stringsRoundTripAsUTF8() throws {
        let c = StringConverter()
        try c.configure([:], isKey: true)
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("héllo")) == "héllo".bytes)
        #expect(try c.toConnectData(topic: "t", headers: nil, value: "héllo".bytes) == SchemaAndValue(schema: .optionalString, value: .string("héllo")))
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .optionalString, value: .null) == nil)
        #expect(try c.toConnectData(topic: "t", headers: nil, value: nil) == SchemaAndValue(schema: .optionalString, value: .null))
    }

    @Test func nonStringsUseJavaToString() throws {
        let c = StringConverter()
        try c.configure([:], isKey: false)
        func text(_ s: Schema?, _ v: Value) throws -> String? {
            let bytes = try c.fromConnectData(topic: "t", headers: nil, schema: s, value: v)
            return bytes?.utf8Text
        }
        #expect(try text(.int32, .int32(42)) == "42")
        #expect(try text(.float64, .float64(1e20)) == "1.0E20")
        #expect(try text(.float32, .float32(0.5)) == "0.5")
        #expect(try text(.boolean, .boolean(false)) == "false")
        #expect(try text(Logical.decimal(scale: 2), .decimal(ConnectDecimal(unscaled: 15, scale: 8))) == "1.5E-7")
        #expect(try text(nil, .array([.int32(1), .string("a")])) == "[1, a]")
        #expect(try text(nil, .map([MapEntry(.string("k"), .int64(1))])) == "{k=1}")
        let s = SchemaBuilder.struct().field("a", .int32).field("b", .optionalString).field("c", .string).build()
        #expect(try text(s, .structure(Struct(schema: s, values: [.int32(1), .null, .string("x")]))) == "Struct{a=1,c=x}")
        #expect(try text(Logical.timestamp, .int64(0)) == "Thu Jan 01 00:00:00 UTC 1970")
        #expect(try text(Logical.date, .int32(19_737)) == "Mon Jan 15 00:00:00 UTC 2024")
    }

    @Test func latin1Encoding() throws {
        let c = StringConverter()
        try c.configure(["converter.encoding": "ISO-8859-1"], isKey: false)
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("é")) == [0xE9])
        #expect(try c.toConnectData(topic: "t", headers: nil, value: [0xE9]).value == .string("é"))
    }

    @Test func unknownEncodingIsAConfigError() {
        #expect(throws: ConnectError.self) { try StringConverter().configure(["converter.encoding": "EBCDIC"], isKey: false) }
    }

    @Test func worksAsHeaderConverter() throws {
        let c = StringConverter()
        try c.configure([:])
        #expect(try c.fromConnectHeader(topic: "t", headerKey: "h", schema: .int64, value: .int64(7)) == "7".bytes)
        #expect(try c.toConnectHeader(topic: "t", headerKey: "h", value: "7".bytes).value == .string("7"))
    }
}

@Suite struct ByteArrayConverterTests {
    @Test func passesBytesThrough() throws {
        let c = ByteArrayConverter()
        try c.configure([:], isKey: false)
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .bytes, value: .bytes([0, 255])) == [0, 255])
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: nil, value: .bytes([1])) == [1])
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .optionalBytes, value: .null) == nil)
        #expect(try c.toConnectData(topic: "t", headers: nil, value: [9]) == SchemaAndValue(schema: .optionalBytes, value: .bytes([9])))
        #expect(try c.toConnectData(topic: "t", headers: nil, value: nil) == SchemaAndValue(schema: .optionalBytes, value: .null))
    }

    @Test func rejectsOtherTypes() throws {
        let c = ByteArrayConverter()
        #expect(throws: ConnectError.self) { try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .bytes([1])) }
        do {
            _ = try c.fromConnectData(topic: "t", headers: nil, schema: nil, value: .string("x"))
            Issue.record("expected an error")
        } catch let e as ConnectError {
            #expect(e.message == "ByteArrayConverter is not compatible with objects of type class java.lang.String")
        }
    }
}

@Suite struct NumberConverterTests {
    @Test func bigEndianLikeKafkaSerializers() throws {
        let cases: [(NumberConverter.Kind, Value, [UInt8])] = [
            (.short, .int16(-2), [0xFF, 0xFE]),
            (.integer, .int32(0x0102_0304), [1, 2, 3, 4]),
            (.long, .int64(-1), [UInt8](repeating: 0xFF, count: 8)),
            (.float, .float32(1.5), [0x3F, 0xC0, 0, 0]),
            (.double, .float64(-2.0), [0xC0, 0, 0, 0, 0, 0, 0, 0]),
        ]
        for (kind, value, bytes) in cases {
            let c = NumberConverter(kind)
            try c.configure([:], isKey: true)
            #expect(try c.fromConnectData(topic: "t", headers: nil, schema: kind.schema, value: value) == bytes)
            #expect(try c.toConnectData(topic: "t", headers: nil, value: bytes) == SchemaAndValue(schema: kind.schema, value: value))
            #expect(try c.fromConnectData(topic: "t", headers: nil, schema: kind.schema, value: .null) == nil)
            #expect(try c.toConnectData(topic: "t", headers: nil, value: nil).value == .null)
        }
    }

    @Test func wrongSizeAndWrongType() throws {
        let c = NumberConverter(.integer)
        do {
            _ = try c.toConnectData(topic: "t", headers: nil, value: [1, 2])
            Issue.record("expected an error")
        } catch let e as ConnectError {
            #expect(e.message == "Failed to deserialize INT32: Size of data received by IntegerDeserializer is not 4")
        }
        #expect(throws: ConnectError.self) { try c.fromConnectData(topic: "t", headers: nil, schema: nil, value: .int64(1)) }
    }
}
