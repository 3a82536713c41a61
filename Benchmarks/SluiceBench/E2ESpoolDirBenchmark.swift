import Foundation
import Runtime
import SluiceAPI

/// SpoolDir end to end (issue 3): a 7-column CSV → in-process worker with the embedded Kafka, JsonConverter with
/// schemas, timed from the connector's creation until every record is acknowledged by Kafka (the worker's
/// `sluice_source_records_written_total`), then the same row count split over 3 files with 3 tasks.
///
/// The embedded broker keeps only 5 MiB per partition, so the topics get 32 partitions and the producer uses lz4 (the
/// worker's default); the acknowledged count must equal the rows or the run is reported invalid.
enum E2ESpoolDirBenchmark {
    /// - Parameter separateBroker: run the broker as a `sluice kafka-embedded` child process so the RSS figures are
    ///   the worker's alone (the in-process broker keeps every record it was sent in this process's memory).
    static func run(rows: Int, separateBroker: Bool = false) async -> String {
        do {
            return try await measure(rows: rows, separateBroker: separateBroker)
        } catch {
            return "spooldir-e2e failed: \(error)"
        }
    }

    /// Java's String.hashCode, as the ByName partitioner uses, to pick 3 file names that land on 3 different tasks.
    static func javaHash(_ s: String) -> Int64 {
        var h: Int32 = 0
        for u in s.utf16 { h = h &* 31 &+ Int32(u) }
        return Int64(h)
    }

    static func threeFileNames() -> [String] {
        var byTask: [Int: String] = [:]
        var n = 0
        while byTask.count < 3 {
            let name = "orders-\(n).csv"
            let task = Int(javaHash(name).magnitude % 3)
            if byTask[task] == nil { byTask[task] = name }
            n += 1
        }
        return (0..<3).map { byTask[$0]! }
    }

    static func connectorConfig(input: String, root: String, topic: String, tasks: Int) -> [String: String] {
        [
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "tasks.max": String(tasks),
            "input.path": input, "finished.path": root + "/finished", "error.path": root + "/error",
            "input.file.pattern": #"^.*\.csv$"#, "topic": topic,
            "csv.first.row.as.header": "true", "schema.generation.enabled": "true", "halt.on.error": "true",
            "empty.poll.wait.ms": "50",
            "topic.creation.default.partitions": "32", "topic.creation.default.replication.factor": "1",
        ]
    }

    /// CPU seconds of this whole process (worker threads, librdkafka threads, and this harness's metric polling;
    /// with `separateBroker` not the broker): on a machine shared with other work, rows per CPU-second compare
    /// builds far more steadily than wall time.
    static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Creates the connector and waits until the worker's acknowledged-record counter reaches `target`.
    /// Returns (seconds, acknowledged, peak RSS MB of this phase, process CPU seconds of this phase).
    static func phase(port: Int, name: String, config: [String: String], target: Double) async throws -> (Double, Double, Double, Double) {
        RuntimeBench.resetPeakRSS()
        let cpu0 = processCPUSeconds()
        let t0 = RuntimeBench.now()
        try RuntimeBench.createConnector(port: port, name: name, config)
        let done = await Task.detached {
            RuntimeBench.wait(timeout: 600, everyMs: 20) { (RuntimeBench.metric(port: port, "sluice_source_records_written_total") ?? 0) >= target }
        }.value
        let seconds = RuntimeBench.now() - t0
        let cpu = processCPUSeconds() - cpu0
        let peak = RuntimeBench.memoryMB("VmHWM") ?? .nan
        // Anything acknowledged beyond the target would be a duplicate: wait a moment and read the final figure.
        usleep(1_500_000)
        let acked = RuntimeBench.metric(port: port, "sluice_source_records_written_total") ?? 0
        if !done { throw BenchError("\(name): only \(Int(acked)) of \(Int(target)) records acknowledged after 600 s") }
        return (seconds, acked, peak, cpu)
    }

    static func measure(rows: Int, separateBroker: Bool) async throws -> String {
        let root = try RuntimeBench.tempDir("spooldir-e2e")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for d in ["input1", "input3", "finished", "error"] {
            try FileManager.default.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true)
        }
        try SpoolDirBenchmark.generate(rows: rows, to: root + "/input1/orders.csv")
        let size = (try FileManager.default.attributesOfItem(atPath: root + "/input1/orders.csv")[.size] as? Int) ?? 0
        let names = threeFileNames()
        let perFile = rows / 3
        for (i, n) in names.enumerated() {
            try SpoolDirBenchmark.generate(rows: i == 2 ? rows - 2 * perFile : perFile, to: root + "/input3/" + n)
        }

        var extra: [String: String] = [:]
        var broker: Process?
        if separateBroker {
            let (p, addr) = try RuntimeBench.startBrokerProcess(topics: ["spool-e2e-1:32", "spool-e2e-3:32"])
            broker = p
            extra["bootstrap.servers"] = addr
        }
        defer { broker?.terminate() }
        let worker = try await RuntimeBench.startWorker(dir: root, extra: extra)
        let port = worker.port
        let (s1, acked1, peak1, cpu1) = try await phase(
            port: port, name: "e2e1", config: connectorConfig(input: root + "/input1", root: root, topic: "spool-e2e-1", tasks: 1),
            target: Double(rows))
        let (s3, acked3, peak3, cpu3) = try await phase(
            port: port, name: "e2e3", config: connectorConfig(input: root + "/input3", root: root, topic: "spool-e2e-3", tasks: 3),
            target: Double(2 * rows))
        let finished = (try? FileManager.default.contentsOfDirectory(atPath: root + "/finished"))?.count ?? 0
        let valid1 = Int(acked1) == rows, valid3 = Int(acked3) == 2 * rows, allFinished = finished == 4
        let rate1 = Double(rows) / s1, rate3 = Double(rows) / s3
        return """
            spooldir-e2e: \(rows) rows × 7 columns (\(size / 1_000_000) MB CSV) → in-process worker, \(separateBroker ? "embedded Kafka in a separate `sluice kafka-embedded` process" : "in-process embedded Kafka") (32 partitions, lz4), JsonConverter schemas.enable=true
              1 task : \(RuntimeBench.fmt(s1, 2)) s = \(Int(rate1)) rows/s acknowledged [target ≥ 250,000: \(rate1 >= 250_000 ? "pass" : "MISS")], \
            peak RSS \(RuntimeBench.fmt(peak1)) MB [target ≤ 200 MB: \(peak1 <= 200 ? "pass" : "MISS")], acknowledged \(Int(acked1))/\(rows)\(valid1 ? "" : " INVALID"); \
            process CPU \(RuntimeBench.fmt(cpu1, 2)) s = \(Int(Double(rows) / cpu1)) rows per CPU-second
              3 tasks over 3 files: \(RuntimeBench.fmt(s3, 2)) s = \(Int(rate3)) rows/s, peak RSS \(RuntimeBench.fmt(peak3)) MB, \
            acknowledged \(Int(acked3) - Int(acked1))/\(rows)\(valid3 ? "" : " INVALID"); files in finished.path: \(finished)/4\(allFinished ? "" : " (not all finished)"); \
            process CPU \(RuntimeBench.fmt(cpu3, 2)) s = \(Int(Double(rows) / cpu3)) rows per CPU-second
              \(separateBroker ? "(RSS is the worker's own; the broker runs in its own process)" : "(RSS includes the in-process embedded broker's retained log)")
            """
    }
}
