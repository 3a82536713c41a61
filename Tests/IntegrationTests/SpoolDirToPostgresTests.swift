import Foundation
import Testing
import SQL
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// SpoolDir CSV → embedded Kafka (JsonConverter with schemas) → JDBC sink → a real PostgreSQL: the sink's
/// `auto.create` builds a typed table from the schema SpoolDir inferred, and every row arrives with its values.
@Suite struct SpoolDirToPostgresTests {
    @Test func csvBecomesTypedTable() async throws {
        let db = try await IT.postgresDatabase("it_spool_pg")
        let w = try await TestWorker(plugins: IT.plugins)
        let input = w.dir.file("input"), finished = w.dir.file("finished"), errors = w.dir.file("error")
        try IT.mkdirs(input, finished, errors)
        let rows = 500
        let csv = ([SpoolDirSeedTests.header] + (1...rows).map(SpoolDirSeedTests.line)).joined(separator: "\n") + "\n"
        try IT.write(csv, to: input + "/orders.csv")

        let source = try await w.create("csv", [
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "input.path": input, "finished.path": finished, "error.path": errors,
            "input.file.pattern": #"^.*\.csv$"#, "topic": "orders_pg",
            "csv.first.row.as.header": "true", "schema.generation.enabled": "true", "halt.on.error": "true",
        ])
        #expect(source.status == 201, "source: \(source.raw)")
        let sink = try await w.create("pg", [
            "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector",
            "topics": "orders_pg", "connection.url": db.url,
            "auto.create": "true", "insert.mode": "insert", "pk.mode": "record_value", "pk.fields": "id",
        ])
        #expect(sink.status == 201, "sink: \(sink.raw)")
        try await waitUntil(timeout: 45, "\(rows) rows in PostgreSQL") {
            (try? IT.scalar(db, #"SELECT count(*) FROM "orders_pg""#)) == Int64(rows)
        }

        // Column types follow the inferred Connect schema.
        let types = try IT.rows(db, """
            SELECT column_name::text, data_type::text, coalesce(numeric_scale::text, ''), is_nullable::text
            FROM information_schema.columns WHERE table_name = 'orders_pg' ORDER BY ordinal_position
            """)
        #expect(types == [
            ["id", "bigint", "0", "NO"],
            ["customer", "text", "", "NO"],
            // Confluent's PostgreSQL dialect (the spec's type table) maps Decimal to unconstrained DECIMAL; the value
            // keeps its scale, checked below.
            ["amount", "numeric", "", "NO"],
            ["created_at", "timestamp without time zone", "", "NO"],
            ["active", "boolean", "", "NO"],
            ["note", "text", "", "NO"],
            ["qty", "integer", "0", "NO"],
        ])

        // Values equal the CSV, row by row (decimals exact, timestamps to the millisecond).
        let stored = try IT.rows(db, """
            SELECT id::text, customer, amount::text, (extract(epoch FROM created_at) * 1000)::bigint::text,
                   active::text, note, qty::text FROM "orders_pg" ORDER BY id
            """)
        #expect(stored.count == rows)
        for (n, r) in stored.enumerated() {
            let i = n + 1
            let c = SpoolDirSeedTests.cents(i)
            let expected = [
                String(9_000_000_000 + i), "Customer \(i)", "\(c / 100).\(c % 100 < 10 ? "0" : "")\(c % 100)",
                String(SpoolDirSeedTests.millis(i)), i % 2 == 0 ? "true" : "false", SpoolDirSeedTests.note(i), String(i % 7),
            ]
            #expect(r == expected, "row \(i)")
            if r != expected { break }
        }
        try await waitUntil(timeout: 20, "orders.csv finished") { IT.files(in: finished) == ["orders.csv"] }
        await w.shutdown()
    }
}
