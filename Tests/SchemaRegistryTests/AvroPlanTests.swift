import SluiceAPI
import Testing

@testable import SchemaRegistry

/// The per-schema plans (`AvroWritePlan`, `AvroReadPlan`) against the generic encoder and decoder they shortcut:
/// same bytes, same values, and the generic error (with its field path) when a value does not fit.
@Suite struct AvroPlanTests {
    static let inner = SchemaBuilder.struct().name("a.Inner").field("x", .int8).field("y", .optionalFloat32).build()
    static let schema = SchemaBuilder.struct().name("a.Outer")
        .field("i16", .int16)
        .field("withDefault", SchemaBuilder(type: .int32).optional().defaultValue(.int32(7)).build())
        .field("f32", .float32)
        .field("dec", Logical.decimal(scale: 3))
        .field("optDec", Logical.decimal(scale: 1, optional: true))
        .field("blob", .optionalBytes)
        .field("tags", SchemaBuilder.array(.optionalString).build())
        .field("byName", SchemaBuilder.map(.string, .int64).build())
        .field("byId", SchemaBuilder.map(.int32, Self.inner).optional().build())
        .field("inner", Self.inner.withOptional(true))
        .field("ts", Logical.timestamp)
        .build()

    static func value(_ i: Int) -> Value {
        .structure(Struct(schema: schema, values: [
            .int16(Int16(i)), i % 2 == 0 ? .null : .int32(Int32(i)), .float32(Float(i) / 3),
            .decimal(ConnectDecimal(unscaled: Int64(i * 1001 - 5000), scale: 3)), i % 3 == 0 ? .null : .decimal(ConnectDecimal(unscaled: Int64(i), scale: 1)),
            i % 2 == 0 ? .bytes([UInt8(i & 0xFF), 0]) : .null, .array([.string("t\(i)"), .null]),
            .map([MapEntry(.string("k"), .int64(Int64(i) << 40))]),
            i % 4 == 0 ? .null : .map([MapEntry(.int32(Int32(i)), .structure(Struct(schema: inner, values: [.int8(1), .float32(0.5)])))]),
            i % 5 == 0 ? .null : .structure(Struct(schema: inner.withOptional(true), values: [.int8(-3), .null])),
            .int64(1_700_000_000_000 + Int64(i)),
        ]))
    }

    @Test func plansMatchTheGenericCoders() throws {
        let avro = try AvroFromConnect.convert(Self.schema, connectMetaData: true, enhanced: false)
        let connectBack = try AvroToConnect.convert(avro, version: nil, connectMetaData: true)
        let writePlan = AvroWritePlan(Self.schema, enhanced: false)
        let readPlan = AvroReadPlan.make(avro, connectBack)
        for i in 0..<40 {
            var generic = AvroBinaryEncoder()
            try generic.write(Self.value(i), Self.schema)
            var planned = AvroBinaryEncoder()
            let fits = planned.write(Self.value(i), writePlan)
            #expect(fits)
            #expect(planned.bytes == generic.bytes, "record \(i)")
            var d1 = AvroBinaryDecoder(generic.bytes), d2 = AvroBinaryDecoder(generic.bytes)
            let a = try d1.read(avro, connectBack), b = try d2.read(readPlan)
            #expect(a == b, "record \(i)")
            #expect(d2.atEnd)
        }
    }

    @Test func misfitsFallBackToTheGenericError() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = AvroConverter()
        c.configure(config: try AvroConverterConfig(["schema.registry.url": "http://unused", "converter.type": "value"], isKey: false), isKey: false, client: reg)
        var values = Self.value(1).structValue!.values
        values[9] = .structure(Struct(schema: Self.inner.withOptional(true), values: [.string("oops"), .null]))
        let bad = Value.structure(Struct(schema: Self.schema, values: values))
        _ = try c.fromConnectData(topic: "t", headers: nil, schema: Self.schema, value: Self.value(1))
        do {
            _ = try c.fromConnectData(topic: "t", headers: nil, schema: Self.schema, value: bad)
            Issue.record("no error")
        } catch let e as ConnectError {
            #expect(e.message.contains("for field: \"inner.x\""), "\(e.message)")
        }
        // A truncated payload read through the plan is an error, not a crash.
        let good = try #require(try c.fromConnectData(topic: "t", headers: nil, schema: Self.schema, value: Self.value(3)))
        for cut in stride(from: 6, to: good.count, by: 3) {
            #expect(throws: ConnectError.self) { _ = try c.toConnectData(topic: "t", headers: nil, value: Array(good.prefix(cut))) }
        }
        #expect(try c.toConnectData(topic: "t", headers: nil, value: good).value.structValue?.values.count == 11)
    }
}
