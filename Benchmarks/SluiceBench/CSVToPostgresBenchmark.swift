import Foundation
import SQL
import TestSupport
import WorkerTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The main job (issue 14): a 1M-row, 7-column orders CSV dropped into a SpoolDir landing directory becomes a
/// PostgreSQL table with a primary key. Side by side in one run, each into its own database of the same server:
///
/// - `psql \copy` of the file into a hand-made table of the same types (the ceiling);
/// - sling 1.4.11 (`pip install sling-linux-amd64==1.4.11`, a benchmark-only peer) loading the same file;
/// - `sluice standalone` with direct pipelines (`bootstrap.servers=none`): SpoolDir → JDBC sink (upsert on the key);
/// - `sluice standalone` through the embedded Kafka (4 partitions, JsonConverter with schemas) — every row must
///   arrive.
///
/// Sluice runs as a child process (the release binary next to this one), timed from the file's rename into the
/// landing directory until `count(*)` reaches the row count; its peak RSS is read from /proc (VmHWM).
enum CSVToPostgresBenchmark {
    struct Result {
        var name: String
        var seconds: Double
        var rows: Int64
        var rssMB: Double?
        var rate: Double { Double(rows) / seconds }
    }

    static func run(rows: Int) -> String {
        RuntimeBench.useBinaryNextToThisOne()  // the release sluice, not the tests' debug build
        do {
            let dir = try RuntimeBench.tempDir("csv-pg")
            // CSV_POSTGRES_KEEP=1 keeps the run directory (worker logs) for a look afterwards.
            let keep = ProcessInfo.processInfo.environment["CSV_POSTGRES_KEEP"] == "1"
            defer { if keep { print("kept \(dir)") } else { try? FileManager.default.removeItem(atPath: dir) } }
            let csv = dir + "/orders.csv"
            try SpoolDirBenchmark.generate(rows: rows, to: csv)
            let mb = Double((try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0) / 1e6
            // CSV_POSTGRES_ONLY=direct|kafka runs \copy and that case alone (quicker iterations; quote full runs).
            let only = ProcessInfo.processInfo.environment["CSV_POSTGRES_ONLY"]
            var results: [Result] = []
            results.append(try psqlCopy(csv: csv, rows: rows))
            if only == nil, let s = try sling(csv: csv, rows: rows) { results.append(s) }
            if only == nil || only == "direct" { results.append(try sluice(csv: csv, rows: rows, dir: dir, kafka: false)) }
            if only == nil || only == "kafka" { results.append(try sluice(csv: csv, rows: rows, dir: dir, kafka: true)) }
            let copy = results[0].rate
            let slingRate = results.first { $0.name.hasPrefix("sling") }?.rate
            var out = "csv-postgres: \(rows) rows × 7 columns (\(RuntimeBench.fmt(mb)) MB CSV) → PostgreSQL 15 table with primary key\n"
            for r in results {
                out += "  \(r.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(RuntimeBench.fmt(r.seconds, 2)) s  \(Int(r.rate)) rows/s"
                out += "  \(Int((r.rate / copy * 100).rounded()))% of \\copy"
                if let s = slingRate { out += "  \(RuntimeBench.fmt(r.rate / s, 2))× sling" }
                if let rss = r.rssMB { out += "  peak RSS \(RuntimeBench.fmt(rss)) MB" }
                out += r.rows == Int64(rows) ? "  (all rows)" : "  (ONLY \(r.rows) rows)"
                out += "\n"
            }
            return out
        } catch {
            return "csv-postgres failed: \(error)"
        }
    }

    static let tableDDL = "CREATE TABLE orders (id integer PRIMARY KEY, customer text, amount numeric, created_at timestamptz, note text, qty integer, active boolean)"

    static var psql: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/psql") ? "/usr/bin/psql" : PostgresServer.binDirectory + "/psql"
    }

    static func psqlCopy(csv: String, rows: Int) throws -> Result {
        let db = try PostgresServer.shared().createDatabase(prefix: "bench_csv_copy")
        let args = ["-X", "-q", "-h", db.host, "-p", "\(db.port)", "-U", "postgres", "-d", db.dbname]
        _ = try TestSupport.runProcess(psql, args + ["-c", tableDDL])
        let start = RuntimeBench.now()
        let r = try TestSupport.runProcess(psql, args + ["-c", "\\copy orders FROM '\(csv)' WITH (FORMAT csv, HEADER true)"])
        let seconds = RuntimeBench.now() - start
        guard r.succeeded else { throw BenchError("psql \\copy failed: \(r.output)") }
        defer { quiesce(db) }
        return Result(name: "psql \\copy", seconds: seconds, rows: try count(db) ?? 0)
    }

    /// sling's binary from the PyPI wheel, when installed.
    static var slingBinary: String? {
        let r = try? TestSupport.runProcess("/usr/bin/env", ["python3", "-c", "import sling_linux_amd64, os; print(os.path.dirname(sling_linux_amd64.__file__) + '/bin/sling-linux-amd64')"])
        guard let path = r?.output.trimmingCharacters(in: .whitespacesAndNewlines), FileManager.default.isExecutableFile(atPath: path) else { return nil }
        return path
    }

    static func sling(csv: String, rows: Int) throws -> Result? {
        guard let bin = slingBinary else {
            print("  (sling not installed: pip install sling-linux-amd64==1.4.11)")
            return nil
        }
        let db = try PostgresServer.shared().createDatabase(prefix: "bench_csv_sling")
        let url = "postgresql://postgres@\(db.host):\(db.port)/\(db.dbname)?sslmode=disable"
        let start = RuntimeBench.now()
        let r = try TestSupport.runProcess("/usr/bin/env", ["SLING_DISABLE_TELEMETRY=true", "SLING_HOME_DIR=/tmp/sling-bench", bin, "run",
                                                           "--src-stream", "file://" + csv, "--tgt-conn", url,
                                                           "--tgt-object", "public.orders", "--mode", "full-refresh"])
        let seconds = RuntimeBench.now() - start
        guard r.succeeded else { throw BenchError("sling failed: \(r.output.suffix(2000))") }
        defer { quiesce(db) }
        return Result(name: "sling 1.4.11", seconds: seconds, rows: try count(db) ?? 0)
    }

    /// After a case, outside its timing: vacuum and analyze its table and checkpoint, so the autovacuum of a
    /// million fresh rows and the flushing of their pages do not run during the next case (the cases share one
    /// server, so each case otherwise paid for the one before it: sling for `\copy`, Sluice for sling).
    static func quiesce(_ db: TestDatabase) {
        guard let c = try? db.connect() else { return }
        defer { c.close() }
        _ = try? c.execute("VACUUM (ANALYZE) orders")
        _ = try? c.execute("CHECKPOINT")
    }

    static func count(_ db: TestDatabase) throws -> Int64? {
        let c = try db.connect()
        defer { c.close() }
        return try c.queryScalar("SELECT count(*) FROM orders")?.intValue
    }

    static func sluice(csv: String, rows: Int, dir: String, kafka: Bool) throws -> Result {
        let db = try PostgresServer.shared().createDatabase(prefix: kafka ? "bench_csv_kafka" : "bench_csv_direct")
        let run = dir + (kafka ? "/kafka" : "/direct")
        for d in ["landing", "finished", "error"] { try FileManager.default.createDirectory(atPath: run + "/" + d, withIntermediateDirectories: true) }
        let port = TestSupport.freePort()
        var worker = [
            "bootstrap.servers": kafka ? "embedded" : "none",
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "offset.storage.file.filename": run + "/connect.offsets",
            "listeners": "http://127.0.0.1:\(port)",
        ]
        if kafka { worker["producer.compression.type"] = "lz4" }
        // CSV_POSTGRES_WORKER="k=v;k=v" adds worker settings (experiments, e.g. embedded.retention.guard.enable=false).
        for kv in (ProcessInfo.processInfo.environment["CSV_POSTGRES_WORKER"] ?? "").split(separator: ";") {
            let parts = kv.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { worker[parts[0]] = parts[1] }
        }
        try properties(worker).write(toFile: run + "/worker.properties", atomically: true, encoding: .utf8)
        let source = [
            "name": "orders-csv",
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "input.path": run + "/landing", "finished.path": run + "/finished", "error.path": run + "/error",
            "input.file.pattern": #"^.*\.csv$"#, "topic": "orders", "csv.first.row.as.header": "true",
            "schema.generation.enabled": "true", "schema.generation.key.fields": "id", "empty.poll.wait.ms": "100",
        ]
        // No topic.creation.* here: the sink starts first and its subscription makes librdkafka's mock broker create
        // `orders` with its default 4 partitions (the mock predates the client's "do not auto-create" flag), so
        // a source's `topic.creation.default.partitions=16` would find the topic already there (sessions 1-9
        // labelled this case "16 partitions"; it always ran on 4).
        try properties(source).write(toFile: run + "/source.properties", atomically: true, encoding: .utf8)
        try properties([
            "name": "orders-postgres", "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector",
            "connection.url": db.url, "topics": "orders", "table.name.format": "orders", "auto.create": "true",
            "insert.mode": "upsert", "pk.mode": "record_value", "pk.fields": "id",
        ]).write(toFile: run + "/sink.properties", atomically: true, encoding: .utf8)
        let p = try ProcessHarness.startWorker([run + "/worker.properties", run + "/source.properties", run + "/sink.properties"], log: run + "/worker.log")
        defer { p.terminate(); p.waitUntilExit() }
        guard RuntimeBench.wait(timeout: 60, { RuntimeBench.http(port: port, "GET", "/health")?.status == 200 }) else {
            throw BenchError("sluice did not start (log \(run)/worker.log)")
        }
        // Connectors started. On the embedded Kafka the sink's consumer group also has to form first: the broker
        // waits 3 s before the first assignment of an empty group (Kafka's group.initial.rebalance.delay.ms, which
        // librdkafka's mock applies too), once per worker start. A CSV landing directory is fed a running worker,
        // so the case measures from a file drop on a worker whose sink already has its partitions.
        Thread.sleep(forTimeInterval: kafka ? 4 : 1)
        try FileManager.default.copyItem(atPath: csv, toPath: run + "/orders.csv.tmp")
        let start = RuntimeBench.now()
        try FileManager.default.moveItem(atPath: run + "/orders.csv.tmp", toPath: run + "/landing/orders.csv")
        // Progress comes from the worker's /metrics (cheap), not from `count(*)`: a sequential scan of the growing
        // table ten times a second took PostgreSQL CPU from the load it measures (\copy and sling are timed without
        // one). Direct pipelines acknowledge a source record only after the sink committed it, so the source's
        // written count is committed rows; through Kafka the sink's put count is the closest (its transaction
        // commits in put). `count(*)` runs only once that says everything arrived, and decides.
        let progress = kafka ? "sluice_sink_records_put_total" : "sluice_source_records_written_total"
        var n: Int64 = 0
        var stalled = 0
        var last: Int64 = -1
        while n < Int64(rows) && stalled < 600 {  // gives up after 30 s without progress
            Thread.sleep(forTimeInterval: 0.05)
            let seen = Int64(RuntimeBench.metric(port: port, progress) ?? 0)
            n = seen >= Int64(rows) ? ((try? count(db)) ?? 0) : min(seen, Int64(rows) - 1)
            stalled = n == last ? stalled + 1 : 0
            last = n
        }
        let seconds = RuntimeBench.now() - start - (n < Int64(rows) ? Double(stalled) * 0.05 : 0)
        if n < Int64(rows) { n = (try? count(db)) ?? n }  // what really arrived, for the report
        quiesce(db)
        let rss = RuntimeBench.memoryMB("VmHWM", pid: "\(p.processIdentifier)")
        return Result(name: kafka ? "sluice via embedded Kafka (4 part.)" : "sluice direct (bootstrap=none)", seconds: seconds, rows: n, rssMB: rss)
    }

    static func properties(_ p: [String: String]) -> String {
        p.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n"
    }
}
