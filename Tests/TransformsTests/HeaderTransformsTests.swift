import SluiceAPI
import Testing
@testable import Transforms

@Suite struct HeaderTransformsTests {
    @Test func dropHeadersRemovesEveryNamedHeader() throws {
        let t = try TestRecords.configured(DropHeaders(), ["headers": "dummy,other"])
        let headers: Headers = [.string("dummy", "1"), .string("keep", "2"), .string("dummy", "3"), .string("other", "4")]
        let out = try #require(try t.apply(TestRecords.sink(schema: nil, value: .string("v"), headers: headers)))
        #expect(out.headers.items.map(\.key) == ["keep"])
        #expect(TestRecords.connectError { _ = try TestRecords.configured(DropHeaders(), ["headers": ""]) }?.message.contains("headers") == true)
    }

    @Test func insertHeaderInfersLiteralTypes() throws {
        func header(_ literal: String) throws -> Header {
            let t = try TestRecords.configured(InsertHeader(), ["header": "h", "value.literal": literal])
            return try #require(try t.apply(TestRecords.sink(schema: nil, value: .null))?.headers.last("h"))
        }
        #expect(try header("best-app") == Header(key: "h", schema: .string, value: .string("best-app")))
        #expect(try header("42") == Header(key: "h", schema: .int8, value: .int8(42)))
        #expect(try header("40000") == Header(key: "h", schema: .int32, value: .int32(40000)))
        #expect(try header("true") == Header(key: "h", schema: .boolean, value: .boolean(true)))
        #expect(try header("1.5") == Header(key: "h", schema: .float32, value: .float32(1.5)))
        #expect(try header("2017-01-03") == Header(key: "h", schema: Logical.date, value: .int32(17169)))
        let missing = TestRecords.connectError { _ = try TestRecords.configured(InsertHeader(), ["header": "h"]) }
        #expect(missing?.message.contains("value.literal") == true)
    }

    /// Kafka HeaderFromTest: fields field1,field2 → headers inserted1,inserted2, with copy and move.
    @Test func headerFromCopyAndMoveWithSchema() throws {
        let schema = SchemaBuilder.struct().field("field1", .string).field("field2", .int32).field("field3", .string).build()
        let value = TestRecords.structValue(schema, ["field1": .string("a"), "field2": .int32(2), "field3": .string("c")])
        let record = TestRecords.sink(schema: schema, value: value, headers: [.string("existing", "x")])

        let copy = try TestRecords.configured(HeaderFrom(.value), ["fields": "field1,field2", "headers": "inserted1,inserted2", "operation": "copy"])
        let copied = try #require(try copy.apply(record))
        #expect(copied.value == value)
        #expect(copied.headers.items == [
            .string("existing", "x"), Header(key: "inserted1", schema: .string, value: .string("a")),
            Header(key: "inserted2", schema: .int32, value: .int32(2)),
        ])

        let move = try TestRecords.configured(HeaderFrom(.value), ["fields": "field1,field2", "headers": "inserted1,inserted2", "operation": "move"])
        let moved = try #require(try move.apply(record))
        #expect(moved.valueSchema?.fields.map(\.name) == ["field3"])
        #expect(moved.value[field: "field3"] == .string("c"))
        #expect(moved.headers.count == 3)
    }

    @Test func headerFromSchemaless() throws {
        let move = try TestRecords.configured(HeaderFrom(.key), ["fields": "a", "headers": "h", "operation": "move"])
        let out = try #require(try move.apply(TestRecords.sink(key: TestRecords.map(["a": .int64(1), "b": .int64(2)]), schema: nil, value: .null)))
        #expect(out.key == TestRecords.map(["b": .int64(2)]))
        #expect(out.headers.last("h") == Header(key: "h", schema: nil, value: .int64(1)))
    }

    @Test func headerFromErrors() throws {
        let mismatch = TestRecords.connectError {
            _ = try TestRecords.configured(HeaderFrom(.value), ["fields": "a,b", "headers": "h", "operation": "copy"])
        }
        #expect(mismatch?.message == "'fields' config must have the same number of elements as 'headers' config.")
        let badOp = TestRecords.connectError {
            _ = try TestRecords.configured(HeaderFrom(.value), ["fields": "a", "headers": "h", "operation": "swap"])
        }
        #expect(badOp?.message.contains("operation") == true)
        let schema = SchemaBuilder.struct().field("a", .string).build()
        let t = try TestRecords.configured(HeaderFrom(.value), ["fields": "nope", "headers": "h", "operation": "copy"])
        let missing = TestRecords.connectError { _ = try t.apply(TestRecords.sink(schema: schema, value: TestRecords.structValue(schema, ["a": .string("x")]))) }
        #expect(missing?.message == "nope is not a valid field name")
    }
}
