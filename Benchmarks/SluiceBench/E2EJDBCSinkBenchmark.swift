import Converters
import Foundation
import Kafka
import Runtime
import SQL
import SchemaRegistry
import SluiceAPI
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// JDBC sink end to end (issue 4): 7-column orders records (JsonConverter with schemas) produced into the embedded
/// Kafka while a JDBC sink task (insert mode, then upsert) writes them into a real PostgreSQL 15, timed from the first
/// produce until the sink reports every record committed, and checked with `count(*)`. Compared side by side with
/// `psql \copy` of the same rows into a table of the same shape, in the same run.
enum E2EJDBCSinkBenchmark {
    static let schema = SchemaBuilder.struct().name("orders.Value")
        .field("id", .int64).field("customer_id", .int64).field("product", .string).field("quantity", .int32)
        .field("price", Logical.decimal(scale: 2)).field("status", .string).field("created_at", Logical.timestamp)
        .build()
    static let baseMillis: Int64 = 1_700_000_000_000

    /// `SLUICE_BENCH_MAX_POLL=N` sets `consumer.override.max.poll.records` on the sink (the runtime's default is 500
    /// records per `put`, as Kafka's consumer), to compare the sink with larger put batches.
    static let maxPollOverride = ProcessInfo.processInfo.environment["SLUICE_BENCH_MAX_POLL"]
    /// `SLUICE_BENCH_CONSUMER="k=v,k=v"` adds `consumer.override.k=v` to the sink connector (to compare consumer
    /// settings such as `queued.max.messages.kbytes`).
    static let consumerOverrides: [String: String] = {
        var out: [String: String] = [:]
        for pair in (ProcessInfo.processInfo.environment["SLUICE_BENCH_CONSUMER"] ?? "").split(separator: ",") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { out["consumer.override." + kv[0]] = kv[1] }
        }
        return out
    }()

    /// `SLUICE_BENCH_FORMAT=avro`: records go as Confluent Avro (AvroConverter against the worker's embedded
    /// registry, `schema.registry.url=embedded`) instead of JsonConverter with schemas, on both sides.
    static let avro = ProcessInfo.processInfo.environment["SLUICE_BENCH_FORMAT"] == "avro"
    /// Bytes of the last run's record values on the wire (before lz4), for the bytes/record figure.
    static let valueBytes = Atomic<Int>(0)

    static func makeConverter() throws -> any Converter {
        if avro {
            let c = AvroConverter()
            try c.configure(["schema.registry.url": "embedded"], isKey: false)
            return c
        }
        let c = JsonConverter()
        try c.configure([:], isKey: false)
        return c
    }

    static var converterProps: [String: String] {
        avro ? ["value.converter": "io.confluent.connect.avro.AvroConverter", "value.converter.schema.registry.url": "embedded"] : [:]
    }

    static func values(_ i: Int) -> [Value] {
        [
            .int64(Int64(i)), .int64(Int64(i % 10_000)), .string("product-\(i % 500)"), .int32(Int32(i % 9 + 1)),
            .decimal(ConnectDecimal(unscaled: Int64(i % 100_000) * 7 + 99, scale: 2)), .string(i % 3 == 0 ? "NEW" : "SHIPPED"),
            .int64(baseMillis + Int64(i) * 37),
        ]
    }

    /// - Parameter separateBroker: run the broker as a `sluice kafka-embedded` child process so the RSS figures are
    ///   the worker's alone (the in-process broker keeps every record it was sent in this process's memory).
    ///   - prefill: fill the topic while the connector is paused and time from its resume (the sink alone, without the
    ///     benchmark's producer on the same two cores); otherwise records are produced while the sink consumes.
    static func run(rows: Int, separateBroker: Bool = false, prefill: Bool = false) async -> String {
        do {
            return try await measure(rows: rows, separateBroker: separateBroker, prefill: prefill)
        } catch {
            return "jdbc-sink-e2e failed: \(error)"
        }
    }

    /// Produces `rows` records round-robin over `partitions`; returns the acknowledged count.
    static func produce(bootstrap: String, topic: String, rows: Int, partitions: Int) throws -> Int {
        let converter = try makeConverter()
        let acked = Atomic<Int>(0)
        valueBytes.store(0, ordering: .relaxed)
        let producer = try KafkaProducer.make(
            config: [
                "bootstrap.servers": bootstrap, "linger.ms": "20", "compression.type": "lz4",
                "batch.num.messages": "10000", "queue.buffering.max.messages": "50000",
            ],
            deliveryHandler: { _, r in if case .success = r { acked.add(1, ordering: .relaxed) } })
        for i in 0..<rows {
            let v = Value.structure(Struct(schema: schema, values: values(i)))
            let bytes = try converter.fromConnectData(topic: topic, headers: nil, schema: schema, value: v)
            valueBytes.add(bytes?.count ?? 0, ordering: .relaxed)
            try producer.produce(topic: topic, partition: Int32(i % partitions), key: nil, value: bytes, id: UInt64(i))
            if i & 1023 == 0 { producer.poll(timeoutMs: 0) }
        }
        _ = producer.flush(timeoutMs: 120_000)
        _ = producer.close(timeoutMs: 5_000)
        return acked.load(ordering: .relaxed)
    }

    /// One sink run: creates the topic and connector, produces while it consumes, waits for every row.
    /// Returns (rows/s, rows in the table, peak RSS MB).
    static func sinkRun(worker: StandaloneWorker, db: TestDatabase, mode: String, rows: Int, previouslyPut: Double, createTopic: Bool, prefill: Bool) async throws -> (Double, Int64, Double) {
        let threadsBefore = E2ETransformBenchmark.threadCPU()
        let topic = "orders_\(mode)", partitions = 64
        if createTopic {
            let admin = try KafkaAdmin.make(config: ["bootstrap.servers": worker.bootstrapServers])
            try admin.createTopic(name: topic, partitions: partitions)
        }
        let port = worker.port
        try RuntimeBench.createConnector(port: port, name: "sink-\(mode)", [
            "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector", "tasks.max": "1",
            "topics": topic, "connection.url": db.url, "insert.mode": mode,
            "pk.mode": "record_value", "pk.fields": "id", "auto.create": "true", "batch.size": "10000",
        ].merging(converterProps) { $1 }.merging(maxPollOverride.map { ["consumer.override.max.poll.records": $0] } ?? [:]) { $1 }
            .merging(consumerOverrides) { $1 })
        // The embedded broker answers a new group's first JoinGroup after ≈ 3 s: let the sink task join before timing.
        _ = await Task.detached {
            RuntimeBench.wait(timeout: 60) { RuntimeBench.http(port: port, "GET", "/connectors/sink-\(mode)/status")?.body.contains("\"RUNNING\"") == true }
        }.value
        try await Task.sleep(for: .seconds(5))
        var prefilled: (Int, Double)?
        if prefill {
            // The connector is paused while the topic fills, then resumed: the timed phase is the sink's alone.
            let name = "sink-\(mode)"
            guard RuntimeBench.http(port: port, "PUT", "/connectors/\(name)/pause")?.status == 202 else { throw BenchError("pause failed") }
            _ = await Task.detached {
                RuntimeBench.wait(timeout: 30) { RuntimeBench.http(port: port, "GET", "/connectors/\(name)/status")?.body.contains("\"PAUSED\"") == true }
            }.value
            try await Task.sleep(for: .seconds(1))
            let bootstrap = worker.bootstrapServers
            let p0 = RuntimeBench.now()
            let acked = try await RuntimeBench.onThread { try produce(bootstrap: bootstrap, topic: topic, rows: rows, partitions: partitions) }
            prefilled = (acked, RuntimeBench.now() - p0)
        }
        RuntimeBench.resetPeakRSS()
        let cpu0 = E2ETransformBenchmark.cpuSeconds(), pg0 = try postgresCPUSeconds(db), commits0 = try commits(db)
        let sinkThreads = E2ETransformBenchmark.threadCPU().filter { threadsBefore[$0.key] == nil && !$0.value.name.hasPrefix("rdk:") }
        let t0 = RuntimeBench.now(), m0 = monotonicSeconds()
        let bootstrap = worker.bootstrapServers
        let producing = Task.detached { () throws -> (Int, Double) in
            if let prefilled { return (prefilled.0, t0 - prefilled.1) }
            return (try produce(bootstrap: bootstrap, topic: topic, rows: rows, partitions: partitions), RuntimeBench.now())
        }
        if prefill {
            guard RuntimeBench.http(port: port, "PUT", "/connectors/sink-\(mode)/resume")?.status == 202 else { throw BenchError("resume failed") }
        }
        let target = previouslyPut + Double(rows)
        let done = await Task.detached {
            RuntimeBench.wait(timeout: 900, everyMs: 50) { (RuntimeBench.metric(port: port, "sluice_sink_records_put_total") ?? 0) >= target }
        }.value
        let seconds = RuntimeBench.now() - t0
        // CLOCK_MONOTONIC, as perf timestamps: `perf sched timehist --time a,b` over exactly this phase.
        print("  (\(mode): phase on CLOCK_MONOTONIC \(String(format: "%.3f,%.3f", m0, monotonicSeconds())))")
        let peak = RuntimeBench.memoryMB("VmHWM") ?? .nan
        let cpu = E2ETransformBenchmark.cpuSeconds() - cpu0, pg = try postgresCPUSeconds(db) - pg0
        let now = E2ETransformBenchmark.threadCPU()
        // The sink task's thread(s): started with the connector, not librdkafka's; the busiest one over the phase.
        let taskCPU = sinkThreads.map { (now[$0.key]?.cpu ?? $0.value.cpu) - $0.value.cpu }.max() ?? .nan
        let (acked, producedAt) = try await producing.value
        print("  (\(mode): producer acknowledged every record after \(RuntimeBench.fmt(producedAt - t0)) s, sink done after \(RuntimeBench.fmt(seconds)) s; CPU over the phase: this process \(RuntimeBench.fmt(cpu, 2)) s, busiest sink thread \(RuntimeBench.fmt(taskCPU, 2)) s, PostgreSQL \(RuntimeBench.fmt(pg, 2)) s)")
        let c = try db.connect()
        defer { c.close() }
        let count = try c.queryScalar("SELECT count(*) FROM \(c.dialect.quote(identifier: topic))")?.intValue ?? -1
        try await Task.sleep(for: .seconds(1))  // statistics reach pg_stat_database within a second
        print("  (\(mode): about \(try commits(db) - commits0) transactions committed in the database during the phase)")
        if !done || acked != rows {
            throw BenchError("\(mode): \(acked)/\(rows) produced, table has \(count) rows; sink did not finish in 900 s")
        }
        return (Double(rows) / seconds, count, peak)
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Transactions committed in the database so far (`pg_stat_database`, updated about once a second).
    static func commits(_ db: TestDatabase) throws -> Int64 {
        let c = try db.connect()
        defer { c.close() }
        return try c.queryScalar("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")?.intValue ?? -1
    }

    /// CPU seconds used so far by the test server's PostgreSQL processes (`JDBCSinkBenchmark.serverCPU`): the
    /// server runs in its own processes, next to the sink, on the same cores.
    static func postgresCPUSeconds(_ db: TestDatabase) throws -> Double {
        let c = try db.connect()
        defer { c.close() }
        return JDBCSinkBenchmark.serverCPU(dataDirectory: try c.queryScalar("SHOW data_directory")?.textValue) ?? .nan
    }

    /// `psql \copy` of the same rows as CSV into a table shaped like the sink's (same columns, same primary key).
    ///
    /// With `arrivalOrder` the file lists the rows roughly as the sink receives them from 64 partitions (runs of 100
    /// consecutive records of one partition, the partitions in turn) instead of in key order: the same rows cost the
    /// server more that way (primary-key inserts all over the index instead of appends at its right edge), which
    /// bounds what any sink can reach on this workload.
    static func psqlCopy(db: TestDatabase, like table: String, rows: Int, arrivalOrder: Bool = false) throws -> Double {
        let dir = try RuntimeBench.tempDir("copy")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/orders.csv"
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        var chunk = ""
        var order = Array(0..<rows)
        if arrivalOrder {
            let partitions = 64, run = 100
            order = []
            order.reserveCapacity(rows)
            let perPartition = (rows + partitions - 1) / partitions
            for start in stride(from: 0, to: perPartition, by: run) {
                for p in 0..<partitions {
                    for j in start..<min(start + run, perPartition) where j * partitions + p < rows { order.append(j * partitions + p) }
                }
            }
        }
        for i in order {
            let v = values(i)
            let millis = baseMillis + Int64(i) * 37
            var t = time_t(millis / 1000)
            var tm = tm()
            gmtime_r(&t, &tm)
            let ts = String(format: "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, Int(millis % 1000))
            guard case .decimal(let price) = v[4], case .string(let product) = v[2], case .string(let status) = v[5] else { continue }
            chunk += "\(i),\(i % 10_000),\(product),\(i % 9 + 1),\(price.description),\(status),\(ts)\n"
            if chunk.utf8.count > 1 << 20 {
                h.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        h.write(Data(chunk.utf8))
        try h.close()
        let c = try db.connect()
        defer { c.close() }
        let target = arrivalOrder ? "copy_target_arrival" : "copy_target"
        try c.execute("CREATE TABLE \(target) (LIKE \(c.dialect.quote(identifier: table)) INCLUDING ALL)")
        let psql = FileManager.default.isExecutableFile(atPath: "/usr/bin/psql") ? "/usr/bin/psql" : PostgresServer.binDirectory + "/psql"
        let pg0 = try postgresCPUSeconds(db)
        let t0 = RuntimeBench.now()
        let r = try TestSupport.runProcess(psql, [
            "-h", db.host, "-p", String(db.port), "-U", "postgres", "-d", db.dbname, "-v", "ON_ERROR_STOP=1",
            "-c", "\\copy \(target) (id, customer_id, product, quantity, price, status, created_at) FROM '\(file)' WITH (FORMAT csv)",
        ])
        let seconds = RuntimeBench.now() - t0
        let pg = try postgresCPUSeconds(db) - pg0
        print("  (psql \\copy\(arrivalOrder ? " in arrival order" : ""): \(RuntimeBench.fmt(seconds, 2)) s, PostgreSQL CPU \(RuntimeBench.fmt(pg, 2)) s)")
        guard r.succeeded else { throw BenchError("psql \\copy failed: \(r.output)") }
        let count = try c.queryScalar("SELECT count(*) FROM \(target)")?.intValue ?? -1
        guard count == Int64(rows) else { throw BenchError("psql \\copy loaded \(count) of \(rows) rows") }
        return Double(rows) / seconds
    }

    static func measure(rows: Int, separateBroker: Bool, prefill: Bool) async throws -> String {
        let db = try await RuntimeBench.onThread { try PostgresServer.shared().createDatabase(prefix: "bench_sink_e2e") }
        let dir = try RuntimeBench.tempDir("jdbc-sink-e2e")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var extra: [String: String] = avro ? ["schema.registry.listeners": "http://127.0.0.1:\(TestSupport.freePort())"] : [:]
        var broker: Process?
        if separateBroker {
            let (p, addr) = try RuntimeBench.startBrokerProcess(topics: ["orders_insert:64", "orders_upsert:64"])
            broker = p
            extra["bootstrap.servers"] = addr
        }
        defer { broker?.terminate() }
        let worker = try await RuntimeBench.startWorker(dir: dir, extra: extra)
        let (insertRate, insertCount, insertPeak) = try await sinkRun(worker: worker, db: db, mode: "insert", rows: rows, previouslyPut: 0, createTopic: !separateBroker, prefill: prefill)
        let (upsertRate, upsertCount, upsertPeak) = try await sinkRun(worker: worker, db: db, mode: "upsert", rows: rows, previouslyPut: Double(rows), createTopic: !separateBroker, prefill: prefill)
        let copyRate = try await RuntimeBench.onThread { try psqlCopy(db: db, like: "orders_insert", rows: rows) }
        let arrivalRate = try await RuntimeBench.onThread { try psqlCopy(db: db, like: "orders_insert", rows: rows, arrivalOrder: true) }
        let insertRatio = insertRate / copyRate, upsertRatio = upsertRate / copyRate
        func pct(_ x: Double) -> String { "\(Int((x * 100).rounded()))%" }
        return """
            jdbc-sink-e2e: \(rows) orders records (7 columns, \(avro ? "AvroConverter, embedded registry" : "JsonConverter schemas.enable=true"), \(valueBytes.load(ordering: .relaxed) / max(rows, 1)) bytes/value) \(prefill ? "in a topic filled beforehand (the connector paused, timed from its resume)" : "produced while the sink consumes") into the \
            \(separateBroker ? "embedded Kafka in a separate `sluice kafka-embedded` process" : "in-process embedded Kafka") (64 partitions, lz4) while 1 JDBC sink task (already joined to its group) writes them into PostgreSQL 15 (auto.create, pk.mode=record_value, batch.size=10000\(maxPollOverride.map { ", consumer.override.max.poll.records=\($0)" } ?? ", max.poll.records: the runtime's default")\(consumerOverrides.sorted { $0.key < $1.key }.map { ", \($0.key)=\($0.value)" }.joined()))
              insert: \(Int(insertRate)) rows/s end to end, table rows \(insertCount)/\(rows)\(insertCount == Int64(rows) ? "" : " INVALID"), \
            peak RSS \(RuntimeBench.fmt(insertPeak)) MB, \(pct(insertRatio)) of psql \\copy [target ≥ 70%: \(insertRatio >= 0.7 ? "pass" : "MISS")]
              upsert: \(Int(upsertRate)) rows/s end to end, table rows \(upsertCount)/\(rows)\(upsertCount == Int64(rows) ? "" : " INVALID"), \
            peak RSS \(RuntimeBench.fmt(upsertPeak)) MB, \(pct(upsertRatio)) of psql \\copy [target ≥ 35%: \(upsertRatio >= 0.35 ? "pass" : "MISS")]
              psql \\copy of the same rows (CSV, same table shape with primary key): \(Int(copyRate)) rows/s; \
            in the order the sink receives them: \(Int(arrivalRate)) rows/s (the sink reached \(pct(insertRate / arrivalRate)) / \(pct(upsertRate / arrivalRate)) of that)
              [RSS target ≤ 200 MB: \(max(insertPeak, upsertPeak) <= 200 ? "pass" : "MISS")] \(separateBroker ? "(RSS: the worker plus this benchmark's producer; the broker runs in its own process)" : "(RSS includes the in-process embedded broker's retained log and this benchmark's producer)")
            """
    }
}
