import SluiceAPI
import Testing
@testable import Transforms

/// `FieldProgramChain` (the one-pass form the runtime gives consecutive InsertField/ReplaceField/Cast stages) must
/// give exactly what the stages give one after the other: same values, same schema instances, same errors, for
/// records its programs cover and for those they do not (tombstones, schemaless maps, record-dependent fields).
@Suite struct FieldProgramChainTests {
    static let schema = SchemaBuilder.struct().name("orders.Value")
        .field("id", .int64).field("customer_id", .int64).field("status", SchemaBuilder(type: .string).optional().defaultValue(.string("NEW")).build())
        .field("quantity", SchemaBuilder(type: .int32).optional().defaultValue(.int32(1)).build())
        .field("price", Logical.decimal(scale: 2)).field("created_at", Logical.timestamp)
        .build()

    static func orders(_ id: Int64, status: Value = .string("SHIPPED"), quantity: Value = .int32(3)) -> Value {
        .structure(Struct(schema: schema, values: [
            .int64(id), .int64(id % 10), status, quantity, .decimal(ConnectDecimal(unscaled: id * 13, scale: 2)),
            .int64(1_700_000_000_000 + id),
        ]))
    }

    static func stages(_ configs: [(make: () -> any FieldProgramTransformation, props: [String: String])]) throws -> [any FieldProgramTransformation] {
        try configs.map { c in
            let t = c.make()
            try t.configure(c.props)
            return t
        }
    }

    /// Chains covering the program path (the benchmark's chain, defaults on and off, renames + exclusions, casts
    /// of cast fields, the key side) and one that falls back (InsertField's topic field varies per record).
    static func chains() throws -> [[any FieldProgramTransformation]] {
        [
            try stages([
                ({ InsertField(.value) }, ["static.field": "source", "static.value": "sluice"]),
                ({ ReplaceField(.value) }, ["renames": "customer_id:customer,status:state"]),
                ({ Cast(.value) }, ["spec": "quantity:int64,id:string"]),
            ]),
            try stages([
                ({ ReplaceField(.value) }, ["exclude": "price", "renames": "quantity:qty", "replace.null.with.default": "false"]),
                ({ Cast(.value) }, ["spec": "qty:string,created_at:string", "replace.null.with.default": "false"]),
                ({ InsertField(.value) }, ["static.field": "origin!", "static.value": "db"]),
            ]),
            try stages([
                ({ Cast(.value) }, ["spec": "id:int32"]),
                ({ Cast(.value) }, ["spec": "id:string,quantity:float64"]),
                ({ ReplaceField(.value) }, ["include": "id,quantity,status"]),
            ]),
            try stages([
                ({ InsertField(.value) }, ["static.field": "source", "static.value": "sluice", "topic.field": "t"]),
                ({ Cast(.value) }, ["spec": "id:string"]),
            ]),
            try stages([
                ({ Cast(.key) }, ["spec": "k:string"]),
                ({ InsertField(.key) }, ["static.field": "origin", "static.value": "db"]),
            ]),
        ]
    }

    static let keySchema = SchemaBuilder.struct().field("k", .int64).build()

    static func sourceRecords() -> [SourceRecord] {
        [
            TestRecords.source(schema: schema, value: orders(7)),
            TestRecords.source(schema: schema, value: orders(8, status: .null, quantity: .null)),
            TestRecords.source(topic: "other", schema: schema, value: orders(123_456)),
            TestRecords.source(schema: schema, value: .null),
            TestRecords.source(schema: nil, value: TestRecords.map(["id": .int64(9), "customer_id": .int64(1), "quantity": .int32(2)])),
            TestRecords.source(keySchema: keySchema, key: .structure(Struct(schema: keySchema, values: [.int64(5)])), schema: schema, value: orders(10)),
            // A struct whose schema is not the record's (equal, but another instance): the stages' own path.
            TestRecords.source(schema: SchemaBuilder.struct().name("orders.Value").field("id", .int64).build(),
                               value: .structure(Struct(schema: SchemaBuilder.struct().name("orders.Value").field("id", .int64).build(), values: [.int64(3)]))),
        ]
    }

    static func oneByOne<R: ConnectRecord>(_ stages: [any FieldProgramTransformation], _ record: R, inPlace: (any InPlaceTransformation, inout R) throws -> Bool) throws -> R? {
        var current = record
        for t in stages where try !inPlace(t, &current) { return nil }
        return current
    }

    @Test func sourceRecordsMatchTheStagesRunOneByOne() throws {
        for stages in try Self.chains() {
            let chain = try #require(FieldProgramChain(stages))
            // Twice: the first record of a schema builds the program, the next ones hit the cache.
            for record in Self.sourceRecords() + Self.sourceRecords() {
                let expected = ChainOutcome { try Self.oneByOne(stages, record) { t, r in try t.applyInPlace(&r) } }
                var fused = record
                let got = ChainOutcome { try chain.applyInPlace(&fused) ? fused : nil }
                #expect(got == expected, "chain \(stages.map { type(of: $0) }) on \(record.value)")
                if case .kept(let e) = expected, case .kept(let g) = got {
                    #expect(g.valueSchema === e.valueSchema && g.keySchema === e.keySchema)
                }
            }
        }
    }

    @Test func sinkRecordsMatchTheStagesRunOneByOne() throws {
        let records = [
            TestRecords.sink(schema: Self.schema, value: Self.orders(7)),
            TestRecords.sink(schema: Self.schema, value: Self.orders(8, status: .null, quantity: .null)),
            TestRecords.sink(schema: nil, value: TestRecords.map(["id": .int64(9), "status": .string("x")])),
            TestRecords.sink(schema: Self.schema, value: .null),
        ]
        for stages in try Self.chains() {
            let chain = try #require(FieldProgramChain(stages))
            for record in records {
                let expected = try? Self.oneByOne(stages, record) { t, r in try t.applyInPlace(&r) }
                var fused = record
                let kept = try? chain.applyInPlace(&fused)
                #expect((kept == true ? fused : nil) == expected)
                #expect(try chain.apply(record) == expected)
            }
        }
    }

    @Test func aFailingCastThrowsWhatTheStageThrows() throws {
        let stages = try Self.stages([
            ({ InsertField(.value) }, ["static.field": "source", "static.value": "sluice"]),
            ({ Cast(.value) }, ["spec": "source:int32"]),
        ])
        let chain = try #require(FieldProgramChain(stages))
        let record = TestRecords.source(schema: Self.schema, value: Self.orders(1))
        var expected = ""
        do { _ = try Self.oneByOne(stages, record) { t, r in try t.applyInPlace(&r) } } catch { expected = "\(error)" }
        #expect(expected.contains("out of range"))
        var fused = record
        #expect(throws: ConnectError.self) {
            do { _ = try chain.applyInPlace(&fused) } catch {
                #expect("\(error)" == expected)
                throw error
            }
        }
    }

    /// A cast whose field a later stage drops still runs (and fails) as it does stage by stage.
    @Test func aCastOfAFieldDroppedLaterStillFails() throws {
        let schema = SchemaBuilder.struct().field("id", .int64).field("note", .string).build()
        let stages = try Self.stages([
            ({ Cast(.value) }, ["spec": "note:int32"]),
            ({ ReplaceField(.value) }, ["exclude": "note"]),
        ])
        let chain = try #require(FieldProgramChain(stages))
        #expect(try stages[0].fieldProgram(for: schema) != nil)  // the program path, not the stages' fallback
        for note in ["not a number", "42"] {
            let record = TestRecords.source(schema: schema, value: .structure(Struct(schema: schema, values: [.int64(1), .string(note)])))
            let expected = ChainOutcome { try Self.oneByOne(stages, record) { t, r in try t.applyInPlace(&r) } }
            var fused = record
            #expect(ChainOutcome { try chain.applyInPlace(&fused) ? fused : nil } == expected)
            if note == "not a number" {
                guard case .failed(let message) = expected else {
                    Issue.record("casting \(note) to int32 should fail")
                    continue
                }
                #expect(message.contains("out of range"))
            }
        }
    }

    @Test func composedProgramOfTheBenchmarkChain() throws {
        let stages = try Self.chains()[0]
        let program = try stages.dropFirst().reduce(try #require(try stages[0].fieldProgram(for: Self.schema))) { p, t in
            p.then(try #require(try t.fieldProgram(for: p.schema)))
        }
        #expect(program.schema.fields.map(\.name) == ["id", "customer", "state", "quantity", "price", "created_at", "source"])
        // Defaults of `status` and `quantity` (InsertField and ReplaceField replace nulls; Cast then casts quantity).
        #expect(program.conversions.map(\.count) == [1, 0, 2, 3, 0, 0, 0])
        guard case .constant(.string("sluice")) = program.sources[6] else {
            Issue.record("the static field should be a constant, got \(program.sources[6])")
            return
        }
    }

    @Test func onlyStagesOnOneSideFormAChain() throws {
        let value = try Self.stages([({ Cast(.value) }, ["spec": "id:string"]), ({ ReplaceField(.value) }, ["exclude": "price"])])
        let key = try Self.stages([({ Cast(.key) }, ["spec": "k:string"])])
        #expect(FieldProgramChain(value) != nil)
        #expect(FieldProgramChain([value[0]]) == nil)
        #expect(FieldProgramChain(value + key) == nil)
    }
}

/// What running a chain on one record gave: the record, a drop, or the error's text.
enum ChainOutcome<R: Equatable>: Equatable {
    case kept(R)
    case dropped
    case failed(String)

    init(_ body: () throws -> R?) {
        do { self = try body().map { .kept($0) } ?? .dropped } catch { self = .failed("\(error)") }
    }
}
