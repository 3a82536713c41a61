import SluiceAPI
import Testing
@testable import Transforms

@Suite struct ExtractNewRecordStateTests {
    typealias E = DebeziumEnvelopes

    func unwrap(_ props: [String: String] = [:]) throws -> ExtractNewRecordState {
        try TestRecords.configured(ExtractNewRecordState(), props)
    }

    @Test func defaultModeUnwrapsAndKeepsDeletesAsNullValues() throws {
        let t = try unwrap()
        let created = try #require(try t.apply(E.create))
        #expect(created.valueSchema === E.rowSchema)
        #expect(created.value == E.row(1, "Anne", "annek@noanswer.org"))
        #expect(created.key == E.create.key && created.topic == "dbserver1.public.customers")
        #expect(created.sourceOffset == E.create.sourceOffset)
        #expect(try t.apply(E.update)?.value == E.row(1, "Anne Marie", "annek@noanswer.org"))
        // tombstone mode: a delete becomes a null value (with the row schema), Debezium's own tombstone is dropped.
        let deleted = try #require(try t.apply(E.delete))
        #expect(deleted.value == .null && deleted.valueSchema === E.rowSchema)
        #expect(try t.apply(E.tombstone()) == nil)
        #expect(try t.apply(E.truncate) == nil)
    }

    @Test func rewriteModeAddsDeletedMarker() throws {
        let t = try unwrap(["delete.tombstone.handling.mode": "rewrite"])
        let created = try #require(try t.apply(E.create))
        let schema = try #require(created.valueSchema)
        #expect(schema.name == "dbserver1.public.customers.Value")
        #expect(schema.fields.map(\.name) == ["id", "first_name", "email", "dest", "__deleted"])
        #expect(schema.field("__deleted")?.schema == .optionalString)
        #expect(created.value[field: "__deleted"] == .string("false"))
        let deleted = try #require(try t.apply(E.delete))
        #expect(deleted.value[field: "__deleted"] == .string("true"))
        #expect(deleted.value[field: "first_name"] == .string("Anne Marie"))
        #expect(deleted.valueSchema === schema)  // one cached schema for all rewritten events of the table
        #expect(try t.apply(E.tombstone()) == nil)
        try deleted.value.structValue?.validate()
    }

    @Test func otherModes() throws {
        let withTombstone = try unwrap(["delete.tombstone.handling.mode": "rewrite-with-tombstone"])
        #expect(try withTombstone.apply(E.tombstone()) == E.tombstone())
        #expect(try withTombstone.apply(E.delete)?.value[field: "__deleted"] == .string("true"))

        let drop = try unwrap(["delete.tombstone.handling.mode": "drop"])
        #expect(try drop.apply(E.delete) == nil)
        #expect(try drop.apply(E.tombstone()) == nil)
        #expect(try drop.apply(E.create)?.value == E.row(1, "Anne", "annek@noanswer.org"))

        let toTombstone = try unwrap(["delete.tombstone.handling.mode": "delete-to-tombstone"])
        let t = try #require(try toTombstone.apply(E.delete))
        #expect(t.value == .null && t.valueSchema == nil && t.key == E.delete.key)
        #expect(try toTombstone.apply(E.tombstone()) == nil)
    }

    @Test func legacySettings() throws {
        let legacy = try unwrap(["drop.tombstones": "false", "delete.handling.mode": "rewrite"])
        #expect(try legacy.apply(E.tombstone()) == E.tombstone())
        #expect(try legacy.apply(E.delete)?.value[field: "__deleted"] == .string("true"))
        #expect(try legacy.apply(E.create)?.value[field: "__deleted"] == .string("false"))
        let legacyDefaults = try unwrap(["drop.tombstones": "true"])
        #expect(try legacyDefaults.apply(E.delete) == nil)  // delete.handling.mode defaults to drop
        let none = try unwrap(["delete.handling.mode": "none"])
        #expect(try none.apply(E.delete)?.value == .null)
        // The new key wins over the deprecated ones.
        let both = try unwrap(["delete.handling.mode": "drop", "delete.tombstone.handling.mode": "rewrite"])
        #expect(try both.apply(E.delete)?.value[field: "__deleted"] == .string("true"))
    }

    /// Debezium docs: `add.fields=op,table,lsn,source.ts_ms` → `__op`, `__table`, `__lsn`, `__source_ts_ms`.
    @Test func addFieldsWithPrefixAndRenames() throws {
        let t = try unwrap(["add.fields": "op,table,lsn,source.ts_ms", "delete.tombstone.handling.mode": "rewrite"])
        let created = try #require(try t.apply(E.create))
        let schema = try #require(created.valueSchema)
        #expect(schema.fields.map(\.name) == ["id", "first_name", "email", "dest", "__deleted", "__op", "__table", "__lsn", "__source_ts_ms"])
        #expect(schema.field("__op")?.schema == .optionalString)
        #expect(schema.field("__source_ts_ms")?.schema == .optionalInt64)
        #expect(created.value[field: "__op"] == .string("c"))
        #expect(created.value[field: "__table"] == .string("customers"))
        #expect(created.value[field: "__lsn"] == .int64(24_023_128))
        #expect(created.value[field: "__source_ts_ms"] == .int64(1_700_000_000_000))
        let deleted = try #require(try t.apply(E.delete))
        #expect(deleted.value[field: "__op"] == .string("d"))

        let renamed = try unwrap(["add.fields": "op:OPERATION,ts_ms,id", "add.fields.prefix": "meta_"])
        let r = try #require(try renamed.apply(E.update))
        #expect(r.valueSchema?.fields.map(\.name) == ["id", "first_name", "email", "dest", "meta_OPERATION", "meta_ts_ms", "meta_id"])
        #expect(r.value[field: "meta_ts_ms"] == .int64(1_700_000_000_123))
        #expect(r.value[field: "meta_id"] == .null)  // transaction is null outside transaction metadata
    }

    @Test func addHeaders() throws {
        let t = try unwrap(["add.headers": "op,source.lsn,db", "delete.tombstone.handling.mode": "rewrite-with-tombstone"])
        let created = try #require(try t.apply(E.create))
        #expect(created.headers.last("__op") == Header(key: "__op", schema: .optionalString, value: .string("c")))
        #expect(created.headers.last("__source_lsn")?.value == .int64(24_023_128))
        #expect(created.headers.last("__db")?.value == .string("inventory"))
        let tombstone = try #require(try t.apply(E.tombstone()))
        #expect(tombstone.headers.items == [.string("__op", "d")])
    }

    @Test func routeByField() throws {
        let t = try unwrap(["route.by.field": "dest", "delete.tombstone.handling.mode": "rewrite"])
        let routed = E.record(op: "c", after: E.row(2, "Bob", nil, dest: "vip-customers"))
        #expect(try t.apply(routed)?.topic == "vip-customers")
        #expect(try t.apply(E.create)?.topic == "dbserver1.public.customers")  // null field: topic kept
        let del = E.record(op: "d", before: E.row(2, "Bob", nil, dest: "vip-customers"))
        #expect(try t.apply(del)?.topic == "vip-customers")
    }

    @Test func dropFieldsFromHeader() throws {
        let t = try unwrap(["drop.fields.header.name": "changed"])
        var record = E.update
        record.headers.add("changed", schema: SchemaBuilder.array(.string).build(), value: .array([.string("email"), .string("first_name")]))
        let out = try #require(try t.apply(record))
        // Only optional fields are dropped by default, so the schema stays compatible.
        #expect(out.valueSchema?.fields.map(\.name) == ["id", "first_name", "dest"])
        let all = try unwrap(["drop.fields.header.name": "changed", "drop.fields.keep.schema.compatible": "false"])
        #expect(try all.apply(record)?.valueSchema?.fields.map(\.name) == ["id", "dest"])
    }

    @Test func rewriteReplacesNullsWithColumnDefaultsUnlessDisabled() throws {
        let row = SchemaBuilder.struct().name("s.public.t.Value").optional()
            .field("id", .int32).field("status", SchemaBuilder(type: .string).optional().defaultValue(.string("new")).build()).build()
        let env = SchemaBuilder.struct().name("s.public.t.Envelope").field("before", row).field("after", row)
            .field("source", E.sourceSchema).field("op", .string).build()
        let after = Value.structure(Struct(schema: row, values: [.int32(1), .null]))
        let record = TestRecords.source(schema: env, value: .structure(Struct(schema: env, values: [.null, after, E.source, .string("c")])))
        let replacing = try unwrap(["delete.tombstone.handling.mode": "rewrite"])
        #expect(try replacing.apply(record)?.value[field: "status"] == .string("new"))
        let keeping = try unwrap(["delete.tombstone.handling.mode": "rewrite", "replace.null.with.default": "false"])
        #expect(try keeping.apply(record)?.value[field: "status"] == .null)
        #expect(try unwrap().apply(record)?.value[field: "status"] == .null)  // no rewrite: the row as is
    }

    @Test func nonEnvelopesPassUnchanged() throws {
        let t = try unwrap()
        let plain = TestRecords.source(schema: .string, value: .string("not an envelope"))
        #expect(try t.apply(plain) == plain)
        let schemaless = TestRecords.source(schema: nil, value: TestRecords.map(["op": .string("c")]))
        #expect(try t.apply(schemaless) == schemaless)
    }

    @Test func configErrors() throws {
        let mode = TestRecords.connectError { _ = try unwrap(["delete.tombstone.handling.mode": "explode"]) }
        #expect(mode?.message.contains("delete.tombstone.handling.mode") == true)
        let legacy = TestRecords.connectError { _ = try unwrap(["delete.handling.mode": "keep"]) }
        #expect(legacy?.message.contains("delete.handling.mode") == true)
        let fields = TestRecords.connectError { _ = try unwrap(["add.fields": "a:b:c"]) }
        #expect(fields?.message.contains("add.fields") == true)
        let bool = TestRecords.connectError { _ = try unwrap(["drop.tombstones": "maybe"]) }
        #expect(bool?.message.contains("drop.tombstones") == true)
    }
}
