import Foundation
import SQL
import SluiceAPI
import Testing
import TestSupport
import WorkerTestSupport

/// Direct pipelines (`bootstrap.servers=none`) end to end in `sluice standalone` processes: sources hand records to
/// the JDBC sink in memory, and a `kill -9` anywhere loses nothing, because a source offset is committed only after
/// the sink committed the record (checked directly: the committed source offset never exceeds what the table holds).
@Suite struct DirectPipelineTests {
    static func workerProperties(_ dir: TemporaryDirectory, port: Int, extra: [String: String] = [:]) throws -> String {
        let path = dir.file("worker.properties")
        try IT.write(IT.properties([
            "bootstrap.servers": "none",
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "offset.storage.file.filename": dir.file("connect.offsets"),
            "offset.flush.interval.ms": "300",
            "listeners": "http://127.0.0.1:\(port)",
        ].merging(extra) { $1 }), to: path)
        return path
    }

    static func connector(_ dir: TemporaryDirectory, _ name: String, _ props: [String: String]) throws -> String {
        let path = dir.file("\(name).properties")
        try IT.write(IT.properties(props.merging(["name": name]) { $1 }), to: path)
        return path
    }

    /// The PostgreSQL CDC connector `cdc` on `public.items` of `db`, topic `d.public.items`.
    static func cdcConnector(_ dir: TemporaryDirectory, _ db: TestDatabase, slot: String) throws -> String {
        try connector(dir, "cdc", [
            "connector.class": "io.debezium.connector.postgresql.PostgresConnector",
            "database.hostname": db.host, "database.port": "\(db.port)", "database.user": "postgres",
            "database.dbname": db.dbname, "topic.prefix": "d", "plugin.name": "pgoutput", "slot.name": slot,
            "publication.name": "pub_\(db.dbname)", "publication.autocreate.mode": "filtered",
            "table.include.list": "public.items", "status.update.interval.ms": "200",
        ])
    }

    @Test func spoolDirIntoPostgresSurvivesKillNine() async throws {
        let total = 200_000
        let pg = try await IT.postgresDatabase("it_direct_spool")
        let dir = try TemporaryDirectory(prefix: "sluice-it-direct-spool")
        let input = dir.file("input"), finished = dir.file("finished"), errors = dir.file("error")
        try IT.mkdirs(input, finished, errors)
        var csv = "id,name,amount\n"
        for i in 1...total { csv += "\(i),n\(i % 997),\(i % 1000).25\n" }
        try IT.write(csv, to: dir.file("orders.csv.tmp"))
        let port = TestSupport.freePort()
        let base = "http://127.0.0.1:\(port)"
        let args = [
            try Self.workerProperties(dir, port: port),
            try Self.connector(dir, "spool", [
                "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
                "input.path": input, "finished.path": finished, "error.path": errors,
                "input.file.pattern": #"^.*\.csv$"#, "topic": "orders", "csv.first.row.as.header": "true",
                "schema.generation.enabled": "true", "batch.size": "500", "empty.poll.wait.ms": "100",
            ]),
            try Self.connector(dir, "sink", [
                "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector", "connection.url": pg.url,
                "topics": "orders", "table.name.format": "orders", "auto.create": "true",
                "insert.mode": "upsert", "pk.mode": "record_value", "pk.fields": "id",
                "consumer.override.max.poll.records": "2000",
            ]),
        ]
        var worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        defer { worker.terminate(); worker.waitUntilExit() }
        try await waitUntil(timeout: 60, "worker REST up") { await IT.get(base + "/health")?.status == 200 }
        let count = { (try? IT.scalar(pg, "SELECT count(*) FROM orders")) ?? 0 }
        try FileManager.default.moveItem(atPath: dir.file("orders.csv.tmp"), toPath: input + "/orders.csv")
        try await waitUntil(timeout: 120, "some rows in PostgreSQL") { (count() ?? 0) >= 30_000 }
        // Status and metrics work without Kafka.
        let status = await IT.get(base + "/connectors/sink/status")
        #expect(status?.body.contains("RUNNING") == true, "sink status: \(status?.body ?? "none")")
        #expect((await IT.metric(base, "sluice_sink_records_put_total") ?? 0) > 0)
        // The binary runs on jemalloc (linked in, see Package.swift), not glibc's malloc.
        let log = (try? String(contentsOfFile: dir.file("worker.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("Memory allocator: jemalloc 5."), "worker log names its allocator")

        ProcessHarness.kill9(worker)
        let committed = try SpoolDirCrashTests.committedOffset(dir.file("connect.offsets"))
        let rowsAtKill = count() ?? 0
        #expect(committed <= rowsAtKill, "source offset \(committed) committed ahead of the sink (\(rowsAtKill) rows)")
        #expect(committed < Int64(total), "the file was done before the kill; the test proves nothing")

        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        try await waitUntil(timeout: 180, "every row in PostgreSQL") { (count() ?? 0) >= Int64(total) }
        #expect(count() == Int64(total))
        #expect(try IT.scalar(pg, "SELECT count(DISTINCT id) FROM orders") == Int64(total))
        #expect(try IT.scalar(pg, "SELECT sum(id) FROM orders") == Int64(total) * Int64(total + 1) / 2)
        try await waitUntil(timeout: 30, "orders.csv in finished.path") { IT.files(in: finished) == ["orders.csv"] }
        let types = try IT.rows(pg, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position")
        #expect(types.map { $0[1] } == ["integer", "text", "numeric"], "typed columns: \(types)")
    }

    @Test func jdbcSourceIntoSQLiteSurvivesKillNine() async throws {
        let total = 60_000
        let pg = try await IT.postgresDatabase("it_direct_jdbc")
        let dir = try TemporaryDirectory(prefix: "sluice-it-direct-jdbc")
        let c = try pg.connect()
        try c.execute(#"CREATE TABLE "accounts" ("id" BIGSERIAL PRIMARY KEY, "name" TEXT NOT NULL, "visits" INTEGER)"#, [])
        try c.execute(#"INSERT INTO "accounts" ("name", "visits") SELECT 'customer ' || i, i FROM generate_series(1, \#(total)) i"#, [])
        c.close()
        let sqlitePath = dir.file("copy.db")
        let sqlite = TestDatabase(url: "jdbc:sqlite:\(sqlitePath)", host: "", port: 0, dbname: sqlitePath)
        let port = TestSupport.freePort()
        let base = "http://127.0.0.1:\(port)"
        let args = [
            try Self.workerProperties(dir, port: port),
            try Self.connector(dir, "pg-source", [
                "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector", "connection.url": pg.url,
                "mode": "incrementing", "incrementing.column.name": "id", "table.whitelist": "accounts",
                "topic.prefix": "off_", "poll.interval.ms": "200", "batch.max.rows": "500",
            ]),
            try Self.connector(dir, "sqlite-sink", [
                "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector", "connection.url": sqlite.url,
                "topics": "off_accounts", "table.name.format": "accounts", "auto.create": "true",
                "insert.mode": "upsert", "pk.mode": "record_value", "pk.fields": "id",
                "consumer.override.max.poll.records": "500",
            ]),
        ]
        var worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        defer { worker.terminate(); worker.waitUntilExit() }
        try await waitUntil(timeout: 60, "worker REST up") { await IT.get(base + "/health")?.status == 200 }
        let count = { (try? IT.scalar(sqlite, #"SELECT count(*) FROM "accounts""#)) ?? 0 }
        try await waitUntil(timeout: 120, "some rows in SQLite") { (count() ?? 0) >= 5_000 }
        ProcessHarness.kill9(worker)
        let rowsAtKill = count() ?? 0
        let committed = Self.committedIncrementing(dir.file("connect.offsets"))
        #expect(committed <= rowsAtKill, "source offset \(committed) committed ahead of the sink (\(rowsAtKill) rows)")

        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        try await waitUntil(timeout: 180, "every row in SQLite") { (count() ?? 0) >= Int64(total) }
        #expect(count() == Int64(total))
        #expect(try IT.scalar(sqlite, #"SELECT sum("visits") FROM "accounts""#) == Int64(total) * Int64(total + 1) / 2)
    }

    /// The JDBC source's committed `incrementing` offset in the standalone offsets file (0 when none).
    static func committedIncrementing(_ file: String) -> Int64 {
        guard let data = FileManager.default.contents(atPath: file) else { return 0 }
        var best: Int64 = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let doc = try? JSONReader.parse(Array(line)), let n = doc["value"]?["incrementing"]?.int64Value { best = max(best, n) }
        }
        return best
    }

    @Test func cdcIntoPostgresSurvivesKillNine() async throws {
        let db = try await CDCIT.database("direct_cdc")
        let target = try await IT.postgresDatabase("it_direct_cdc_target")
        try await CDCIT.exec(db, ["CREATE TABLE public.items (id integer PRIMARY KEY, v integer NOT NULL, label text)"])
        let dir = try TemporaryDirectory(prefix: "sluice-it-direct-cdc")
        let port = TestSupport.freePort()
        let base = "http://127.0.0.1:\(port)"
        let slot = "slot_\(db.dbname)"
        let args = [
            try Self.workerProperties(dir, port: port),
            try Self.cdcConnector(dir, db, slot: slot),
            try Self.connector(dir, "mirror", [
                "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector", "connection.url": target.url,
                "topics": "d.public.items", "table.name.format": "items", "auto.create": "true",
                "insert.mode": "upsert", "pk.mode": "record_key", "delete.enabled": "true",
                "transforms": "unwrap", "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
                "transforms.unwrap.drop.tombstones": "false",
            ]),
        ]
        var worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        defer { worker.terminate(); worker.waitUntilExit() }
        try await waitUntil(timeout: 60, "the slot exists") { try await CDCIT.confirmedFlush(db, slot: slot) != nil }
        // 20 transactions of 5,000 inserts, then updates of every row and deletes of a tenth.
        var statements: [String] = []
        for t in 0..<20 {
            statements.append("INSERT INTO public.items SELECT i, i, 'row ' || i FROM generate_series(\(t * 5000 + 1), \((t + 1) * 5000)) i")
        }
        statements.append("UPDATE public.items SET v = v * 2")
        statements.append("DELETE FROM public.items WHERE id % 10 = 0")
        let writer = Task.detached { try await CDCIT.exec(db, statements) }
        let targetCount = { (try? IT.scalar(target, "SELECT count(*) FROM items")) ?? 0 }
        try await waitUntil(timeout: 120, "some changes mirrored") { (targetCount() ?? 0) >= 10_000 }
        ProcessHarness.kill9(worker)
        try await writer.value
        _ = base

        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        try await waitUntil(timeout: 240, "the mirror equals the source") {
            (try? IT.scalar(target, "SELECT count(*) FROM items WHERE v = id * 2")) == 90_000 && targetCount() == 90_000
        }
        let expected = try await CDCIT.rows(db, "SELECT id::text, v::text, label FROM public.items ORDER BY id")
        let mirrored = try IT.rows(target, "SELECT id::text, v::text, label FROM items ORDER BY id")
        #expect(mirrored == expected)
        await CDCIT.dropSlot(db, slot)
    }
}
