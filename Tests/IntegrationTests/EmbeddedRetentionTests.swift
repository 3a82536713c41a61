import Foundation
import Kafka
import Testing
import TestSupport
import WorkerTestSupport

/// The embedded Kafka keeps only 5 MiB per partition. CSV → SpoolDir → embedded Kafka → a sink that is held back
/// (paused, then resumed, and reading 500 records per poll): with the worker's retention guard every row arrives;
/// without it the sink reports the exact number of records the broker dropped, failing under the embedded default
/// policy and counting under `log`. 300k rows of ~170 bytes into one partition (≥ 24 MB compressed, ~5× what the
/// broker keeps) stand in for the 1M-row report: the same overflow, in well under a minute.
@Suite(.serialized) struct EmbeddedRetentionTests {
    /// CSV lines of an id and 160 pseudo-random hex digits: the producer compresses with lz4 and the broker counts
    /// compressed bytes, so the payload must not compress away (~80 bytes each on the broker at least).
    static func csv(_ range: ClosedRange<Int>) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out = Array("id,payload\n".utf8)
        out.reserveCapacity(range.count * 172)
        var x = UInt64(range.lowerBound) &* 0x9E37_79B9_7F4A_7C15
        for i in range {
            out += Array(String(i).utf8)
            out.append(UInt8(ascii: ","))
            for _ in 0..<10 {
                x &+= 0x9E37_79B9_7F4A_7C15  // splitmix64
                var z = x
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                for shift in stride(from: 60, through: 0, by: -4) { out.append(hex[Int((z >> UInt64(shift)) & 0xF)]) }
            }
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    func spoolDir(_ w: TestWorker, topic: String, partitions: Int) throws -> (config: [String: String], input: String, finished: String) {
        let input = w.dir.file("input"), finished = w.dir.file("finished"), errors = w.dir.file("error")
        try IT.mkdirs(input, finished, errors)
        return ([
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "input.path": input, "finished.path": finished, "error.path": errors,
            "input.file.pattern": #"^.*\.csv$"#, "topic": topic,
            "csv.first.row.as.header": "true", "schema.generation.enabled": "true", "halt.on.error": "true",
            "value.converter": "org.apache.kafka.connect.storage.StringConverter",
            "key.converter": "org.apache.kafka.connect.storage.StringConverter",
            "topic.creation.default.partitions": String(partitions), "topic.creation.default.replication.factor": "1",
        ], input, finished)
    }

    /// Creates `topic` before any client subscribes (a sink subscribing first would auto-create it with 4 partitions).
    func createTopic(_ w: TestWorker, _ topic: String, partitions: Int) async throws {
        try await Task.detached {
            let admin = try KafkaAdmin.make(config: ["bootstrap.servers": w.bootstrap])
            try admin.createTopic(name: topic, partitions: partitions, replicationFactor: 1, configs: [:])
        }.value
    }

    func watermarks(_ w: TestWorker, _ topic: String) async throws -> (low: Int64, high: Int64) {
        try await Task.detached { () throws -> (low: Int64, high: Int64) in
            let c = try KafkaConsumer.make(config: ["bootstrap.servers": w.bootstrap])
            defer { c.close() }
            return try c.watermarks(topic: topic, partition: 0)
        }.value
    }

    func fileSink(_ file: String, topic: String, extra: [String: String] = [:]) -> [String: String] {
        ["connector.class": "FileStreamSink", "file": file, "topics": topic,
         "value.converter": "org.apache.kafka.connect.storage.StringConverter",
         "key.converter": "org.apache.kafka.connect.storage.StringConverter",
         // Small puts: a deliberately slow consumer.
         "consumer.override.max.poll.records": "500"].merging(extra) { $1 }
    }

    /// Ids of the rows the FileStream sink wrote (`Struct{id=N,payload=...}` per line).
    static func ids(in file: String) -> [Int] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let r = line.range(of: "id=") else { return nil }
            return Int(line[r.upperBound...].prefix { $0.isNumber })
        }
    }

    @Test func everyRowArrivesWhileTheSinkLagsFarBehind() async throws {
        let rows = 300_000
        let w = try await TestWorker(plugins: IT.plugins)
        let output = w.dir.file("out.txt")
        let (source, input, finished) = try spoolDir(w, topic: "guarded", partitions: 1)
        try await createTopic(w, "guarded", partitions: 1)
        // The sink starts first and is paused: the sources must wait for it instead of outrunning the broker.
        #expect(try await w.create("sink", fileSink(output, topic: "guarded")).status == 201)
        try await w.waitForState("sink", "RUNNING")
        #expect(try await w.put("/connectors/sink/pause").status == 202)
        try await w.waitForState("sink", "PAUSED")
        try IT.write(Self.csv(1...rows), to: input + "/big.csv")
        let started = Date()
        #expect(try await w.create("csv", source).status == 201)
        try await waitUntil(timeout: 60, "the guard holds the source back") {
            (await IT.metric(w.base, "sluice_source_retention_waits_total") ?? 0) >= 1
        }
        try await Task.sleep(for: .seconds(2))
        let written = await IT.metric(w.base, "sluice_source_records_written_total") ?? 0
        #expect(written > 0 && written < 50_000, "held at about half of 5 MiB per partition, not \(written) records")
        #expect(try await w.put("/connectors/sink/resume").status == 202)
        try await waitUntil(timeout: 150, "\(rows) rows put") {
            (await IT.metric(w.base, "sluice_sink_records_put_total") ?? 0) >= Double(rows)
        }
        try await waitUntil(timeout: 20, "\(rows) rows in the sink's file") { Self.ids(in: output).count >= rows }
        let ids = Self.ids(in: output)
        #expect(ids.count == rows)
        #expect(Set(ids) == Set(1...rows), "every row once")
        #expect(await IT.metric(w.base, "sluice_sink_records_lost_total") == 0)
        let wm = try await watermarks(w, "guarded")
        #expect(wm.high == Int64(rows))
        #expect(wm.low > 0, "the broker did drop old batches (\(wm.low)): the guard, not a small volume, saved the rows")
        try await waitUntil(timeout: 20, "big.csv finished") { IT.files(in: finished) == ["big.csv"] }
        print("EmbeddedRetentionTests: \(rows) rows through a paused-then-resumed sink in \(Int(Date().timeIntervalSince(started))) s; the broker dropped offsets below \(wm.low), all of them consumed first")
        await w.shutdown()
    }

    @Test(arguments: ["fail", "log"])
    func withoutTheGuardTheLossIsReportedExactly(policy: String) async throws {
        let w = try await TestWorker(extra: ["embedded.retention.guard.enable": "false", "task.restart.on.failure": "false"],
                                     plugins: IT.plugins)
        let output = w.dir.file("out.txt")
        let (source, input, _) = try spoolDir(w, topic: "unguarded", partitions: 1)
        try await createTopic(w, "unguarded", partitions: 1)
        // `fail` is the embedded default; `log` is set explicitly.
        let extra = policy == "log" ? ["consumer.override.offset.out.of.range.policy": "log"] : [:]
        #expect(try await w.create("sink", fileSink(output, topic: "unguarded", extra: extra)).status == 201)
        // A first file the sink consumes and commits, so the group has a position.
        try IT.write(Self.csv(1...100), to: input + "/a-small.csv")
        #expect(try await w.create("csv", source).status == 201)
        try await waitUntil(timeout: 60, "the first 100 rows") { Self.ids(in: output).count >= 100 }
        let committed = try await waitForCommitted(w, "sink", topic: "unguarded", atLeast: 100)
        #expect(try await w.put("/connectors/sink/pause").status == 202)
        try await w.waitForState("sink", "PAUSED")
        // ≥ 12 MB (compressed) into one partition while the sink is paused: the broker drops the oldest half or more.
        let rows = 150_000
        try IT.write(Self.csv(101...(100 + rows)), to: input + "/b-big.csv")
        try await waitUntil(timeout: 90, "all rows in Kafka") {
            (try? await watermarks(w, "unguarded").high) == Int64(100 + rows)
        }
        let wm = try await watermarks(w, "unguarded")
        #expect(wm.low > committed, "the broker dropped records the sink had not read")
        let expectedLost = wm.low - committed
        #expect(try await w.put("/connectors/sink/resume").status == 202)
        if policy == "fail" {
            try await waitUntil(timeout: 60, "the sink fails") {
                try await w.get("/connectors/sink/status").body?["tasks"]?.arrayValue?.first?["state"]?.stringValue == "FAILED"
            }
            let trace = try await w.get("/connectors/sink/status").body?["tasks"]?.arrayValue?.first?["trace"]?.stringValue ?? ""
            #expect(trace.contains("\(expectedLost) records of unguarded-0 (offsets \(committed)..<\(wm.low))"), "trace: \(trace)")
            #expect(trace.contains("embedded Kafka keeps only 5 MiB"))
            #expect(trace.contains("bootstrap.servers=none"))
            #expect(await IT.metric(w.base, "sluice_sink_records_lost_total") == Double(expectedLost))
            #expect(Self.ids(in: output).count == 100, "nothing after the gap was written")
        } else {
            try await waitUntil(timeout: 90, "the kept rows in the sink's file") { Self.ids(in: output).count >= 100 + Int(wm.high - wm.low) }
            #expect(await IT.metric(w.base, "sluice_sink_records_lost_total") == Double(expectedLost))
            let ids = Self.ids(in: output)
            #expect(ids.count + Int(expectedLost) == 100 + rows, "written + reported lost = produced")
            #expect(try await w.get("/connectors/sink/status").body?["tasks"]?.arrayValue?.first?["state"]?.stringValue == "RUNNING")
        }
        await w.shutdown()
    }

    /// The sink group's committed next-offset of partition 0, once it reached `atLeast` (KIP-875 offsets API).
    func waitForCommitted(_ w: TestWorker, _ sink: String, topic: String, atLeast: Int64) async throws -> Int64 {
        var value: Int64 = -1
        try await waitUntil(timeout: 30, "\(sink) committed \(atLeast)") {
            let offsets = try await w.get("/connectors/\(sink)/offsets").body?["offsets"]?.arrayValue ?? []
            for o in offsets where o["partition"]?["kafka_topic"]?.stringValue == topic {
                if let n = o["offset"]?["kafka_offset"]?.int64Value { value = n }
            }
            return value >= atLeast
        }
        return value
    }
}
