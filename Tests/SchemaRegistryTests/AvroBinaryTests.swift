import SluiceAPI
import Testing

@testable import SchemaRegistry

/// Avro binary datums: spec vectors, bytes the reference AvroConverter wrote, and round trips; bad payloads fail
/// with errors, never crashes.
@Suite struct AvroBinaryTests {
    static func encode(_ v: Value, _ s: Schema) throws -> [UInt8] {
        var e = AvroBinaryEncoder()
        try e.write(v, s)
        return e.bytes
    }

    /// Fuzz finding (scripts/fuzz.sh registry): an array/map block count of Int64.min (zig-zag 0xFF…FF 01) was
    /// negated and trapped; it is a corrupt payload, so a serialization error.
    @Test func blockCountInt64MinIsAnErrorNotATrap() {
        var d = AvroBinaryDecoder([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00])
        #expect(throws: ConnectError.self) { try d.blocks { (_: inout AvroBinaryDecoder) throws(ConnectError) in } }
    }

    @Test func zigZagVarints() throws {
        for (v, bytes) in [(Int64(0), [UInt8(0)]), (-1, [1]), (1, [2]), (64, [0x80, 1]), (Int64.min, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1])] {
            var e = AvroBinaryEncoder()
            e.long(v)
            #expect(e.bytes == bytes)
            var d = AvroBinaryDecoder(bytes)
            #expect(try d.long() == v)
        }
    }

    @Test func referenceVectors() throws {
        #expect(try Self.encode(.string("hi"), .string) == [0x04, 0x68, 0x69])
        #expect(try Self.encode(.array([.int32(1), .int32(2)]), SchemaBuilder.array(.int32).build()) == [4, 2, 4, 0])
        #expect(try Self.encode(.array([]), SchemaBuilder.array(.int32).build()) == [0])
        #expect(try Self.encode(.null, .optionalString) == [0])
        #expect(try Self.encode(.string("a"), .optionalString) == [2, 2, 0x61])
    }

    @Test func structRoundTrip() throws {
        let s = SchemaBuilder.struct().name("r.T")
            .field("a", .int32).field("b", .optionalString).field("c", .float64).field("d", .boolean)
            .field("e", Logical.decimal(scale: 2)).field("f", SchemaBuilder.map(.int32, .string).build())
            .field("g", .bytes).field("h", .int8).field("i", .float32)
            .build()
        let v = Value.structure(Struct(schema: s, values: [
            .int32(-5), .null, .float64(1.5), .boolean(true), .decimal(ConnectDecimal(unscaled: -12345, scale: 2)),
            .map([MapEntry(.int32(1), .string("x"))]), .bytes([1, 2, 3]), .int8(-3), .float32(2.5),
        ]))
        let bytes = try Self.encode(v, s)
        let avro = try AvroSchemaParser.parse(try AvroFromConnect.convert(s).canonicalText)
        let cs = try AvroToConnect.convert(avro)
        var d = AvroBinaryDecoder(bytes)
        #expect(try d.read(avro, cs) == v)
        #expect(d.atEnd)
    }

    @Test func truncatedPayloadsFail() throws {
        let s = SchemaBuilder.struct().name("r.T").field("a", .string).field("b", .int64).build()
        let v = Value.structure(Struct(schema: s, values: [.string("hello"), .int64(1 << 40)]))
        let bytes = try Self.encode(v, s)
        let avro = try AvroFromConnect.convert(s)
        for n in 0..<bytes.count {
            var d = AvroBinaryDecoder(Array(bytes[0..<n]))
            #expect(throws: ConnectError.self) { _ = try d.read(avro, s) }
        }
    }

    @Test func requiredNullIsAnError() {
        #expect(throws: ConnectError.self) { _ = try Self.encode(.null, .string) }
    }
}
