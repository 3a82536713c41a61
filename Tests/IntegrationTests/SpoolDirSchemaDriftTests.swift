import Foundation
import Testing
import SQL
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// Issue #14 (schema drift): a SpoolDir CSV source started before any file existed keeps one schema per topic.
/// Through a real standalone worker, the embedded Kafka and the JDBC sink with `auto.create`/`auto.evolve` into
/// PostgreSQL: a later file with a new column evolves the table (ALTER TABLE ADD), a file with garbage in a typed
/// column goes to error.path instead of reaching the topic as strings, and after a worker restart the stored schema
/// (not one inferred from the next file) is what records carry.
@Suite struct SpoolDirSchemaDriftTests {
    static func source(_ input: String, _ finished: String, _ errors: String) -> [String: String] {
        [
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "input.path": input, "finished.path": finished, "error.path": errors,
            "input.file.pattern": #"^.*\.csv$"#, "topic": "drift_pg", "empty.poll.wait.ms": "100",
            "csv.first.row.as.header": "true", "schema.generation.enabled": "true", "halt.on.error": "false",
        ]
    }

    static func sink(_ url: String) -> [String: String] {
        [
            "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector", "topics": "drift_pg", "connection.url": url,
            "auto.create": "true", "auto.evolve": "true", "insert.mode": "insert", "pk.mode": "record_value", "pk.fields": "order_id",
        ]
    }

    @Test func laterFileAddsAColumnAndGarbageGoesToErrorPath() async throws {
        let db = try await IT.postgresDatabase("it_spool_drift")
        let dir = try TemporaryDirectory(prefix: "sluice-it-drift")
        var w = try await TestWorker(dir: dir)
        let input = dir.file("input"), finished = dir.file("finished"), errors = dir.file("error")
        try IT.mkdirs(input, finished, errors)

        // Started before any file exists (the original refused; Sluice used to infer per file).
        #expect(try await w.create("csv", Self.source(input, finished, errors)).status == 201)
        #expect(try await w.create("pg", Self.sink(db.url)).status == 201)
        try IT.write("order_id,customer,amount\n1,alice,2.50\n2,bob,3\n", to: input + "/a.csv")
        try await waitUntil(timeout: 45, "a.csv in PostgreSQL") { (try? IT.scalar(db, #"SELECT count(*) FROM "drift_pg""#)) == 2 }

        // A new trailing column and a wider decimal scale: the table gains a nullable column.
        try IT.write("order_id,customer,amount,region\n3,carol,4.125,eu\n4,dave,5,\n", to: input + "/b.csv")
        try await waitUntil(timeout: 45, "b.csv in PostgreSQL") { (try? IT.scalar(db, #"SELECT count(*) FROM "drift_pg""#)) == 4 }
        // Garbage in the integer column: the file goes to error.path, nothing of it reaches the topic or the table.
        try IT.write("order_id,customer,amount\nnot-a-number,mallory,1\n", to: input + "/c.csv")
        try await waitUntil(timeout: 20, "c.csv in error.path") { IT.files(in: errors).contains("c.csv.error") }
        let why = try String(contentsOfFile: errors + "/c.csv.error", encoding: .utf8)
        #expect(why.contains("line 2") && why.contains("column 'order_id'") && why.contains("value 'not-a-number'") && why.contains("expected INT32"))

        let columns = try IT.rows(db, """
            SELECT column_name::text, data_type::text, is_nullable::text
            FROM information_schema.columns WHERE table_name = 'drift_pg' ORDER BY ordinal_position
            """)
        #expect(columns == [
            ["order_id", "integer", "NO"], ["customer", "text", "NO"], ["amount", "numeric", "NO"], ["region", "text", "YES"],
        ])
        #expect(try IT.rows(db, #"SELECT order_id::text, amount::text, coalesce(region, '<null>') FROM "drift_pg" ORDER BY order_id"#) == [
            ["1", "2.50", "<null>"], ["2", "3.00", "<null>"], ["3", "4.125", "eu"], ["4", "5.000", ""],
        ])

        // The schema lives in the offsets file (reserved partition), so a restarted worker keeps it: d.csv has only
        // small integers and no region column, yet its records carry the stored schema (region, scale 3).
        let offsets = try String(contentsOfFile: dir.file("connect.offsets"), encoding: .utf8)
        #expect(offsets.contains(#"sluice.state"#) && offsets.contains("spooldir.schema/drift_pg") && offsets.contains("region"))
        await w.shutdown()
        w = try await TestWorker(dir: dir)  // both connectors come back from the standalone config file
        try IT.write("order_id,customer,amount\n5,erin,6\n", to: input + "/d.csv")
        try await waitUntil(timeout: 20, "d.csv finished") { IT.files(in: finished).contains("d.csv") }
        // The embedded broker of the new worker holds only what it sent since the restart; pick d.csv's record anyway.
        let msgs = try await IT.readTopic(w.bootstrap, "drift_pg", count: 10, timeoutMs: 5_000)
        let docs = try msgs.map { try JSONReader.parse($0.value ?? []) }
        let value = try #require(docs.first { $0["payload"]?["customer"]?.stringValue == "erin" })
        let fields = value["schema"]?["fields"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        #expect(fields == ["order_id", "customer", "amount", "region"])
        #expect(value["schema"]?["fields"]?.arrayValue?[2]["parameters"]?["scale"]?.stringValue == "3")
        #expect(IT.files(in: finished).sorted() == ["a.csv", "b.csv", "d.csv"])
        try await waitUntil(timeout: 45, "d.csv in PostgreSQL") { (try? IT.scalar(db, #"SELECT count(*) FROM "drift_pg""#)) == 5 }
        await w.shutdown()
    }
}
