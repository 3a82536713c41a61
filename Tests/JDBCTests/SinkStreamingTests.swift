import Foundation
import JDBCSink
import SQL
import SluiceAPI
import Testing

/// PostgreSQL's streaming write paths (rows sent into an open COPY while later records are still converted): record
/// order around deletes and table switches in insert mode, and the upsert stream's fallback to the merge when a key
/// exists or repeats within the batch.
@Suite struct SinkStreamingTests {
    static let schema = SchemaBuilder.struct().field("id", .int64).field("v", .string).build()
    static let keySchema = Schema.int64

    static func rec(_ topic: String, _ id: Int64, _ v: String?, offset: Int64) -> SinkRecord {
        SinkRecord(topic: topic, partition: 0, keySchema: keySchema, key: .int64(id), valueSchema: v == nil ? nil : schema,
            value: v.map { sinkStruct(schema, ["id": .int64(id), "v": .string($0)]) } ?? .null, kafkaOffset: offset)
    }

    static func table(_ url: String, _ name: String) throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        for r in try sinkRows(url, "SELECT id, v FROM \"\(name)\" ORDER BY id") { out[intOf(r[0])!] = r[1].textValue }
        return out
    }

    @Test func insertStreamKeepsOrderAroundDeletesAndTables() throws {
        let url = try SinkDB.postgres.create("sink_stream_ins").url
        let sink = try SinkUnderTest.start([
            "connection.url": url, "auto.create": "true", "pk.mode": "record_key", "pk.fields": "id",
            "insert.mode": "insert", "delete.enabled": "true",
        ])
        try sink.put([
            Self.rec("a", 1, "one", offset: 0), Self.rec("a", 2, "two", offset: 1),
            Self.rec("a", 1, nil, offset: 2),  // delete 1 after it was streamed
            Self.rec("a", 1, "one again", offset: 3),  // re-insert after the delete
            Self.rec("b", 7, "seven", offset: 4),  // another table: the first stream ends
            Self.rec("a", 3, "three", offset: 5),  // back to the first table
        ])
        #expect(try Self.table(url, "a") == [1: "one again", 2: "two", 3: "three"])
        #expect(try Self.table(url, "b") == [7: "seven"])
        // A duplicate key fails the stream; the careful replay isolates the one bad record (errors.tolerance=none).
        let e = #expect(throws: ConnectError.self) {
            try sink.put([Self.rec("a", 4, "four", offset: 6), Self.rec("a", 2, "dup", offset: 7)])
        }
        #expect(e?.message.contains("offset=7") == true, "\(String(describing: e))")
        #expect(try Self.table(url, "a") == [1: "one again", 2: "two", 3: "three"])
        sink.task.stop()
    }

    @Test func upsertStreamFallsBackToMergeOnExistingOrRepeatedKeys() throws {
        let url = try SinkDB.postgres.create("sink_stream_ups").url
        let sink = try SinkUnderTest.start([
            "connection.url": url, "auto.create": "true", "pk.mode": "record_value", "pk.fields": "id",
            "insert.mode": "upsert", "batch.size": "3",
        ])
        // All new keys: streamed straight in.
        try sink.put((0..<5).map { Self.rec("u", $0, "v\($0)", offset: $0) })
        #expect(try Self.table(url, "u") == [0: "v0", 1: "v1", 2: "v2", 3: "v3", 4: "v4"])
        // One existing key among new ones, and a key repeated within one batch: merged, last value wins.
        try sink.put([
            Self.rec("u", 10, "ten", offset: 5), Self.rec("u", 2, "two", offset: 6), Self.rec("u", 11, "eleven", offset: 7),
            Self.rec("u", 12, "x", offset: 8), Self.rec("u", 12, "twelve", offset: 9),
        ])
        #expect(try Self.table(url, "u") == [0: "v0", 1: "v1", 2: "two", 3: "v3", 4: "v4", 10: "ten", 11: "eleven", 12: "twelve"])
        // Many batches later (past the merge-only window) new keys stream again, still correct.
        for round in 0..<20 {
            let base = Int64(100 + round * 3)
            try sink.put((base..<base + 3).map { Self.rec("u", $0, "r\(round)", offset: 10 + $0) })
        }
        let rows = try Self.table(url, "u")
        #expect(rows.count == 8 + 60)
        #expect(rows[159] == "r19")
        sink.task.stop()
    }

    /// Tables whose columns all have binary COPY forms are copied in binary; a column type without one (uuid), or a
    /// value whose type differs from its column's (a string into an INT column), is copied as text, where the server
    /// converts or names the error exactly as before.
    @Test func binaryCopyFallsBackToTextWhereTheServerMustConvert() throws {
        let url = try SinkDB.postgres.create("sink_binary").url
        _ = try sinkRows(url, "CREATE TABLE uu (id BIGINT PRIMARY KEY, u UUID, n INT)")
        _ = try sinkRows(url, "CREATE TABLE ti (id BIGINT PRIMARY KEY, n INT, s TEXT)")
        let sink = try SinkUnderTest.start([
            "connection.url": url, "pk.mode": "record_value", "pk.fields": "id", "insert.mode": "insert",
        ])
        let intSchema = SchemaBuilder.struct().field("id", .int64).field("u", .optionalString).field("n", .int64).build()
        let textSchema = SchemaBuilder.struct().field("id", .int64).field("n", .string).field("s", .string).build()
        func rec(_ topic: String, _ schema: Schema, _ values: [String: Value], _ offset: Int64) -> SinkRecord {
            SinkRecord(topic: topic, partition: 0, keySchema: nil, key: .null, valueSchema: schema,
                value: sinkStruct(schema, values), kafkaOffset: offset)
        }
        let uuid = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
        try sink.put([
            rec("uu", intSchema, ["id": .int64(1), "u": .string(uuid), "n": .int64(-5)], 0),
            rec("ti", SchemaBuilder.struct().field("id", .int64).field("n", .int64).field("s", .string).build(),
                ["id": .int64(1), "n": .int64(2_147_483_647), "s": .string("binary")], 1),
        ])
        // A string into the INT column: no binary form, so the put is replayed as text and the server converts.
        try sink.put([
            rec("ti", textSchema, ["id": .int64(2), "n": .string("42"), "s": .string("text")], 2),
            rec("ti", textSchema, ["id": .int64(3), "n": .string("43"), "s": .string("text")], 3),
        ])
        #expect(try sinkRows(url, "SELECT id, u::text, n FROM uu") == [[.int(1), .text(uuid), .int(-5)]])
        #expect(try sinkRows(url, "SELECT id, n, s FROM ti ORDER BY id") == [
            [.int(1), .int(2_147_483_647), .text("binary")], [.int(2), .int(42), .text("text")],
            [.int(3), .int(43), .text("text")],
        ])
        // An integer too large for INT: the server's own error, naming the record.
        let e = #expect(throws: ConnectError.self) {
            try sink.put([rec("ti", SchemaBuilder.struct().field("id", .int64).field("n", .int64).field("s", .string).build(),
                ["id": .int64(4), "n": .int64(3_000_000_000), "s": .string("big")], 4)])
        }
        #expect(e?.message.contains("offset=4") == true && e?.message.contains("out of range") == true,
            "\(String(describing: e))")
        #expect(try sinkRows(url, "SELECT count(*) FROM ti") == [[.int(3)]])
        sink.task.stop()
    }
}
