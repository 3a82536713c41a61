import JavaCompat
import SluiceAPI
import Testing
@testable import Transforms

/// `applyInPlace` (the copy-free path a chain runner that owns its record uses) must give exactly what `apply`
/// gives, for both record types, both sides, schemaful and schemaless values, and fail the same way.
@Suite struct InPlaceTransformationTests {
    static let schema = SchemaBuilder.struct().name("orders.Value")
        .field("id", .int64).field("customer_id", .int64).field("status", .optionalString)
        .field("quantity", SchemaBuilder(type: .int32).optional().defaultValue(.int32(1)).build())
        .build()

    static func orders(_ id: Int64, status: Value = .string("NEW"), quantity: Value = .int32(3)) -> Value {
        .structure(Struct(schema: schema, values: [.int64(id), .int64(id % 10), status, quantity]))
    }

    /// The chain of the benchmark plus transforms exercising the key side and the schemaless path.
    static func chains() throws -> [[any InPlaceTransformation]] {
        [
            [
                try TestRecords.configured(InsertField(.value), ["static.field": "source", "static.value": "sluice", "topic.field": "t"]),
                try TestRecords.configured(ReplaceField(.value), ["renames": "customer_id:customer,status:state"]),
                try TestRecords.configured(Cast(.value), ["spec": "quantity:int64,id:string"]),
            ],
            [
                try TestRecords.configured(ReplaceField(.value), ["exclude": "status"]),
                try TestRecords.configured(Cast(.value), ["spec": "id:float64"]),
            ],
            [try TestRecords.configured(Cast(.key), ["spec": "int64"]), try TestRecords.configured(InsertField(.key), ["topic.field": "t"])],
        ]
    }

    static func viaApply<R: ConnectRecord>(_ chain: [any InPlaceTransformation], _ record: R) throws -> R? {
        var current = record
        for t in chain {
            guard let next = try t.apply(current) else { return nil }
            current = next
        }
        return current
    }

    @Test func sourceRecordsMatchApply() throws {
        let records = [
            TestRecords.source(schema: Self.schema, value: Self.orders(7)),
            TestRecords.source(schema: Self.schema, value: Self.orders(8, status: .null, quantity: .null)),
            TestRecords.source(schema: nil, value: TestRecords.map(["id": .int64(9), "customer_id": .int64(1), "quantity": .int32(2)])),
            TestRecords.source(schema: Self.schema, value: .null),
            TestRecords.source(keySchema: .int32, key: .int32(5), schema: Self.schema, value: Self.orders(10)),
        ]
        for chain in try Self.chains() {
            for record in records {
                let expected: SourceRecord? = try? Self.viaApply(chain, record)
                var inPlace = record
                var kept = true
                do {
                    for t in chain where kept { kept = try t.applyInPlace(&inPlace) }
                } catch {
                    #expect(expected == nil, "applyInPlace threw \(error) where apply succeeded")
                    continue
                }
                #expect(kept)
                #expect(inPlace == expected)
            }
        }
    }

    @Test func sinkRecordsMatchApply() throws {
        let records = [
            TestRecords.sink(schema: Self.schema, value: Self.orders(7)),
            TestRecords.sink(schema: nil, value: TestRecords.map(["id": .int64(9), "status": .string("x")])),
            TestRecords.sink(keySchema: .int32, key: .int32(5), schema: Self.schema, value: Self.orders(10)),
        ]
        for chain in try Self.chains() {
            for record in records {
                let expected: SinkRecord? = try? Self.viaApply(chain, record)
                var inPlace = record
                var kept = true
                do {
                    for t in chain where kept { kept = try t.applyInPlace(&inPlace) }
                } catch {
                    #expect(expected == nil, "applyInPlace threw \(error) where apply succeeded")
                    continue
                }
                #expect(kept)
                #expect(inPlace == expected)
            }
        }
    }

    @Test func castFailureThrowsTheSameErrorAndApplyLeavesTheInputAlone() throws {
        let cast = try TestRecords.configured(Cast(.value), ["spec": "status:int32"])
        let record = TestRecords.source(schema: Self.schema, value: Self.orders(1, status: .string("not a number")))
        var message = ""
        #expect(throws: ConnectError.self) {
            do { _ = try cast.apply(record) } catch { message = "\(error)"; throw error }
        }
        var inPlace = record
        #expect(throws: ConnectError.self) {
            do { _ = try cast.applyInPlace(&inPlace) } catch {
                #expect("\(error)" == message)
                throw error
            }
        }
        #expect(record.value == Self.orders(1, status: .string("not a number")))
    }

    @Test func shapesOfTheBenchmarkChain() throws {
        let chain = try Self.chains()[0]
        var record = TestRecords.source(topic: "orders", schema: Self.schema, value: Self.orders(42))
        for t in chain {
            let kept = try t.applyInPlace(&record)
            #expect(kept)
        }
        let s = try #require(record.value.structValue)
        #expect(record.valueSchema === s.schema)
        #expect(s.schema.fields.map { $0.name } == ["id", "customer", "state", "quantity", "t", "source"])
        let expected: [Value] = [.string("42"), .int64(2), .string("NEW"), .int64(3), .string("orders"), .string("sluice")]
        #expect(s.values == expected)
    }

    /// Cast's integer → string fast path must print exactly what `Long.toString` (and `String(v)`) prints.
    @Test func integerTextMatchesLongToString() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 1_700_000_000_000, .max, .min, .max - 1, .min + 1]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<1000 {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            values.append(Int64(bitPattern: x) >> (x % 63))
        }
        for v in values { #expect(JavaText.long(v) == String(v)) }
        #expect(JavaText.toString(.int8(-128)) == "-128")
        #expect(JavaText.toString(.int32(Int32.min)) == "-2147483648")
    }
}
