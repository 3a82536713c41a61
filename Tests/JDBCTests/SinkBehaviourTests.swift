import Foundation
import JDBCSink
import SQL
import SluiceAPI
import Testing

/// auto.evolve, hostile names, pk.mode=kafka, schemaless maps, errors.tolerance and duplicate keys, per database.
@Suite struct SinkBehaviourTests {
    static func q(_ db: SinkDB, _ name: String) -> String {
        db == .mariadb ? "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
            : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    @Test(arguments: SinkDB.allCases)
    func autoEvolveAddsOptionalColumnAndRejectsRequired(db: SinkDB) throws {
        let (url, keep) = try db.create("sink_evolve")
        defer { _ = keep }
        let sink = try SinkUnderTest.start([
            "connection.url": url, "auto.create": "true", "auto.evolve": "true", "pk.mode": "record_value",
            "pk.fields": "id", "insert.mode": "upsert",
        ])
        let v1 = SchemaBuilder.struct().field("id", .int64).field("a", .string).build()
        let v2 = SchemaBuilder.struct().field("id", .int64).field("a", .string).field("b", .optionalInt32).build()
        let v3 = SchemaBuilder.struct().field("id", .int64).field("a", .string).field("c", .int32).build()
        try sink.put([
            sinkRecord("evolve", sinkStruct(v1, ["id": .int64(1), "a": .string("x")]), v1, offset: 0),
            sinkRecord("evolve", sinkStruct(v2, ["id": .int64(2), "a": .string("y"), "b": .int32(5)]), v2, offset: 1),
        ])
        let rows = try sinkRows(url, "SELECT \(Self.q(db, "id")), \(Self.q(db, "a")), \(Self.q(db, "b")) FROM evolve ORDER BY 1")
        #expect(rows.count == 2)
        #expect(rows[0][2].isNull)
        #expect(intOf(rows[1][2]) == 5)
        let e = #expect(throws: ConnectError.self) {
            try sink.put([sinkRecord("evolve", sinkStruct(v3, ["id": .int64(3), "a": .string("z"), "c": .int32(1)]), v3, offset: 2)])
        }
        #expect(e?.message.contains("'c'") == true && e?.message.contains("required") == true, "\(String(describing: e))")
        sink.task.stop()
    }

    @Test(arguments: SinkDB.allCases)
    func hostileNamesAreQuoted(db: SinkDB) throws {
        let (url, keep) = try db.create("sink_hostile")
        defer { _ = keep }
        let canary = try Database.connect(url, attempts: 1, backoffMs: 0)
        try canary.execute("CREATE TABLE canary (x INT)")
        canary.close()
        let topic = "we\"ird`; DROP TABLE canary; -- x"
        let fields = ["select", "sp ace", "semi;colon", "quo\"te", "back`tick", "order"]
        var b = SchemaBuilder.struct().field("id", .int32)
        for f in fields { b = b.field(f, .optionalString) }
        let schema = b.build()
        var values: [String: Value] = ["id": .int32(1)]
        for f in fields { values[f] = .string("v of \(f); DROP TABLE canary; --") }
        let sink = try SinkUnderTest.start([
            "connection.url": url, "auto.create": "true", "pk.mode": "record_value", "pk.fields": "id",
            "insert.mode": "upsert",
        ])
        try sink.put([sinkRecord(topic, sinkStruct(schema, values), schema, offset: 0)])
        let cols = fields.map { Self.q(db, $0) }.joined(separator: ",")
        let rows = try sinkRows(url, "SELECT \(cols) FROM \(Self.q(db, topic))")
        #expect(rows.count == 1)
        for (i, f) in fields.enumerated() { #expect(rows[0][i].textValue == "v of \(f); DROP TABLE canary; --") }
        #expect(try sinkRows(url, "SELECT COUNT(*) FROM canary")[0][0].intValue == 0)
        sink.task.stop()
    }

    @Test func kafkaPrimaryKeyColumns() throws {
        let (url, _) = try SinkDB.postgres.create("sink_kafka")
        let schema = SchemaBuilder.struct().field("v", .string).build()
        let sink = try SinkUnderTest.start([
            "connection.url": url, "auto.create": "true", "pk.mode": "kafka", "insert.mode": "upsert",
        ])
        try sink.put([
            sinkRecord("kt", sinkStruct(schema, ["v": .string("a")]), schema, offset: 10, partition: 3),
            sinkRecord("kt", sinkStruct(schema, ["v": .string("b")]), schema, offset: 11, partition: 3),
            sinkRecord("kt", sinkStruct(schema, ["v": .string("b2")]), schema, offset: 11, partition: 3),
        ])
        let rows = try sinkRows(url, "SELECT __connect_topic, __connect_partition, __connect_offset, v FROM kt ORDER BY 3")
        #expect(rows.count == 2)
        #expect(rows[0][0].textValue == "kt" && intOf(rows[0][1]) == 3 && intOf(rows[0][2]) == 10)
        #expect(rows[1][3].textValue == "b2")
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { c.close() }
        #expect(try c.dialect.primaryKey(of: SQLTableName("kt"), on: c) == Self.RecordLayout_kafkaColumns)
        sink.task.stop()
    }

    static let RecordLayout_kafkaColumns = ["__connect_topic", "__connect_partition", "__connect_offset"]

    @Test(arguments: SinkDB.allCases)
    func schemalessMaps(db: SinkDB) throws {
        let (url, keep) = try db.create("sink_schemaless")
        defer { _ = keep }
        // A new table from pk.fields (auto.create), then an existing table with typed columns.
        let sink = try SinkUnderTest.start([
            "connection.url": url, "auto.create": "true", "pk.mode": "record_value", "pk.fields": "id",
            "insert.mode": "upsert",
        ])
        func m(_ e: [(String, Value)]) -> Value { .map(e.map { MapEntry(.string($0.0), $0.1) }) }
        try sink.put([
            sinkRecord("loose", m([("id", .int64(1)), ("name", .string("ann")), ("score", .float64(1.5)), ("tags", .array([.string("t")]))]), nil, offset: 0),
            sinkRecord("loose", m([("id", .int64(2)), ("name", .null), ("score", .float64(2.5)), ("tags", .null)]), nil, offset: 1),
            sinkRecord("loose", m([("id", .int64(1)), ("name", .string("anne")), ("score", .float64(3)), ("tags", .null)]), nil, offset: 2),
        ])
        let rows = try sinkRows(url, "SELECT id, name, score FROM loose ORDER BY 1")
        #expect(rows.count == 2)
        #expect(rows[0][1].textValue == "anne" && doubleOf(rows[0][2]) == 3)
        #expect(rows[1][1].isNull)
        sink.task.stop()
    }

    @Test(arguments: SinkDB.allCases)
    func toleranceAllReportsBadRecordAndWritesOthers(db: SinkDB) throws {
        let (url, keep) = try db.create("sink_tolerance")
        defer { _ = keep }
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        try c.execute("CREATE TABLE strict (id INT PRIMARY KEY, n INT NOT NULL CHECK (n >= 0))")
        c.close()
        let schema = SchemaBuilder.struct().field("id", .int32).field("n", .int32).build()
        func r(_ id: Int32, _ n: Int32, _ off: Int64) -> SinkRecord {
            sinkRecord("strict", sinkStruct(schema, ["id": .int32(id), "n": .int32(n)]), schema, offset: off)
        }
        let batch = (0..<10).map { i in r(Int32(i), i == 6 ? -1 : Int32(i), Int64(i)) }
        for mode in ["insert", "upsert"] {
            let sink = try SinkUnderTest.start([
                "connection.url": url, "pk.mode": "record_value", "pk.fields": "id", "insert.mode": mode,
                "errors.tolerance": "all",
            ])
            try sink.put(mode == "insert" ? batch : batch.map { var x = $0; x.kafkaOffset += 100; return x })
            #expect(sink.context.reporter.reports.count == 1)
            #expect(sink.context.reporter.reports.first?.0.kafkaOffset == (mode == "insert" ? 6 : 106))
            #expect(try sinkRows(url, "SELECT COUNT(*) FROM strict")[0][0].intValue == 9)
            sink.task.stop()
        }
        // errors.tolerance=none: the put fails naming the record, and nothing of it is committed.
        let sink = try SinkUnderTest.start(["connection.url": url, "pk.mode": "record_value", "pk.fields": "id", "insert.mode": "upsert"])
        let e = #expect(throws: ConnectError.self) { try sink.put([r(20, 1, 200), r(21, -5, 201)]) }
        #expect(e?.message.contains("topic=strict partition=0 offset=201") == true, "\(String(describing: e))")
        #expect(try sinkRows(url, "SELECT COUNT(*) FROM strict WHERE id >= 20")[0][0].intValue == 0)
        sink.task.stop()
    }

    @Test(arguments: SinkDB.allCases)
    func duplicateKeysInOneUpsertBatch(db: SinkDB) throws {
        let (url, keep) = try db.create("sink_dups")
        defer { _ = keep }
        let schema = SchemaBuilder.struct().field("id", .int32).field("v", .string).build()
        let sink = try SinkUnderTest.start([
            "connection.url": url, "auto.create": "true", "pk.mode": "record_value", "pk.fields": "id",
            "insert.mode": "upsert",
        ])
        var batch: [SinkRecord] = []
        for i in 0..<30 { batch.append(sinkRecord("dups", sinkStruct(schema, ["id": .int32(Int32(i % 3)), "v": .string("v\(i)")]), schema, offset: Int64(i))) }
        try sink.put(batch)
        let rows = try sinkRows(url, "SELECT id, v FROM dups ORDER BY 1")
        #expect(rows.map { $0[1].textValue ?? "" } == ["v27", "v28", "v29"])
        sink.task.stop()
    }

    /// A value that does not match its schema and a row the database rejects, in one put: each reported once (the
    /// put is replayed to isolate the rejected row), the rest written.
    @Test func mixedBadRecordsReportedOnce() throws {
        let (url, _) = try SinkDB.postgres.create("sink_mixed")
        let c = try Database.connect(url, attempts: 1, backoffMs: 0)
        try c.execute("CREATE TABLE mixed (id INT PRIMARY KEY, n INT NOT NULL CHECK (n >= 0))")
        c.close()
        let schema = SchemaBuilder.struct().field("id", .int32).field("n", .int32).build()
        var batch = (0..<6).map { i in
            sinkRecord("mixed", sinkStruct(schema, ["id": .int32(Int32(i)), "n": .int32(i == 4 ? -1 : 1)]), schema, offset: Int64(i))
        }
        batch[1] = sinkRecord("mixed", .structure(Struct(schema: schema, values: [.int32(1), .string("not a number")])), schema, offset: 1)
        let sink = try SinkUnderTest.start([
            "connection.url": url, "pk.mode": "record_value", "pk.fields": "id", "insert.mode": "insert",
            "errors.tolerance": "all",
        ])
        try sink.put(batch)
        #expect(sink.context.reporter.reports.map(\.0.kafkaOffset).sorted() == [1, 4])
        #expect(try sinkRows(url, "SELECT id FROM mixed ORDER BY 1").map { intOf($0[0]) } == [0, 2, 3, 5])
        sink.task.stop()
    }
}
