import Foundation
import Kafka
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// `kill -9` of a `sluice standalone` worker while a 200k-line CSV is half sent, with the broker in its own
/// `sluice kafka-embedded` process: after a restart every line is in the topic, in file order, and the only
/// duplicates are the lines after the last committed offset.
@Suite struct SpoolDirCrashTests {
    static let total = 200_000

    /// The committed SpoolDir offset (records read) of `orders.csv` in the standalone offsets file, 0 when none.
    static func committedOffset(_ file: String) throws -> Int64 {
        guard let data = FileManager.default.contents(atPath: file) else { return 0 }
        var best: Int64 = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let doc = try JSONReader.parse(Array(line))
            if doc["key"]?.stringValue?.contains("orders.csv") == true, let n = doc["value"]?["offset"]?.int64Value {
                best = max(best, n)
            }
        }
        return best
    }

    @Test func killNineHalfWayResumesAfterCommittedOffset() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-it-spoolcrash")
        // One partition so the topic order is the produce order. Rows are ~20 bytes as schemaless JSON: 200k of them
        // are ~4 MB before lz4, under the embedded broker's 5 MiB per partition (verified below by reading all back).
        let (broker, bootstrap) = try ProcessHarness.startBroker(topics: ["spoolcrash:1"])
        defer { broker.terminate(); broker.waitUntilExit() }
        let input = dir.file("input"), finished = dir.file("finished"), errors = dir.file("error")
        try IT.mkdirs(input, finished, errors)
        var csv = "id,v\n"
        csv.reserveCapacity(Self.total * 14)
        for i in 1...Self.total { csv += "\(i),r\(i % 1000)\n" }
        try IT.write(csv, to: dir.file("orders.csv.tmp"))

        let port = TestSupport.freePort()
        let base = "http://127.0.0.1:\(port)"
        try IT.write(IT.properties([
            "bootstrap.servers": bootstrap,
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "key.converter.schemas.enable": "false",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter.schemas.enable": "false",
            "offset.storage.file.filename": dir.file("connect.offsets"),
            "offset.flush.interval.ms": "300",
            "listeners": "http://127.0.0.1:\(port)",
        ]), to: dir.file("worker.properties"))
        try IT.write(IT.properties([
            "name": "spool",
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "tasks.max": "1",
            "input.path": input, "finished.path": finished, "error.path": errors,
            "input.file.pattern": #"^.*\.csv$"#,
            "topic": "spoolcrash",
            "csv.first.row.as.header": "true",
            "schema.generation.enabled": "true",
            "batch.size": "200",
            "empty.poll.wait.ms": "100",
            "halt.on.error": "true",
        ]), to: dir.file("spool.properties"))
        let args = [dir.file("worker.properties"), dir.file("spool.properties")]

        // Whichever worker process is current is stopped when the test ends, even when it fails half-way.
        var worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        defer { worker.terminate(); worker.waitUntilExit() }
        try await waitUntil(timeout: 60, "worker REST up") { await IT.get(base + "/health")?.status == 200 }
        try FileManager.default.moveItem(atPath: dir.file("orders.csv.tmp"), toPath: input + "/orders.csv")
        try await waitUntil(timeout: 90, "some records acknowledged") {
            (await IT.metric(base, "sluice_source_records_written_total") ?? 0) >= 20_000
        }
        ProcessHarness.kill9(worker)
        let committed = try Self.committedOffset(dir.file("connect.offsets"))
        #expect(committed < Int64(Self.total), "the file was already done when the worker was killed")
        #expect(IT.files(in: finished).isEmpty, "the file was already finished when the worker was killed")

        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        try await waitUntil(timeout: 120, "orders.csv in finished.path") { IT.files(in: finished) == ["orders.csv"] }

        let messages = try await IT.readTopic(bootstrap, "spoolcrash", count: Self.total * 2, timeoutMs: 20_000)
        let ids = try messages.map { m -> Int64 in try JSONReader.parse(m.value ?? [])["id"]?.int64Value ?? -1 }
        #expect(Set(ids).count == Self.total, "distinct lines in the topic (a smaller count means lost or dropped data)")
        // File order with one rewind: 1...k (produced before the kill), then (committed+1)...total after the restart.
        var k = 0
        while k < ids.count && ids[k] == Int64(k + 1) { k += 1 }
        let resumedAt = k < ids.count ? ids[k] : Int64(k + 1)
        let after = ids[k...]
        #expect(after.elementsEqual(stride(from: resumedAt, through: Int64(Self.total), by: 1)), "records after the restart are not the rest of the file in order")
        #expect(resumedAt == committed + 1, "restart resumed at line \(resumedAt), committed offset was \(committed)")
        let duplicates = ids.count - Self.total
        #expect(duplicates == k - Int(committed), "duplicates are exactly the uncommitted window")
        print("spooldir crash: \(k) lines before the kill, committed \(committed), \(duplicates) duplicates")
    }
}
