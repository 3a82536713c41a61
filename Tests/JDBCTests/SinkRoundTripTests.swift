import Foundation
import JDBCSink
import SQL
import SluiceAPI
import Testing

/// auto.create from a schema with every Connect type, then insert/upsert/update/delete round trips read back with
/// SQL and compared value by value, on each database.
@Suite struct SinkRoundTripTests {
    static let keySchema = SchemaBuilder.struct().name("Key").field("id", .int64).build()
    static let nested = SchemaBuilder.struct().name("Nested").field("a", .int32).field("b", .optionalString).build()
    static let valueSchema = SchemaBuilder.struct().name("AllTypes")
        .field("i8", .int8).field("i16", .int16).field("i32", .int32).field("i64", .int64)
        .field("f32", .float32).field("f64", .float64).field("flag", .boolean).field("text", .string)
        .field("blob", .optionalBytes).field("amount", Logical.decimal(scale: 3))
        .field("day", Logical.date).field("clock", Logical.time).field("at", Logical.timestamp)
        .field("maybe", .optionalString).field("doc", nested.withOptional(true))
        .field("tags", SchemaBuilder.array(.string).optional().build())
        .build()

    static let unicode = "héllo wörld ✓ 日本語 🎉 tab\there new\nline back\\slash 'quote' \"dq\""

    static func value(_ id: Int64, text: String, amount: String, at: Int64, maybe: String?) -> Value {
        sinkStruct(valueSchema, [
            "i8": .int8(-8), "i16": .int16(-1600), "i32": .int32(Int32(id) * 1000), "i64": .int64(id * 10_000_000_000),
            "f32": .float32(1.5), "f64": .float64(-2.25), "flag": .boolean(id % 2 == 1), "text": .string(text),
            "blob": id == 2 ? .null : .bytes([0, 1, 2, 255, 92, 10, 9]), "amount": .decimal(ConnectDecimal(amount)!),
            "day": .int32(19_700), "clock": .int32(45_296_789), "at": .int64(at),
            "maybe": maybe.map(Value.string) ?? .null,
            "doc": sinkStruct(nested.withOptional(true), ["a": .int32(7), "b": .string("x\"y")]),
            "tags": .array([.string("p"), .string("q")]),
        ])
    }

    static func rec(_ topic: String, _ id: Int64, _ v: Value?, offset: Int64) -> SinkRecord {
        sinkRecord(topic, key: sinkStruct(keySchema, ["id": .int64(id)]), keySchema: keySchema, v ?? .null,
            v == nil ? nil : valueSchema, offset: offset)
    }

    static let columns = "\"id\",\"i8\",\"i16\",\"i32\",\"i64\",\"f32\",\"f64\",\"flag\",\"text\",\"blob\",\"amount\",\"day\",\"clock\",\"at\",\"maybe\",\"doc\",\"tags\""

    static func select(_ db: SinkDB, _ table: String) -> String {
        let cols = db == .mariadb ? columns.replacingOccurrences(of: "\"", with: "`") : columns
        let t = db == .mariadb ? "`\(table)`" : "\"\(table)\""
        return "SELECT \(cols) FROM \(t) ORDER BY 1"
    }

    static func check(_ row: [SQLValue], id: Int64, text: String, amount: String, at: Int64, maybe: String?, db: SinkDB) {
        #expect(intOf(row[0]) == id)
        #expect(intOf(row[1]) == -8)
        #expect(intOf(row[2]) == -1600)
        #expect(intOf(row[3]) == id * 1000)
        #expect(intOf(row[4]) == id * 10_000_000_000)
        #expect(doubleOf(row[5]) == 1.5)
        #expect(doubleOf(row[6]) == -2.25)
        #expect(intOf(row[7]) == (id % 2 == 1 ? 1 : 0))
        #expect(row[8].textValue == text)
        if id == 2 { #expect(row[9].isNull) } else { #expect(bytesOf(row[9]) == [0, 1, 2, 255, 92, 10, 9]) }
        #expect(decimalText(row[10], scale: 3) == amount, "amount on \(db): \(row[10])")
        #expect(dateDays(row[11]) == 19_700, "day on \(db): \(row[11])")
        #expect(timeMicros(row[12]) == 45_296_789_000, "time on \(db): \(row[12])")
        #expect(timestampMicros(row[13]) == at * 1000, "timestamp on \(db): \(row[13])")
        if let maybe { #expect(row[14].textValue == maybe) } else { #expect(row[14].isNull) }
        let doc = row[15].textValue?.replacingOccurrences(of: " ", with: "") ?? ""
        #expect(doc.contains("\"a\":7") && doc.contains("\"b\":\"x\\\"y\""), "json on \(db): \(row[15])")
        #expect(row[16].textValue?.replacingOccurrences(of: " ", with: "") == "[\"p\",\"q\"]")
    }

    @Test(arguments: SinkDB.allCases)
    func autoCreateAndRoundTrips(db: SinkDB) throws {
        let (url, keep) = try db.create("sink_rt")
        defer { _ = keep }
        let topic = "all_types"
        let base: [String: String] = [
            "connection.url": url, "auto.create": "true", "pk.mode": "record_key", "insert.mode": "upsert",
            "delete.enabled": "true", "batch.size": "2",
        ]
        let sink = try SinkUnderTest.start(base)
        let t1: Int64 = 1_700_000_000_123
        try sink.put([
            Self.rec(topic, 1, Self.value(1, text: Self.unicode, amount: "-12345.678", at: t1, maybe: nil), offset: 0),
            Self.rec(topic, 2, Self.value(2, text: "two", amount: "0.001", at: t1 + 1, maybe: "m"), offset: 1),
            Self.rec(topic, 3, Self.value(3, text: "three", amount: "99999999.999", at: -86_400_001, maybe: ""), offset: 2),
        ])
        var rows = try sinkRows(url, Self.select(db, topic))
        try #require(rows.count == 3)
        Self.check(rows[0], id: 1, text: Self.unicode, amount: "-12345.678", at: t1, maybe: nil, db: db)
        Self.check(rows[1], id: 2, text: "two", amount: "0.001", at: t1 + 1, maybe: "m", db: db)
        Self.check(rows[2], id: 3, text: "three", amount: "99999999.999", at: -86_400_001, maybe: "", db: db)

        // Upsert one row, delete another (tombstone), in one put.
        try sink.put([
            Self.rec(topic, 1, Self.value(1, text: "one again", amount: "1.500", at: t1 + 5, maybe: "now"), offset: 3),
            Self.rec(topic, 2, nil, offset: 4),
        ])
        rows = try sinkRows(url, Self.select(db, topic))
        try #require(rows.count == 2)
        Self.check(rows[0], id: 1, text: "one again", amount: "1.500", at: t1 + 5, maybe: "now", db: db)
        Self.check(rows[1], id: 3, text: "three", amount: "99999999.999", at: -86_400_001, maybe: "", db: db)
        sink.task.stop()

        // insert.mode=update changes an existing row and ignores a missing one.
        var updateProps = base
        updateProps["insert.mode"] = "update"
        let updater = try SinkUnderTest.start(updateProps)
        try updater.put([
            Self.rec(topic, 3, Self.value(3, text: "updated", amount: "-0.010", at: t1, maybe: nil), offset: 5),
            Self.rec(topic, 42, Self.value(42, text: "absent", amount: "1.000", at: t1, maybe: nil), offset: 6),
        ])
        rows = try sinkRows(url, Self.select(db, topic))
        try #require(rows.count == 2)
        Self.check(rows[1], id: 3, text: "updated", amount: "-0.010", at: t1, maybe: nil, db: db)
        updater.task.stop()

        // Plain insert mode appends; a duplicate key is an error naming the record.
        var insertProps = base
        insertProps["insert.mode"] = "insert"
        insertProps["delete.enabled"] = "false"
        let inserter = try SinkUnderTest.start(insertProps)
        try inserter.put([Self.rec(topic, 7, Self.value(7, text: "seven", amount: "7.000", at: t1, maybe: nil), offset: 7)])
        #expect(try sinkRows(url, Self.select(db, topic)).count == 3)
        let e = #expect(throws: ConnectError.self) {
            try inserter.put([Self.rec(topic, 7, Self.value(7, text: "dup", amount: "7.000", at: t1, maybe: nil), offset: 8)])
        }
        #expect(e?.message.contains("topic=all_types partition=0 offset=8") == true, "\(String(describing: e))")
        inserter.task.stop()
    }

    /// Large decimals stay exact where the column type allows it (SQLite's NUMERIC keeps 15 digits).
    @Test(arguments: [SinkDB.postgres, .mariadb])
    func largeDecimalsExact(db: SinkDB) throws {
        let (url, keep) = try db.create("sink_dec")
        defer { _ = keep }
        let schema = SchemaBuilder.struct().field("id", .int32).field("d", Logical.decimal(scale: 5)).build()
        let sink = try SinkUnderTest.start([
            "connection.url": url, "auto.create": "true", "pk.mode": "record_value", "pk.fields": "id",
            "insert.mode": "upsert",
        ])
        let big = "-123456789012345678901234567890.12345"
        try sink.put([sinkRecord("decs", sinkStruct(schema, ["id": .int32(1), "d": .decimal(ConnectDecimal(big)!)]), schema, offset: 0)])
        let rows = try sinkRows(url, db == .mariadb ? "SELECT d FROM decs" : "SELECT d FROM decs")
        #expect(decimalText(rows[0][0], scale: 5) == big)
        sink.task.stop()
    }
}
