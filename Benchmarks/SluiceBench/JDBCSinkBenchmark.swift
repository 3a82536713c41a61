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

    /// CPU seconds (user + system) this process used so far.
    static func processCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// CPU seconds the PostgreSQL server used so far: the postmaster (including its exited backends) plus the live
    /// backends, read from /proc. nil when the server is not local or not readable.
    static func serverCPU(dataDirectory: String?) -> Double? {
        guard let dir = dataDirectory,
            let pidText = try? String(contentsOfFile: dir + "/postmaster.pid", encoding: .utf8),
            let pm = pidText.split(separator: "\n").first.flatMap({ Int($0) })
        else { return nil }
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        func fields(_ pid: Int) -> [Substring]? {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            return stat[stat.index(after: close)...].split(separator: " ")
        }
        // After ")": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
        guard let f = fields(pm) else { return nil }
        var ticks = (11...14).reduce(0.0) { $0 + (Double(f[$1]) ?? 0) }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int(entry), pid != pm, let c = fields(pid), Int(c[1]) == pm else { continue }
            ticks += (Double(c[11]) ?? 0) + (Double(c[12]) ?? 0)
        }
        return ticks / tick
    }

    /// Wall seconds, this process's CPU seconds and the database server's CPU seconds of one phase.
    struct Cost {
        var wall: Double
        var client: Double
        var server: Double?
    }

    static func timePut(_ records: [SinkRecord], props: [String: String], perPut: Int, dataDirectory: String?) throws -> Cost {
        let c0 = processCPU(), s0 = serverCPU(dataDirectory: dataDirectory)
        let wall = try timePut(records, props: props, perPut: perPut)
        let c1 = processCPU()
        Thread.sleep(forTimeInterval: 0.3)  // the task's backend exits after stop(): let the postmaster reap it
        let s1 = serverCPU(dataDirectory: dataDirectory)
        return Cost(wall: wall, client: c1 - c0, server: s0.flatMap { a in s1.map { $0 - a } })
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
        // The server's data directory (for its CPU figures) when it runs on this machine.
        let dataDirectory = parsed.kind == .postgresql && ["127.0.0.1", "localhost"].contains(parsed.host)
            ? try admin.queryScalar("SHOW data_directory")?.textValue : nil
        let insertCost = try timePut(insertRecords, props: props, perPut: perPut, dataDirectory: dataDirectory)
        props["insert.mode"] = "upsert"
        let freshRecords = records(rows, topic: "orders_upsert", revision: 0)
        let upsertFreshCost = try timePut(freshRecords, props: props, perPut: perPut, dataDirectory: dataDirectory)
        let overRecords = records(rows, topic: "orders_upsert", revision: 1)
        let upsertOverCost = try timePut(overRecords, props: props, perPut: perPut, dataDirectory: dataDirectory)
        let count = try admin.queryScalar("SELECT COUNT(*) FROM orders_upsert")?.intValue ?? -1
        let countInsert = try admin.queryScalar("SELECT COUNT(*) FROM orders_insert")?.intValue ?? -1
        guard count == Int64(rows), countInsert == Int64(rows) else {
            return out + "INVALID: tables hold \(countInsert) / \(count) rows, expected \(rows)"
        }
        var copyRate: Int?
        var copyServer: Double?
        if parsed.kind == .postgresql {
            try admin.execute("TRUNCATE orders_copy")
            let s0 = serverCPU(dataDirectory: dataDirectory)
            copySecs.append(try timePsqlCopy(insertRecords, url: parsed))
            copyServer = serverCPU(dataDirectory: dataDirectory).flatMap { a in s0.map { a - $0 } }
            copyRate = rate(rows, copySecs.min()!)
            let copied = try admin.queryScalar("SELECT COUNT(*) FROM orders_copy")?.intValue ?? -1
            guard copied == Int64(rows) else { return out + "INVALID: \\copy wrote \(copied) rows" }
        }
        func line(_ name: String, _ cost: Cost) -> String {
            let r = rate(rows, cost.wall)
            var s = "  \(name): \(String(format: "%.2f", cost.wall)) s, \(r) rows/s"
            if let copyRate { s += String(format: " (%.0f%% of psql \\copy)", 100 * Double(r) / Double(copyRate)) }
            s += String(format: "; CPU s: sink process %.2f", cost.client)
            if let server = cost.server { s += String(format: ", database server %.2f", server) }
            return s + "\n"
        }
        let insertLabel: String
        switch parsed.kind {
        case .postgresql: insertLabel = "insert (COPY)        "
        case .sqlite: insertLabel = "insert (prepared)    "
        default: insertLabel = "insert (multi-row)   "
        }
        out += line(insertLabel, insertCost)
        out += line("upsert, new keys     ", upsertFreshCost)
        out += line("upsert, existing keys", upsertOverCost)
        if let copyRate {
            out += "  psql \\copy CSV       : \(copyRate) rows/s (best of \(copySecs.map { rate(rows, $0) }))"
            if let copyServer { out += String(format: "; database server CPU s (last run) %.2f", copyServer) }
            out += "\n"
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
