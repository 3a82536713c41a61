import Foundation
import Runtime
import SluiceAPI

/// Issue 7's budget measured on a whole source pipeline: SpoolDir CSV (7 typed columns) → in-process worker →
/// JsonConverter (`schemas.enable=true`) → embedded Kafka, timed from the connector's creation until Kafka
/// acknowledged every record, once without transforms and once with the InsertField → ReplaceField → Cast chain.
///
/// Both variants run on the same worker, alternating which goes first, seven rounds; the figures are medians (and
/// minimums, the least disturbed runs) of wall time and of the process's CPU time: the machine is shared, and
/// single runs vary by ±30 %.
/// This is the "pipeline" the issue names; `transforms` keeps the harsher micro comparison (chain vs a bare
/// JsonConverter loop).
enum E2ETransformBenchmark {
    static let transforms: [String: String] = [
        "transforms": "insert,rename,cast",
        "transforms.insert.type": "org.apache.kafka.connect.transforms.InsertField$Value",
        "transforms.insert.static.field": "source",
        "transforms.insert.static.value": "sluice",
        "transforms.rename.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
        "transforms.rename.renames": "customer:customer_name,note:comment",
        "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
        "transforms.cast.spec": "qty:int32,id:string",
    ]

    static func run(rows: Int, rounds: Int = 7) async -> String {
        do {
            return try await measure(rows: rows, rounds: rounds)
        } catch {
            return "transforms-e2e failed: \(error)"
        }
    }

    static func connectorConfig(input: String, root: String, topic: String, withTransforms: Bool) -> [String: String] {
        var c = [
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "tasks.max": "1",
            "input.path": input, "finished.path": root + "/finished", "error.path": root + "/error",
            "input.file.pattern": #"^.*\.csv$"#, "topic": topic,
            "csv.first.row.as.header": "true", "schema.generation.enabled": "true", "halt.on.error": "true",
            "empty.poll.wait.ms": "50",
            "topic.creation.default.partitions": "32", "topic.creation.default.replication.factor": "1",
        ]
        if withTransforms { c.merge(transforms) { $1 } }
        return c
    }

    /// CPU seconds (user + system) this process used so far: every thread of the pipeline (task, producer, the
    /// in-process broker), so the figure is the pipeline's cost, steadier than wall time on a shared machine.
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// The threads of this process and their CPU seconds so far (`/proc/self/task/<tid>/stat`, 10 ms ticks).
    static func threadCPU() -> [String: (name: String, cpu: Double)] {
        guard let tids = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return [:] }
        var out: [String: (name: String, cpu: Double)] = [:]
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        for tid in tids {
            guard let stat = try? String(contentsOfFile: "/proc/self/task/\(tid)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { continue }
            // After "(comm)": state, ppid, pgrp, session, tty_nr, tpgid, flags, minflt, cminflt, majflt, cmajflt, utime, stime.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            out[tid] = (String(stat[stat.index(after: open)..<close]), (user + system) / tick)
        }
        return out
    }

    /// CPU seconds of the busiest thread started since `before` that is not librdkafka's: the connector's task
    /// thread, which polls, transforms, converts and hands records to the producer (the single-task pipeline's
    /// bottleneck; the producer's compression and the broker run on other threads).
    static func taskThreadCPU(since before: [String: (name: String, cpu: Double)]) -> Double {
        threadCPU().filter { before[$0.key] == nil && !$0.value.name.hasPrefix("rdk:") }.map(\.value.cpu).max() ?? .nan
    }

    /// One connector over a fresh copy of the CSV; returns the wall and CPU seconds until `rows` more records were
    /// acknowledged, and the CPU seconds of the connector's task thread.
    static func phase(port: Int, root: String, csv: String, name: String, rows: Int, withTransforms: Bool) throws -> Run {
        let input = root + "/" + name
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: csv, toPath: input + "/orders.csv")
        let before = RuntimeBench.metric(port: port, "sluice_source_records_written_total") ?? 0
        let target = before + Double(rows)
        let t0 = RuntimeBench.now()
        let c0 = cpuSeconds()
        let threads0 = threadCPU()
        try RuntimeBench.createConnector(
            port: port, name: name, connectorConfig(input: input, root: root, topic: name, withTransforms: withTransforms))
        let done = RuntimeBench.wait(timeout: 600, everyMs: 20) {
            (RuntimeBench.metric(port: port, "sluice_source_records_written_total") ?? 0) >= target
        }
        let seconds = RuntimeBench.now() - t0
        let cpu = cpuSeconds() - c0
        let task = taskThreadCPU(since: threads0)
        _ = RuntimeBench.http(port: port, "DELETE", "/connectors/\(name)")
        usleep(500_000)
        let acked = (RuntimeBench.metric(port: port, "sluice_source_records_written_total") ?? 0) - before
        guard done, Int(acked) == rows else {
            throw BenchError("\(name): \(Int(acked)) of \(rows) records acknowledged (expected exactly \(rows))")
        }
        return Run(wall: seconds, cpu: cpu, task: task)
    }

    struct Run {
        let wall: Double
        let cpu: Double
        let task: Double
    }

    static func measure(rows: Int, rounds: Int) async throws -> String {
        let root = try RuntimeBench.tempDir("transforms-e2e")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for d in ["finished", "error"] {
            try FileManager.default.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true)
        }
        let csv = root + "/orders.csv"
        try SpoolDirBenchmark.generate(rows: rows, to: csv)
        let worker = try await RuntimeBench.startWorker(dir: root)
        let port = worker.port
        let result = try await RuntimeBench.onThread { () throws -> String in
            var without: [Run] = [], with: [Run] = []
            for round in 0..<rounds {
                for withTransforms in round % 2 == 0 ? [false, true] : [true, false] {
                    let name = "\(withTransforms ? "c" : "n")\(round)"  // thread names keep 15 characters
                    let r = try phase(port: port, root: root, csv: csv, name: name, rows: rows, withTransforms: withTransforms)
                    if withTransforms { with.append(r) } else { without.append(r) }
                }
            }
            let n = Double(rows)
            func line(_ label: String, _ pick: (Run) -> Double, _ reduce: ([Double]) -> Double) -> String {
                let a = reduce(without.map(pick)), b = reduce(with.map(pick))
                let cost = 1 - a / b
                guard a.isFinite, b.isFinite else { return "  \(label): not measured" }
                return "  \(label): no transforms \(RuntimeBench.fmt(a / n * 1e9, 0)) ns/record (\(Int(n / a)) records/s), "
                    + "with transforms \(RuntimeBench.fmt(b / n * 1e9, 0)) ns/record (\(Int(n / b)) records/s): chain costs "
                    + "\(RuntimeBench.fmt(cost * 100))% of throughput, \(Int(((b - a) / n * 1e9).rounded())) ns/record [target ≤ 15%: \(cost <= 0.15 ? "pass" : "MISS")]"
            }
            func runs(_ xs: [Double]) -> String { xs.map { RuntimeBench.fmt($0, 2) }.joined(separator: ", ") }
            return [
                "transforms-e2e: \(rows) rows × 7 columns, SpoolDir CSV → in-process worker → JsonConverter (schemas) → embedded Kafka, "
                    + "1 task, \(rounds) interleaved rounds; chain = InsertField static → ReplaceField renames → Cast qty:int32,id:string",
                line("wall, median", \.wall, RuntimeBench.median),
                line("wall, minimum", \.wall) { $0.min() ?? .nan },
                line("task thread CPU, median", \.task, RuntimeBench.median),
                line("task thread CPU, minimum", \.task) { $0.min() ?? .nan },
                line("process CPU, median", \.cpu, RuntimeBench.median),
                "  runs (s), no transforms: wall \(runs(without.map(\.wall))); task CPU \(runs(without.map(\.task))); process CPU \(runs(without.map(\.cpu)))",
                "  runs (s), with transforms: wall \(runs(with.map(\.wall))); task CPU \(runs(with.map(\.task))); process CPU \(runs(with.map(\.cpu)))",
            ].joined(separator: "\n")
        }
        return result
    }
}
