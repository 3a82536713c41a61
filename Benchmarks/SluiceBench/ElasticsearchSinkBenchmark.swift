import Elasticsearch
import Foundation
import Logging
import SluiceAPI
import TestSupport

/// The Elasticsearch sink task's path (converted records handed to `put`, through to acknowledged bulk items) for
/// the 7-field orders schema into one index of a fresh in-memory OpenSearch-compatible server, side by side with
/// `curl` posting the same documents as ready-made `_bulk` files, 5 at a time (the ceiling; target ≥ 70 %).
enum ElasticsearchSinkBenchmark {
    static func records(_ range: Range<Int>) -> [SinkRecord] {
        let s = JDBCSinkBenchmark.schema
        return range.map { i in
            let id = Int64(i)
            let v = Struct(schema: s, values: [
                .int64(id), .string("customer-\(i % 10_000)"), .decimal(ConnectDecimal(unscaled: id * 7 % 1_000_000, scale: 2)),
                .string(JDBCSinkBenchmark.statuses[i % 4]), .int64(JDBCSinkBenchmark.base + id), .int64(JDBCSinkBenchmark.base + id),
                i % 3 == 0 ? .null : .string("note \(i)"),
            ])
            return SinkRecord(topic: "orders", partition: 0, keySchema: .int64, key: .int64(id), valueSchema: s,
                value: .structure(v), kafkaOffset: id)
        }
    }

    static func run(records total: Int) -> String {
        do {
            let sink = try runSink(total)
            let ceiling = try runCurl(total)
            let pct = sink.rate / ceiling * 100
            return """
                elasticsearch-sink: \(total) records, 7 fields, one index (osmem-server, in memory)
                  sink task:  \(RuntimeBench.fmt(sink.rate, 0)) docs/s (\(RuntimeBench.fmt(sink.seconds, 2)) s), peak RSS \(RuntimeBench.fmt(sink.peakMB)) MB
                  curl _bulk: \(RuntimeBench.fmt(ceiling, 0)) docs/s (same documents as 2000-line files, 5 in parallel)
                  sink / ceiling: \(RuntimeBench.fmt(pct)) % [≥ 70 %: \(pct >= 70 ? "PASS" : "FAIL")]
                """
        } catch {
            return "elasticsearch-sink: \(error)"
        }
    }

    private static func runSink(_ total: Int) throws -> (rate: Double, seconds: Double, peakMB: Double) {
        let es = try OpenSearchServer()
        let props = ["connection.url": es.url, "topics": "orders", "read.timeout.ms": "30000"]
        let task = ElasticsearchSinkTask()
        task.initialize(context: JDBCSinkBenchmark.Context(configs: props))
        try task.start(props)
        defer { task.stop() }
        RuntimeBench.resetPeakRSS()
        let start = RuntimeBench.now()
        var i = 0
        while i < total {
            let n = min(2000, total - i)
            try task.put(records(i..<(i + n)))
            _ = try task.preCommit([TopicPartition("orders", 0): Int64(i + n)])
            i += n
        }
        try task.flush([:])
        let seconds = RuntimeBench.now() - start
        let count = try es.count("orders")
        guard count == total else { throw TestSupportError("the index holds \(count) documents, expected \(total)") }
        return (Double(total) / seconds, seconds, RuntimeBench.memoryMB("VmHWM") ?? 0)
    }

    /// The same documents as `_bulk` files (2000 per file), posted by `curl` through `xargs -P 5`.
    private static func runCurl(_ total: Int) throws -> Double {
        let dir = try RuntimeBench.tempDir("sluice-bench-es")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var file = 0, i = 0
        while i < total {
            var text = ""
            for j in i..<min(i + 2000, total) {
                let amount = Double(Int64(j) * 7 % 1_000_000) / 100
                let note = j % 3 == 0 ? "null" : "\"note \(j)\""
                let ts = JDBCSinkBenchmark.base + Int64(j)
                text += #"{"index":{"_index":"orders","_id":"\#(j)","version":\#(j),"version_type":"external"}}"# + "\n"
                text += #"{"id":\#(j),"customer":"customer-\#(j % 10_000)","amount":\#(amount),"status":"\#(JDBCSinkBenchmark.statuses[j % 4])","created_at":\#(ts),"updated_at":\#(ts),"note":\#(note)}"# + "\n"
            }
            try text.write(toFile: "\(dir)/\(file).ndjson", atomically: false, encoding: .utf8)
            file += 1
            i += 2000
        }
        let es = try OpenSearchServer()
        _ = try es.request("PUT", "/orders")
        let start = RuntimeBench.now()
        let r = try TestSupport.shell(
            "cd \(dir) && ls *.ndjson | xargs -P 5 -I{} curl -s -o /dev/null -H 'Content-Type: application/x-ndjson' --data-binary @{} \(es.url)/_bulk")
        let seconds = RuntimeBench.now() - start
        guard r.succeeded else { throw TestSupportError("curl failed: \(r.output)") }
        let count = try es.count("orders")
        guard count == total else { throw TestSupportError("curl: the index holds \(count) documents, expected \(total)") }
        return Double(total) / seconds
    }
}
