import SluiceAPI
import Testing
@testable import Transforms

@Suite struct CastTests {
    /// Confluent's documented example: `spec=ID:string,score:float64`, `{"ID": 46290, "score": 4761}` →
    /// `{"ID": "46290", "score": 4761.0}`.
    @Test func documentedFieldCastSchemaless() throws {
        let cast = try TestRecords.configured(Cast(.value), ["spec": "ID:string,score:float64"])
        let out = try #require(try cast.apply(TestRecords.sink(schema: nil, value: TestRecords.map(["ID": .int64(46290), "score": .int64(4761)]))))
        #expect(out.value == TestRecords.map(["ID": .string("46290"), "score": .float64(4761)]))
        #expect(out.valueSchema == nil)
    }

    @Test func documentedFieldCastWithSchema() throws {
        let schema = SchemaBuilder.struct().name("orders").field("ID", .int32).field("score", .optionalInt32).build()
        let cast = try TestRecords.configured(Cast(.value), ["spec": "ID:string,score:float64"])
        let record = TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["ID": .int32(46290), "score": .int32(4761)]))
        let out = try #require(try cast.apply(record))
        let expectedSchema = SchemaBuilder.struct().name("orders").field("ID", .string).field("score", .optionalFloat64).build()
        #expect(out.valueSchema == expectedSchema)
        #expect(out.value == TestRecords.structValue(expectedSchema, ["ID": .string("46290"), "score": .float64(4761)]))
        // The key side is untouched, and the sink coordinates survive.
        #expect(out.kafkaOffset == 42 && out.topic == "test")
    }

    /// Documented whole-value cast: a FLOAT64 `63521704.02` cast to `string`. Java's `Double.toString` prints
    /// values of 10^7 and above in E notation, so a Kafka worker produces `6.352170402E7` (the docs round it).
    @Test func documentedWholeValueCast() throws {
        let cast = try TestRecords.configured(Cast(.value), ["spec": "string"])
        let out = try #require(try cast.apply(TestRecords.sink(schema: .float64, value: .float64(63521704.02))))
        #expect(out.valueSchema == .string)
        #expect(out.value == .string("6.352170402E7"))
        let small = try #require(try cast.apply(TestRecords.sink(schema: .optionalFloat64, value: .float64(1234.5))))
        #expect(small.value == .string("1234.5") && small.valueSchema == .optionalString)
    }

    @Test func wholeKeyCastNarrowsLikeJava() throws {
        let cast = try TestRecords.configured(Cast(.key), ["spec": "int8"])
        let out = try #require(try cast.apply(TestRecords.sink(keySchema: .int64, key: .int64(300), schema: .string, value: .string("v"))))
        #expect(out.key == .int8(44))  // (byte) 300
        #expect(out.keySchema == .int8)
        #expect(out.value == .string("v"))
    }

    /// Kafka CastTest's field matrix: every primitive to another type.
    @Test func castsEveryPrimitiveField() throws {
        let schema = SchemaBuilder.struct()
            .field("int8", .int8).field("int16", .int16).field("int32", .int32).field("int64", .int64)
            .field("float32", .float32).field("float64", .float64).field("boolean", .boolean).field("string", .string)
            .field("bigdecimal", Logical.decimal(scale: 0)).field("ts", Logical.timestamp).field("bytes", .bytes)
            .field("optional", .optionalFloat32).field("untouched", .string).build()
        let cast = try TestRecords.configured(Cast(.value), [
            "spec": "int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,"
                + "string:int32,bigdecimal:string,ts:string,bytes:string,optional:int32"
        ])
        let value = TestRecords.structValue(schema, [
            "int8": .int8(8), "int16": .int16(16), "int32": .int32(32), "int64": .int64(64), "float32": .float32(32),
            "float64": .float64(-64), "boolean": .boolean(true), "string": .string("42"),
            "bigdecimal": .decimal(ConnectDecimal(unscaled: 42, scale: 0)), "ts": .int64(1_700_000_000_123),
            "bytes": .bytes(Array("hello".utf8)), "optional": .null, "untouched": .string("x"),
        ])
        let out = try #require(try cast.apply(TestRecords.sink(schema: schema, value: value)))
        let v = out.value
        #expect(v[field: "int8"] == .int16(8))
        #expect(v[field: "int16"] == .int32(16))
        #expect(v[field: "int32"] == .int64(32))
        #expect(v[field: "int64"] == .boolean(true))
        #expect(v[field: "float32"] == .float64(32))
        #expect(v[field: "float64"] == .boolean(true))
        #expect(v[field: "boolean"] == .int8(1))
        #expect(v[field: "string"] == .int32(42))
        #expect(v[field: "bigdecimal"] == .string("42"))
        #expect(v[field: "ts"] == .string("2023-11-14T22:13:20.123Z"))
        #expect(v[field: "bytes"] == .string("aGVsbG8="))
        #expect(v[field: "optional"] == .null)
        #expect(v[field: "untouched"] == .string("x"))
        #expect(out.valueSchema?.field("optional")?.schema == .optionalInt32)
        #expect(out.valueSchema?.field("ts")?.schema == .string)
        try out.value.structValue?.validate()
    }

    @Test func decimalsAndFloatsFollowJavaConversions() throws {
        let cast = try TestRecords.configured(Cast(.value), ["spec": "d:int32,e:string,f:int64,g:float64"])
        let schema = SchemaBuilder.struct().field("d", Logical.decimal(scale: 2)).field("e", Logical.decimal(scale: 9))
            .field("f", .float64).field("g", Logical.decimal(scale: 2)).build()
        let value = TestRecords.structValue(schema, [
            "d": .decimal(ConnectDecimal(unscaled: -12345, scale: 2)), "e": .decimal(ConnectDecimal(unscaled: 1, scale: 9)),
            "f": .float64(.nan), "g": .decimal(ConnectDecimal(unscaled: 150, scale: 2)),
        ])
        let out = try #require(try cast.apply(TestRecords.sink(schema: schema, value: value)))
        #expect(out.value[field: "d"] == .int32(-123))
        #expect(out.value[field: "e"] == .string("1E-9"))  // BigDecimal.toString
        #expect(out.value[field: "f"] == .int64(0))
        #expect(out.value[field: "g"] == .float64(1.5))
    }

    @Test func schemaCachedPerInputSchema() throws {
        let schema = SchemaBuilder.struct().field("a", .int32).build()
        let cast = try TestRecords.configured(Cast(.value), ["spec": "a:string"])
        let first = try #require(try cast.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["a": .int32(1)]))))
        let second = try #require(try cast.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["a": .int32(2)]))))
        #expect(first.valueSchema === second.valueSchema)
        #expect(second.value[field: "a"] == .string("2"))
    }

    @Test func nullValuesPassThrough() throws {
        let cast = try TestRecords.configured(Cast(.value), ["spec": "a:string"])
        let tombstone = TestRecords.sink(schema: nil, value: .null)
        #expect(try cast.apply(tombstone) == tombstone)
    }

    @Test func errors() throws {
        #expect(TestRecords.connectError { _ = try TestRecords.configured(Cast(.value), [:]) }?.message.contains("\"spec\"") == true)
        let badType = TestRecords.connectError { _ = try TestRecords.configured(Cast(.value), ["spec": "a:varchar"]) }
        #expect(badType?.message.contains("spec") == true && badType?.message.contains("Invalid type found in casting spec: varchar") == true)
        let bytesOut = TestRecords.connectError { _ = try TestRecords.configured(Cast(.value), ["spec": "a:bytes"]) }
        #expect(bytesOut?.message.contains("does not support casting to BYTES") == true)
        let mixed = TestRecords.connectError { _ = try TestRecords.configured(Cast(.value), ["spec": "int8,a:string"]) }
        #expect(mixed?.message.contains("entire value") == true)

        let cast = try TestRecords.configured(Cast(.value), ["spec": "a:int8"])
        let outOfRange = TestRecords.connectError { _ = try cast.apply(TestRecords.sink(schema: nil, value: TestRecords.map(["a": .string("1000")]))) }
        #expect(outOfRange?.message == "Value (1000) was out of range for requested data type")
        #expect(outOfRange?.code == .dataException)
        let notAMap = TestRecords.connectError { _ = try cast.apply(TestRecords.sink(schema: nil, value: .string("x"))) }
        #expect(notAMap?.message == "Only Map objects supported in absence of schema for [cast types], found: String")
        let structSchema = SchemaBuilder.struct().field("a", SchemaBuilder.struct().field("x", .int32).build()).build()
        let nested = TestRecords.connectError {
            let inner = Struct(schema: structSchema.field("a")!.schema, values: [.int32(1)])
            _ = try cast.apply(TestRecords.sink(schema: structSchema, value: .structure(Struct(schema: structSchema, values: [.structure(inner)]))))
        }
        #expect(nested?.message.contains("does not support casting from STRUCT") == true)
    }
}

extension CastTests {
    /// A struct whose values do not fit the record schema is a clear data error, not an out-of-range trap.
    @Test func mismatchedStructLayoutIsAnError() throws {
        let schema = SchemaBuilder.struct().field("a", .int32).field("b", .int32).build()
        let other = SchemaBuilder.struct().field("a", .int32).build()
        let record = TestRecords.sink(schema: schema, value: .structure(Struct(schema: other, values: [.int32(1)])))
        for t in [try TestRecords.configured(Cast(.value), ["spec": "b:string"]) as any Transformation,
                  try TestRecords.configured(ReplaceField(.value), ["renames": "b:c"]),
                  try TestRecords.configured(Flatten(.value), [:])] {
            let e = TestRecords.connectError { _ = try t.apply(record) }
            #expect(e?.message.hasPrefix("Struct with 1 values does not match its schema of 2 fields") == true)
        }
    }
}
