import Foundation
import Testing
import SQL
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// Database offloading end to end: JDBC source (PostgreSQL, incrementing mode) → embedded Kafka (JsonConverter with
/// schemas) → JDBC sinks into MariaDB and SQLite with `auto.create`. Both copies get the same rows and typed columns,
/// and rows inserted later follow.
@Suite struct JDBCOffloadTests {
    static func mariadbDatabase(_ prefix: String) async throws -> TestDatabase {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<TestDatabase, any Error>) in
            Thread.detachNewThread { c.resume(with: Result { try MariaDBServer.shared().createDatabase(prefix: prefix) }) }
        }
    }

    static func exec(_ db: TestDatabase, _ sql: String, _ params: [SQLValue] = []) throws {
        let c = try db.connect()
        defer { c.close() }
        try c.execute(sql, params)
    }

    static func insertRows(_ pg: TestDatabase, _ range: ClosedRange<Int>) throws {
        let c = try pg.connect()
        defer { c.close() }
        for i in range {
            try c.execute(
                #"INSERT INTO "accounts" ("name", "balance", "opened", "active", "visits") VALUES ($1, $2, $3, $4, $5)"#,
                [.text("customer \(i) \"quoted\", é"), .decimal(ConnectDecimal(unscaled: Int64(i) * 101, scale: 2)),
                 .timestamp(1_700_000_000_000_000 + Int64(i) * 1_000_000), .bool(i % 2 == 0), .int(Int64(i))])
        }
    }

    @Test func postgresTableIsCopiedIntoMariaDBAndSQLite() async throws {
        let pg = try await IT.postgresDatabase("it_offload_pg")
        let maria = try await Self.mariadbDatabase("it_offload_maria")
        let w = try await TestWorker(plugins: IT.plugins)
        let sqlitePath = w.dir.file("copy.db")
        try Self.exec(pg, #"CREATE TABLE "accounts" ("id" BIGSERIAL PRIMARY KEY, "name" TEXT NOT NULL, "balance" NUMERIC(12,2) NOT NULL, "opened" TIMESTAMP NOT NULL, "active" BOOLEAN NOT NULL, "visits" INTEGER)"#)
        try Self.insertRows(pg, 1...300)

        let source = try await w.create("pg-source", [
            "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector", "connection.url": pg.url,
            "mode": "incrementing", "incrementing.column.name": "id", "table.whitelist": "accounts",
            "topic.prefix": "off_", "poll.interval.ms": "200", "batch.max.rows": "100",
            "topic.creation.default.partitions": "1", "topic.creation.default.replication.factor": "1",
        ])
        #expect(source.status == 201, "source: \(source.raw)")
        try await w.waitForActiveTopic("pg-source", "off_accounts")
        for (name, url) in [("maria-sink", maria.url), ("sqlite-sink", "jdbc:sqlite:\(sqlitePath)")] {
            let sink = try await w.create(name, [
                "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector", "connection.url": url,
                "topics": "off_accounts", "table.name.format": "accounts", "auto.create": "true",
                "insert.mode": "upsert", "pk.mode": "record_value", "pk.fields": "id",
            ])
            #expect(sink.status == 201, "\(name): \(sink.raw)")
        }
        let sqlite = TestDatabase(url: "jdbc:sqlite:\(sqlitePath)", host: "", port: 0, dbname: sqlitePath)
        func counts() -> (Int64?, Int64?) {
            ((try? IT.scalar(maria, "SELECT count(*) FROM `accounts`")), (try? IT.scalar(sqlite, #"SELECT count(*) FROM "accounts""#)))
        }
        try await waitUntil(timeout: 60, "300 rows in both copies") { counts() == (300, 300) }

        // Rows inserted later are offloaded too.
        try Self.insertRows(pg, 301...350)
        try await waitUntil(timeout: 60, "350 rows in both copies") { counts() == (350, 350) }

        // Same rows, value by value.
        let expected = try IT.rows(pg, #"SELECT "id"::text, "name", "balance"::text, to_char("opened", 'YYYY-MM-DD HH24:MI:SS'), CASE WHEN "active" THEN '1' ELSE '0' END, "visits"::text FROM "accounts" ORDER BY "accounts"."id""#)
        let inMaria = try IT.rows(maria, "SELECT CAST(`id` AS CHAR), `name`, CAST(`balance` AS CHAR), DATE_FORMAT(`opened`, '%Y-%m-%d %H:%i:%s'), CAST(`active` AS CHAR), CAST(`visits` AS CHAR) FROM `accounts` ORDER BY `id`")
        #expect(inMaria.count == expected.count)
        if let i = inMaria.indices.first(where: { $0 < expected.count && inMaria[$0] != expected[$0] }) {
            Issue.record("MariaDB row \(i) differs: \(inMaria[i]) vs PostgreSQL \(expected[i])")
        }
        let inSQLite = try IT.rows(sqlite, #"SELECT CAST("id" AS TEXT), "name", printf('%.2f', "balance"), "opened", CAST("active" AS TEXT), CAST("visits" AS TEXT) FROM "accounts" ORDER BY "accounts"."id""#)
        #expect(inSQLite.count == 350)
        let pick = { (r: [String]) in [r[0], r[1], r[2], r[4], r[5]] }
        if let i = inSQLite.indices.first(where: { $0 < expected.count && pick(inSQLite[$0]) != pick(expected[$0]) }) {
            Issue.record("SQLite row \(i) differs: \(inSQLite[i]) vs PostgreSQL \(expected[i])")
        }

        // Typed columns, not text: the MariaDB copy has integer, decimal, datetime and boolean-ish columns.
        let types = try IT.rows(maria, "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'accounts' ORDER BY ORDINAL_POSITION")
        let byName = Dictionary(uniqueKeysWithValues: types.map { ($0[0], $0[1].lowercased()) })
        #expect(byName["id"] == "bigint")
        #expect(byName["balance"] == "decimal")
        #expect(byName["opened"] == "datetime")
        #expect(byName["visits"] == "int")
        #expect(byName["name"] == "text")
        await w.shutdown()
    }
}
