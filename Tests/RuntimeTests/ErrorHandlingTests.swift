import Foundation
import Kafka
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// errors.tolerance, the dead letter queue and transform chains, end to end through a real worker.
@Suite struct ErrorHandlingTests {
    /// Writes `lines` into a topic as raw strings through a FileStream source with StringConverter.
    func feed(_ w: TestWorker, topic: String, lines: [String]) async throws {
        let input = w.dir.file("\(topic).txt")
        _ = FileManager.default.createFile(atPath: input, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        let r = try await w.create("feed-\(topic)", [
            "connector.class": "FileStreamSource", "file": input, "topic": topic,
            "value.converter": "org.apache.kafka.connect.storage.StringConverter",
            "topic.creation.default.partitions": "1", "topic.creation.default.replication.factor": "1",
        ])
        #expect(r.status == 201)
        // The source must create the topic (1 partition) before a sink subscribes: otherwise the embedded broker may
        // auto-create it first with its default of 4 partitions and the records' partitions/offsets differ.
        try await w.waitForActiveTopic("feed-\(topic)", topic)
    }

    func read(_ w: TestWorker, _ topic: String, _ count: Int) async throws -> [KafkaMessage] {
        let bootstrap = w.bootstrap
        return try await withCheckedThrowingContinuation { c in
            Thread.detachNewThread {
                c.resume(with: Result { try TopicReader.read(bootstrapServers: bootstrap, topic: topic, count: count, timeoutMs: 20_000) })
            }
        }
    }

    @Test func poisonRecordsGoToTheDeadLetterQueue() async throws {
        let w = try await TestWorker()
        try await feed(w, topic: "dlqin", lines: [#"{"a":1}"#, "not json", #"{"a":2}"#])
        let output = w.dir.file("out.txt")
        let r = try await w.create("sink", [
            "connector.class": "FileStreamSink", "file": output, "topics": "dlqin",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
            "errors.tolerance": "all", "errors.log.enable": "true",
            "errors.deadletterqueue.topic.name": "dlq", "errors.deadletterqueue.context.headers.enable": "true",
        ])
        #expect(r.status == 201)
        let dlq = try await read(w, "dlq", 1)
        #expect(dlq.count == 1)
        let m = try #require(dlq.first)
        #expect(m.value.map { String(decoding: $0, as: UTF8.self) } == "not json")
        func header(_ k: String) -> String? {
            m.headers.first { $0.0 == "__connect.errors.\(k)" }?.1.map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(header("topic") == "dlqin")
        #expect(header("partition") == "0")
        #expect(header("offset") == "1")
        #expect(header("stage") == "VALUE_CONVERTER")
        #expect(header("connector.name") == "sink")
        #expect(header("task.id") == "0")
        #expect(header("exception.message")?.isEmpty == false)
        // The good records still reach the target.
        try await waitUntil(timeout: 20, "two good records") {
            ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").count == 2
        }
        let metrics = try await w.get("/metrics").raw
        #expect(metrics.contains("sluice_dlq_records_total{connector=\"sink\",task=\"0\"} 1"))
        #expect(metrics.contains("sluice_records_skipped_total{connector=\"sink\",task=\"0\"} 1"))
        try await w.waitForState("sink", "RUNNING")
        await w.shutdown()
    }

    @Test func toleranceNoneFailsTheTaskNamingTheRecord() async throws {
        let w = try await TestWorker(extra: ["task.restart.on.failure": "false"])
        try await feed(w, topic: "strict", lines: [#"{"a":1}"#, "not json"])
        _ = try await w.create("strict-sink", [
            "connector.class": "FileStreamSink", "file": w.dir.file("o.txt"), "topics": "strict",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable": "false",
        ])
        try await waitUntil(timeout: 30, "FAILED") {
            try await w.get("/connectors/strict-sink/tasks/0/status").body?["state"]?.stringValue == "FAILED"
        }
        let trace = try await w.get("/connectors/strict-sink/tasks/0/status").body?["trace"]?.stringValue ?? ""
        #expect(trace.contains("topic=strict"))
        #expect(trace.contains("offset=1"))
        #expect(trace.contains("VALUE_CONVERTER"))
        await w.shutdown()
    }

    @Test func transformChainWithPredicate() async throws {
        let w = try await TestWorker()
        let input = w.dir.file("in.txt")
        _ = FileManager.default.createFile(atPath: input, contents: Data("alpha\nbeta\n".utf8))
        let r = try await w.create("tx", [
            "connector.class": "FileStreamSource", "file": input, "topic": "raw",
            "topic.creation.default.partitions": "1", "topic.creation.default.replication.factor": "1",
            "transforms": "hoist,insert,mask,route",
            "transforms.hoist.type": "org.apache.kafka.connect.transforms.HoistField$Value",
            "transforms.hoist.field": "line",
            "transforms.insert.type": "org.apache.kafka.connect.transforms.InsertField$Value",
            "transforms.insert.static.field": "secret", "transforms.insert.static.value": "s3cr3t",
            "transforms.mask.type": "org.apache.kafka.connect.transforms.MaskField$Value",
            "transforms.mask.fields": "secret",
            "transforms.mask.predicate": "isTombstone", "transforms.mask.negate": "true",
            "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
            "transforms.route.regex": "raw", "transforms.route.replacement": "routed",
            "predicates": "isTombstone",
            "predicates.isTombstone.type": "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone",
        ])
        #expect(r.status == 201)
        let msgs = try await read(w, "routed", 2)
        #expect(msgs.count == 2)
        let text = msgs.map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(text.allSatisfy { $0.contains(#""payload":{"line":"#) && $0.contains(#""secret":"""#) && !$0.contains("s3cr3t") })
        #expect(text.contains { $0.contains(#""line":"alpha""#) })
        // A bad transform config is a 400 naming the setting and the value, in Kafka's words.
        let bad = try await w.create("badtx", [
            "connector.class": "FileStreamSource", "file": input, "topic": "raw",
            "transforms": "route", "transforms.route.type": "org.apache.kafka.connect.transforms.RegexRouter",
            "transforms.route.regex": "(unclosed", "transforms.route.replacement": "x",
        ])
        #expect(bad.status == 400)
        #expect(bad.body?["message"]?.stringValue?.contains("Invalid value (unclosed for configuration regex") == true)
        await w.shutdown()
    }

    /// Sluice goes beyond Kafka Connect: a source record that fails a transform is parked in the DLQ too.
    @Test func sourceRecordsThatFailATransformGoToTheDeadLetterQueue() async throws {
        let w = try await TestWorker()
        let input = w.dir.file("numbers.txt")
        _ = FileManager.default.createFile(atPath: input, contents: Data("1\nnot a number\n3\n".utf8))
        let r = try await w.create("numbers", [
            "connector.class": "FileStreamSource", "file": input, "topic": "numbers",
            "topic.creation.default.partitions": "1", "topic.creation.default.replication.factor": "1",
            "value.converter": "org.apache.kafka.connect.storage.StringConverter",
            "transforms": "toInt", "transforms.toInt.type": "org.apache.kafka.connect.transforms.Cast$Value",
            "transforms.toInt.spec": "int32",
            "errors.tolerance": "all", "errors.deadletterqueue.topic.name": "numbers-dlq",
            "errors.deadletterqueue.context.headers.enable": "true",
        ])
        #expect(r.status == 201, "\(r.raw)")
        let good = try await read(w, "numbers", 2)
        #expect(good.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["1", "3"])
        let dlq = try await read(w, "numbers-dlq", 1)
        #expect(dlq.count == 1)
        #expect(dlq.first.map { String(decoding: $0.value ?? [], as: UTF8.self) } == "not a number")
        #expect(dlq.first?.headers.first { $0.0 == "__connect.errors.stage" }?.1.map { String(decoding: $0, as: UTF8.self) } == "TRANSFORMATION")
        // The bad line's offset is committed with the rest: a restart does not retry it forever.
        try await waitUntil(timeout: 20, "offset past every line") {
            let o = try await w.get("/connectors/numbers/offsets")
            return o.body?["offsets"]?[0]?["offset"]?["position"]?.int64Value == 17
        }
        await w.shutdown()
    }
}
