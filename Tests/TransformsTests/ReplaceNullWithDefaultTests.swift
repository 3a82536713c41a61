import SluiceAPI
import Testing
@testable import Transforms

/// KIP-1040 `replace.null.with.default`: null fields read as their schema default unless it is set to false.
@Suite struct ReplaceNullWithDefaultTests {
    static let schema = SchemaBuilder.struct()
        .field("id", .int32)
        .field("status", SchemaBuilder(type: .string).optional().defaultValue(.string("new")).build())
        .build()
    static let record = TestRecords.sink(schema: schema, value: .structure(Struct(schema: schema, values: [.int32(1), .null])))

    @Test func defaultsReplaceNullsUnlessDisabled() throws {
        let cases: [(String, () -> any Transformation, [String: String], (SinkRecord) -> Value?)] = [
            ("ExtractField", { ExtractField(.value) }, ["field": "status"], { $0.value }),
            ("ReplaceField", { ReplaceField(.value) }, ["renames": "status:state"], { $0.value[field: "state"] }),
            ("InsertField", { InsertField(.value) }, ["topic.field": "t"], { $0.value[field: "status"] }),
            ("Cast", { Cast(.value) }, ["spec": "status:string"], { $0.value[field: "status"] }),
            ("ValueToKey", { ValueToKey() }, ["fields": "status"], { $0.key[field: "status"] }),
            ("SetSchemaMetadata", { SetSchemaMetadata(.value) }, ["schema.name": "n"], { $0.value[field: "status"] }),
            ("HeaderFrom", { HeaderFrom(.value) }, ["fields": "status", "headers": "h", "operation": "copy"], { $0.headers.last("h")?.value }),
        ]
        for (name, make, props, read) in cases {
            let on = try #require(try TestRecords.configured(make(), props).apply(Self.record), "\(name)")
            #expect(read(on) == .string("new"), "\(name) with defaults")
            var offProps = props
            offProps["replace.null.with.default"] = "false"
            let off = try #require(try TestRecords.configured(make(), offProps).apply(Self.record), "\(name)")
            #expect(read(off) == .null, "\(name) without defaults")
        }
    }
}
