import Foundation
import JDBCSink
import Logging
import SQL
import SluiceAPI

/// The JDBC sink task's own path (converted records handed to `put`, through to committed rows) for the 7-column
/// orders schema, in insert and upsert modes, measured side by side with `psql \copy` of the same rows as CSV on
/// PostgreSQL (the ceiling the issue compares against: insert ≥ 70 %, upsert ≥ 35 %).
enum JDBCSinkBenchmark {
    struct Context: SinkTaskContext {
        var configs: [String: String]
        var assignment: [TopicPartition] { [] }
        func offset(_ partition: TopicPartition, _ offset: Int64) {}
        func timeout(_ ms: Int64) {}
        func requestCommit() {}
        var errantRecordReporter: (any ErrantRecordReporter)? { nil }
        var logger: Logger {
            var l = Logger(label: "bench.jdbc.sink")
            l.logLevel = .warning
            return l
        }
    }

    static let schema = SchemaBuilder.struct().name("orders.Value")
        .field("id", .int64).field("customer", .string).field("amount", Logical.decimal(scale: 2))
        .field("status", .string).field("created_at", Logical.timestamp).field("updated_at", Logical.timestamp)
        .field("note", .optionalString).build()
    static let statuses = ["NEW", "PAID", "SHIPPED", "CANCELLED"]
    static let base: Int64 = 1_700_000_000_000

    static func records(_ rows: Int, topic: String, revision: Int64) -> [SinkRecord] {
        (0..<rows).map { i in
            let id = Int64(i)
            let v = Struct(schema: schema, values: [
                .int64(id), .string("customer-\(i % 10_000)"), .decimal(ConnectDecimal(unscaled: id * 7 % 1_000_000 + revision, scale: 2)),
                .string(statuses[i % 4]), .int64(base + id), .int64(base + id + revision),
                i % 3 == 0 ? .null : .string("note \(i)"),
            ])
            return SinkRecord(topic: topic, partition: 0, keySchema: .int64, key: .int64(id), valueSchema: schema,
                value: .structure(v), kafkaOffset: id)
        }
    }

    /// Puts `records` in batches of `perPut`; returns seconds.
    static func timePut(_ records: [SinkRecord], props: [String: String], perPut: Int) throws -> Double {
        let connector = JdbcSinkConnector()
        try connector.start(props)
        let task = connector.makeTask()
        task.initialize(context: Context(configs: props))
        try task.start(props)
        defer { task.stop() }
        let start = Date()
        var i = 0
        while i < records.count {
            try task.put(Array(records[i..<min(records.count, i + perPut)]))
            i += perPut
        }
        return Date().timeIntervalSince(start)
    }

    static func rate(_ rows: Int, _ secs: Double) -> Int { Int(Double(rows) / max(secs, 1e-9)) }

    static func run(rows: Int, url: String) -> String {
        do { return try runThrowing(rows: rows, url: url) } catch { return "JDBC sink benchmark failed: \(error)" }
    }

    static func runThrowing(rows: Int, url: String) throws -> String {
        let parsed = try JDBCURL(url)
        let admin = try Database.connect(url, attempts: 1, backoffMs: 0)
        defer { admin.close() }
        for t in ["orders_insert", "orders_upsert", "orders_copy"] {
            try admin.execute("DROP TABLE IF EXISTS \(admin.dialect.quote(identifier: t))")
        }
        let perPut = 5000
        var props = [
            "connection.url": url, "auto.create": "true", "pk.mode": "record_value", "pk.fields": "id",
            "batch.size": String(perPut), "insert.mode": "insert",
        ]
        var out = "JDBC sink → \(parsed.kind.rawValue), \(rows) orders rows, \(perPut) records per put\n"
        let insertRecords = records(rows, topic: "orders_insert", revision: 0)
        // psql \copy is timed before and after the sink runs and the better rate kept (the machine is shared,
        // so the ceiling is taken at its highest).
        var copySecs: [Double] = []
        if parsed.kind == .postgresql {
            try admin.execute("""
                CREATE TABLE orders_copy (id BIGINT NOT NULL, customer TEXT NOT NULL, amount DECIMAL NOT NULL, \
                status TEXT NOT NULL, created_at TIMESTAMP NOT NULL, updated_at TIMESTAMP NOT NULL, note TEXT NULL, \
                PRIMARY KEY(id))
                """)
            copySecs.append(try timePsqlCopy(insertRecords, url: parsed))
            try admin.execute("TRUNCATE orders_copy")
        }
        let insertSecs = try timePut(insertRecords, props: props, perPut: perPut)
        props["insert.mode"] = "upsert"
        let upsertFresh = try timePut(records(rows, topic: "orders_upsert", revision: 0), props: props, perPut: perPut)
        let upsertOver = try timePut(records(rows, topic: "orders_upsert", revision: 1), props: props, perPut: perPut)
        let count = try admin.queryScalar("SELECT COUNT(*) FROM orders_upsert")?.intValue ?? -1
        let countInsert = try admin.queryScalar("SELECT COUNT(*) FROM orders_insert")?.intValue ?? -1
        guard count == Int64(rows), countInsert == Int64(rows) else {
            return out + "INVALID: tables hold \(countInsert) / \(count) rows, expected \(rows)"
        }
        var copyRate: Int?
        if parsed.kind == .postgresql {
            copySecs.append(try timePsqlCopy(insertRecords, url: parsed))
            copyRate = rate(rows, copySecs.min()!)
            let copied = try admin.queryScalar("SELECT COUNT(*) FROM orders_copy")?.intValue ?? -1
            guard copied == Int64(rows) else { return out + "INVALID: \\copy wrote \(copied) rows" }
        }
        func line(_ name: String, _ secs: Double) -> String {
            let r = rate(rows, secs)
            var s = "  \(name): \(String(format: "%.2f", secs)) s, \(r) rows/s"
            if let copyRate { s += String(format: " (%.0f%% of psql \\copy)", 100 * Double(r) / Double(copyRate)) }
            return s + "\n"
        }
        out += line(parsed.kind == .postgresql ? "insert (COPY)        " : "insert (multi-row)   ", insertSecs)
        out += line("upsert, new keys     ", upsertFresh)
        out += line("upsert, existing keys", upsertOver)
        if let copyRate {
            out += "  psql \\copy CSV       : \(copyRate) rows/s (best of \(copySecs.map { rate(rows, $0) }))\n"
        }
        for t in ["orders_insert", "orders_upsert", "orders_copy"] {
            try admin.execute("DROP TABLE IF EXISTS \(admin.dialect.quote(identifier: t))")
        }
        return out
    }

    /// Writes the rows as CSV and times `/usr/bin/psql -c "\copy orders_copy FROM file CSV"`.
    static func timePsqlCopy(_ records: [SinkRecord], url: JDBCURL) throws -> Double {
        let file = NSTemporaryDirectory() + "/sluice-bench-orders-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: file) }
        var csv = ""
        csv.reserveCapacity(records.count * 100)
        for r in records {
            let v = r.value.structValue!.values
            guard case .int64(let id) = v[0], case .string(let c) = v[1], case .decimal(let a) = v[2],
                case .string(let s) = v[3], case .int64(let ca) = v[4], case .int64(let ua) = v[5]
            else { continue }
            csv += "\(id),\(c),\(a),\(s),\(SQLTemporal.formatTimestamp(ca * 1000)),\(SQLTemporal.formatTimestamp(ua * 1000)),"
            if case .string(let n) = v[6] { csv += n }
            csv += "\n"
        }
        try csv.write(toFile: file, atomically: false, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = [
            "-h", url.host, "-p", String(url.port), "-U", url.user ?? "postgres", "-d", url.database, "-v", "ON_ERROR_STOP=1",
            "-q", "-c",
            "\\copy orders_copy (id,customer,amount,status,created_at,updated_at,note) FROM '\(file)' WITH (FORMAT csv)",
        ]
        var env = ProcessInfo.processInfo.environment
        if let pw = url.password { env["PGPASSWORD"] = pw }
        p.environment = env
        let start = Date()
        try p.run()
        p.waitUntilExit()
        let secs = Date().timeIntervalSince(start)
        guard p.terminationStatus == 0 else { throw ConnectError(.connect, "psql \\copy failed (exit \(p.terminationStatus))") }
        return secs
    }
}
