import Foundation
import Logging
import SluiceAPI
import SpoolDir

/// SpoolDir CSV throughput without Kafka: one task's poll loop over a generated 7-column CSV (ids, text, decimal
/// amounts, ISO timestamps, quoted fields with commas), parse + typed conversion + record building. The end-to-end
/// figure (into Kafka with JsonConverter) is measured separately by the runtime benchmark.
enum SpoolDirBenchmark {
    private final class NoOffsets: OffsetStorageReader, @unchecked Sendable {
        func offset(_ partition: [String: JSONValue]) -> [String: JSONValue]? { nil }
    }

    private struct Context: SourceTaskContext {
        var configs: [String: String]
        var offsetStorageReader: any OffsetStorageReader { NoOffsets() }
        var errantRecordReporter: (any ErrantRecordReporter)? { nil }
        var logger: Logger { Logger(label: "bench") }
    }

    /// Writes the CSV in 1 MB pieces so generating it does not hold the file in memory.
    static func generate(rows: Int, to path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? h.close() }
        var chunk = "id,customer,amount,created_at,note,qty,active\n"
        let names = ["Ann", "Bob", "Cleo", "Dmitri", "Eve", "Farid", "Gao", "Hana"]
        for i in 1...rows {
            let cents = (i * 7919) % 1_000_000
            let sec = i % 60, min = (i / 60) % 60, hour = (i / 3600) % 24, day = 1 + (i / 86_400) % 28
            chunk += "\(i),\(names[i % names.count]) \(i % 977),\(cents / 100).\(cents % 100 < 10 ? "0" : "")\(cents % 100),"
            chunk += "2024-03-\(day < 10 ? "0" : "")\(day)T\(hour < 10 ? "0" : "")\(hour):\(min < 10 ? "0" : "")\(min):\(sec < 10 ? "0" : "")\(sec)Z,"
            chunk += "\"order \(i), item \(i % 13), \"\"gift\"\"\",\(i % 50),\(i % 3 == 0 ? "true" : "false")\n"
            if chunk.utf8.count > 1 << 20 {
                h.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        h.write(Data(chunk.utf8))
    }

    /// CPU seconds used by the calling thread: on a shared machine this, not wall time, is what the code costs.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func parseAndInfer(rows: Int) -> String {
        let root = NSTemporaryDirectory() + "sluice-bench-spooldir-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            try FileManager.default.createDirectory(atPath: root + "/input", withIntermediateDirectories: true)
            let t0 = Date()
            try generate(rows: rows, to: root + "/input/orders.csv")
            let genSecs = Date().timeIntervalSince(t0)
            let size = (try FileManager.default.attributesOfItem(atPath: root + "/input/orders.csv")[.size] as? Int) ?? 0
            let props = [
                "topic": "orders", "input.path": root + "/input", "error.path": root + "/error", "finished.path": root + "/finished",
                "input.file.pattern": ".*\\.csv", "csv.first.row.as.header": "true", "schema.generation.enabled": "true",
                "halt.on.error": "true", "batch.size": "1000", "empty.poll.wait.ms": "10",
            ]
            let connector = SpoolDirSourceConnector(format: .csv)
            let t1 = Date()
            try connector.start(props)
            let config = try connector.taskConfigs(maxTasks: 1)[0]
            let inferSecs = Date().timeIntervalSince(t1)
            let task = connector.makeTask()
            task.initialize(context: Context(configs: config))
            try task.start(config)
            var count = 0
            var checksum = 0
            let t2 = Date()
            let cpu0 = threadCPUSeconds()
            while count < rows {
                let batch = try task.poll()
                for r in batch {
                    try task.commitRecord(r, metadata: nil)
                    if case .structure(let s) = r.value, case .int32(let q) = s[5] { checksum &+= Int(q) }
                }
                count += batch.count
                if batch.isEmpty && Date().timeIntervalSince(t2) > 600 { break }
            }
            let secs = Date().timeIntervalSince(t2)
            let cpu = threadCPUSeconds() - cpu0
            task.stop()
            connector.stop()
            let schema = config["value.schema"] ?? "?"
            return """
                spooldir parse+convert (1 task, no Kafka): \(count) rows, \(size / 1_048_576) MB in \(String(format: "%.2f", secs)) s \
                = \(Int(Double(count) / secs)) rows/s wall (\(String(format: "%.0f", Double(size) / secs / 1_048_576)) MB/s), \
                \(Int(Double(count) / cpu)) rows per CPU-second (\(String(format: "%.2f", cpu)) s CPU); \
                schema inference at start \(String(format: "%.3f", inferSecs)) s; generate \(String(format: "%.1f", genSecs)) s; checksum \(checksum)
                inferred value schema: \(schema)
                """
        } catch {
            return "spooldir benchmark failed: \(error)"
        }
    }
}
