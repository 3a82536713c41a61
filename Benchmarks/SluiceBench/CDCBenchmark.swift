import Foundation
import Runtime
import SQL
import SluiceAPI
import Synchronization
import TestSupport

/// PostgreSQL CDC end to end (issue 6): changes committed into PostgreSQL 15 are decoded from the slot by the
/// Debezium-compatible connector in an in-process standalone worker and produced with JsonConverter (schemas enabled,
/// lz4) into the embedded Kafka, running as a separate `sluice kafka-embedded` process so peak RSS is the worker's.
///
/// Cases: one `changes`-row INSERT transaction, then `changes / 10` transactions of 10 rows, each timed from the
/// start of the load until Kafka acknowledged every event (`sluice_source_records_written_total`); then
/// commit-to-acknowledged latency at a paced 10,000 events/s; and `pg_recvlogical`'s decode rate of the same WAL (a
/// slot created just before each load, read to the LSN after it) as the ceiling.
enum CDCBenchmark {
    static let columns = "id bigint PRIMARY KEY, customer_id integer NOT NULL, product text NOT NULL, quantity integer NOT NULL, "
        + "price numeric(10,2) NOT NULL, created_at timestamp(3) NOT NULL"
    static let rowsSQL = "SELECT g, g % 10000, 'product-' || (g % 500), g % 9 + 1, (g % 100000) * 0.07 + 0.99, "
        + "timestamp '2024-01-01' + g * interval '37 ms' FROM generate_series($1::bigint, $2::bigint) g"

    /// Synchronous entry point for `sluice-bench cdc [changes]`.
    static func run(changes: Int) -> String {
        let result = Mutex<String>("")
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let text: String
            do { text = try await measure(changes: changes) } catch { text = "cdc failed: \(error)" }
            result.withLock { $0 = text }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 }
    }

    struct Load { var seconds: Double; var rate: Double; var loadSeconds: Double; var peakMB: Double; var recvRate: Double }

    static func measure(changes: Int) async throws -> String {
        let db = try await RuntimeBench.onThread { try PostgresServer.shared().createDatabase(prefix: "bench_cdc") }
        let dir = try RuntimeBench.tempDir("cdc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (broker, bootstrap) = try RuntimeBench.startBrokerProcess(topics: [
            "bench.public.one_tx:64", "bench.public.many_tx:64", "bench.public.paced:16",
        ])
        defer { broker.terminate() }
        let sql = try db.connect()
        defer { sql.close() }
        for t in ["one_tx", "many_tx", "paced"] { try sql.execute("CREATE TABLE public.\(t) (\(columns))") }
        try sql.execute("CREATE PUBLICATION bench_pub FOR TABLE public.one_tx, public.many_tx, public.paced")
        try sql.execute("""
            CREATE PROCEDURE bench_many(n integer) LANGUAGE plpgsql AS $$
            BEGIN
              FOR i IN 0 .. n - 1 LOOP
                INSERT INTO public.many_tx \(rowsSQL.replacingOccurrences(of: "$1::bigint", with: "i * 10 + 1").replacingOccurrences(of: "$2::bigint", with: "i * 10 + 10"));
                COMMIT;
              END LOOP;
            END $$
            """)
        let worker = try await RuntimeBench.startWorker(dir: dir, extra: [
            "bootstrap.servers": bootstrap, "producer.compression.type": "lz4", "producer.linger.ms": "5",
            "offset.flush.interval.ms": "1000",
        ])
        let port = worker.port
        try RuntimeBench.createConnector(port: port, name: "cdc-bench", [
            "connector.class": "io.debezium.connector.postgresql.PostgresConnector", "database.hostname": db.host,
            "database.port": String(db.port), "database.user": "postgres", "database.dbname": db.dbname, "topic.prefix": "bench",
            "plugin.name": "pgoutput", "slot.name": "bench_slot", "publication.name": "bench_pub",
            "publication.autocreate.mode": "disabled", "snapshot.mode": "no_data", "status.update.interval.ms": "1000",
        ])
        let running = await Task.detached {
            RuntimeBench.wait(timeout: 60) {
                RuntimeBench.http(port: port, "GET", "/connectors/cdc-bench/status")?.body.contains("\"RUNNING\"") == true
                    && (try? sql.queryScalar("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'bench_slot' AND active")?.intValue) == 1
            }
        }.value
        guard running else { throw BenchError("connector did not start streaming") }
        try await Task.sleep(for: .seconds(2))

        let one = try await timedLoad(db: db, port: port, name: "one", changes: changes) { c in
            try c.execute("INSERT INTO public.one_tx \(rowsSQL)", [.int(1), .int(Int64(changes))])
        }
        let many = try await timedLoad(db: db, port: port, name: "many", changes: changes) { c in
            try c.execute("SET synchronous_commit = off")
            try c.execute("CALL bench_many($1::int)", [.int(Int64(changes / 10))])
        }
        let paced = try await pacedLatency(db: db, port: port)
        func pass(_ ok: Bool) -> String { ok ? "pass" : "MISS" }
        return """
            cdc: PostgreSQL 15 → pgoutput → PostgresConnector (1 task, in-process worker) → JsonConverter schemas.enable=true → \
            lz4 → embedded Kafka in a separate process (64 partitions); 6-column orders rows (bigint, int, text, int, numeric(10,2), timestamp(3))
              one \(changes)-row INSERT transaction: \(Int(one.rate)) events/s from the load's start to the last Kafka ack \
            (\(RuntimeBench.fmt(one.seconds)) s; the INSERT itself took \(RuntimeBench.fmt(one.loadSeconds)) s), peak RSS \(RuntimeBench.fmt(one.peakMB)) MB \
            [≥ 75,000 events/s: \(pass(one.rate >= 75_000))]
              \(changes / 10) transactions of 10 rows: \(Int(many.rate)) events/s (\(RuntimeBench.fmt(many.seconds)) s; committing them took \
            \(RuntimeBench.fmt(many.loadSeconds)) s), peak RSS \(RuntimeBench.fmt(many.peakMB)) MB [≥ 75,000 events/s: \(pass(many.rate >= 75_000))]
              pg_recvlogical (pgoutput proto 1, same publication) decoding the same WAL afterwards: \(Int(one.recvRate)) events/s (one \
            transaction), \(Int(many.recvRate)) events/s (10-row transactions) — the ceiling
              paced 10,000 events/s (100-row transactions every 10 ms, \(paced.events) events): commit → Kafka ack p50 \
            \(RuntimeBench.fmt(paced.p50)) ms, p99 \(RuntimeBench.fmt(paced.p99)) ms [p99 ≤ 100 ms: \(pass(paced.p99 <= 100))] \
            (commit → returned by the task's poll: p50 \(RuntimeBench.fmt(paced.polledP50)) ms, p99 \(RuntimeBench.fmt(paced.polledP99)) ms; \
            one /metrics sample every \(RuntimeBench.fmt(paced.scrapeMs)) ms), \
            peak RSS \(RuntimeBench.fmt(paced.peakMB)) MB
              [RSS ≤ 150 MB: \(pass(max(one.peakMB, many.peakMB, paced.peakMB) <= 150))] (RSS of the worker's process incl. this \
            benchmark's libpq client; the broker runs in its own process)
            """
    }

    static func lsn(_ c: any DatabaseConnection) throws -> String {
        try c.queryScalar("SELECT pg_current_wal_lsn()::text")?.textValue ?? "0/0"
    }

    /// Runs `load` on its own connection while the worker streams, times it until every event is acknowledged,
    /// then times `pg_recvlogical` over the same WAL from a slot created just before the load.
    static func timedLoad(db: TestDatabase, port: Int, name: String, changes: Int,
                          _ load: @escaping @Sendable (any DatabaseConnection) throws -> Void) async throws -> Load {
        let recvSlot = "recv_\(name)"
        let control = try db.connect()
        defer { control.close() }
        try control.execute("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [.text(recvSlot)])
        let base = RuntimeBench.metric(port: port, "sluice_source_records_written_total") ?? 0
        RuntimeBench.resetPeakRSS()
        let t0 = RuntimeBench.now()
        let loadSeconds = try await RuntimeBench.onThread {
            let c = try db.connect()
            defer { c.close() }
            let s = RuntimeBench.now()
            try load(c)
            return RuntimeBench.now() - s
        }
        let endLSN = try lsn(control)
        let target = base + Double(changes)
        let acked = await Task.detached {
            RuntimeBench.wait(timeout: 900, everyMs: 20) { (RuntimeBench.metric(port: port, "sluice_source_records_written_total") ?? 0) >= target }
        }.value
        let seconds = RuntimeBench.now() - t0
        let peak = RuntimeBench.memoryMB("VmHWM") ?? .nan
        guard acked else { throw BenchError("\(name): not every event was acknowledged within 900 s") }
        let recv = try await RuntimeBench.onThread { () -> Double in
            let s = RuntimeBench.now()
            let r = try TestSupport.runProcess("/usr/sbin/runuser", [
                "-u", "postgres", "--", PostgresServer.binDirectory + "/pg_recvlogical", "-h", db.host, "-p", String(db.port),
                "-U", "postgres", "-d", db.dbname, "--slot", recvSlot, "--start", "-E", endLSN, "-o", "proto_version=1",
                "-o", "publication_names=bench_pub", "-f", "/dev/null", "--no-loop",
            ])
            guard r.succeeded else { throw BenchError("pg_recvlogical failed: \(r.output)") }
            return RuntimeBench.now() - s
        }
        try control.execute("SELECT pg_drop_replication_slot($1)", [.text(recvSlot)])
        return Load(seconds: seconds, rate: Double(changes) / seconds, loadSeconds: loadSeconds, peakMB: peak,
                    recvRate: Double(changes) / recv)
    }

    /// 100-row transactions every 10 ms for 10 s; each transaction's latency is from its COMMIT returning to the
    /// first `/metrics` scrape (every 2 ms) showing all of its events acknowledged.
    struct Paced {
        var p50: Double, p99: Double, polledP50: Double, polledP99: Double, events: Int, peakMB: Double
        /// Mean time between two `/metrics` samples: the resolution of the latency figures.
        var scrapeMs: Double
    }

    static func pacedLatency(db: TestDatabase, port: Int) async throws -> Paced {
        let txCount = 1_000, perTx = 100
        let base = RuntimeBench.metric(port: port, "sluice_source_records_written_total") ?? 0
        let basePolled = RuntimeBench.metric(port: port, "sluice_source_records_polled_total") ?? 0
        RuntimeBench.resetPeakRSS()
        let scrapes = Scrapes()
        let stopped = DispatchSemaphore(value: 0)
        // A plain thread: the scrape loop blocks, and must not hold one of the 2 cooperative-pool threads.
        Thread.detachNewThread {
            while scrapes.running {
                if let v = RuntimeBench.metric(port: port, "sluice_source_records_written_total"),
                   let polled = RuntimeBench.metric(port: port, "sluice_source_records_polled_total") {
                    scrapes.append(RuntimeBench.now(), v - base, polled - basePolled)
                }
                usleep(2_000)
            }
            stopped.signal()
        }
        let commits = try await RuntimeBench.onThread { () -> [Double] in
            let c = try db.connect()
            defer { c.close() }
            // The test server runs with synchronous_commit=off, where the walsender sees a commit only after the WAL
            // writer's next flush (wal_writer_delay, 200 ms): that would be measured as connector latency.
            try c.execute("SET synchronous_commit = on")
            var times: [Double] = []
            let start = RuntimeBench.now()
            for k in 0..<txCount {
                let due = start + Double(k) * 0.01
                let wait = due - RuntimeBench.now()
                if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
                let lo = Int64(k * perTx + 1)
                try c.execute("INSERT INTO public.paced \(rowsSQL)", [.int(lo), .int(lo + Int64(perTx) - 1)])
                times.append(RuntimeBench.now())
            }
            return times
        }
        _ = await Task.detached {
            RuntimeBench.wait(timeout: 120) { (scrapes.snapshot.last?.1 ?? 0) >= Double(txCount * perTx) }
        }.value
        scrapes.stop()
        await Task.detached { stopped.wait() }.value
        let peak = RuntimeBench.memoryMB("VmHWM") ?? .nan
        let samples = scrapes.snapshot
        /// Per transaction: from COMMIT returning to the first scrape whose count (acknowledged or polled) covers it.
        func latencies(_ count: ((Double, Double, Double)) -> Double) -> [Double] {
            var out: [Double] = []
            var i = 0
            for (k, committed) in commits.enumerated() {
                let need = Double((k + 1) * perTx)
                while i < samples.count && (count(samples[i]) < need || samples[i].0 < committed) { i += 1 }
                guard i < samples.count else { break }
                out.append((samples[i].0 - committed) * 1000)
            }
            return out.sorted()
        }
        let acked = latencies { $0.1 }, polled = latencies { $0.2 }
        guard !acked.isEmpty, !polled.isEmpty else { throw BenchError("paced: no latency samples") }
        func pct(_ xs: [Double], _ p: Double) -> Double { xs[min(xs.count - 1, Int(Double(xs.count) * p))] }
        return Paced(p50: pct(acked, 0.5), p99: pct(acked, 0.99), polledP50: pct(polled, 0.5), polledP99: pct(polled, 0.99),
                     events: txCount * perTx, peakMB: peak,
                     scrapeMs: samples.count > 1 ? (samples.last!.0 - samples.first!.0) * 1000 / Double(samples.count - 1) : .nan)
    }
}

/// `/metrics` samples (time, acknowledged count, polled count) shared between the scrape thread and the benchmark.
final class Scrapes: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(Double, Double, Double)] = []
    private var isRunning = true

    var running: Bool { lock.withLock { isRunning } }
    var snapshot: [(Double, Double, Double)] { lock.withLock { items } }
    func append(_ time: Double, _ acked: Double, _ polled: Double) { lock.withLock { items.append((time, acked, polled)) } }
    func stop() { lock.withLock { isRunning = false } }
}
