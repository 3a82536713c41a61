import Foundation
import Kafka
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// FileStream source → embedded Kafka → FileStream sink, checked at both ends.
@Suite struct PipelineTests {
    @Test func fileToTopicToFile() async throws {
        // Short group timeouts: librdkafka's mock broker keeps a departed member's group busy until they expire,
        // and refuses offset changes from outside the group until then (a real broker empties the group at once).
        let w = try await TestWorker(extra: ["consumer.session.timeout.ms": "6000", "consumer.max.poll.interval.ms": "6000"])
        let input = w.dir.file("in.txt"), output = w.dir.file("out.txt")
        let lines = (1...50).map { "line \($0) \"quoted\" é" }
        _ = FileManager.default.createFile(atPath: input, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(try await w.create("src", ["connector.class": "FileStreamSource", "file": input, "topic": "pipe", "topic.creation.default.partitions": "1", "topic.creation.default.replication.factor": "1"]).status == 201)
        // The source creates `pipe` with 1 partition before the sink subscribes (the embedded broker would make 4).
        try await w.waitForActiveTopic("src", "pipe")
        #expect(try await w.create("sink", ["connector.class": "FileStreamSink", "file": output, "topics": "pipe"]).status == 201)

        // The topic holds JsonConverter envelopes exactly as Kafka Connect writes them.
        let bootstrap = w.bootstrap
        let messages = try await Task.detached { try TopicReader.read(bootstrapServers: bootstrap, topic: "pipe", count: 50) }.value
        #expect(messages.count == 50)
        let first = messages.first { String(decoding: $0.value ?? [], as: UTF8.self).contains("line 1 ") }
        #expect(first.map { String(decoding: $0.value!, as: UTF8.self) } == #"{"schema":{"type":"string","optional":false},"payload":"line 1 \"quoted\" é"}"#)
        // A null key with no schema is a null Kafka key, as JsonConverter writes it.
        #expect(first != nil && first!.key == nil)

        try await waitUntil(timeout: 20, "sink file complete") {
            (try? String(contentsOfFile: output, encoding: .utf8))?.split(separator: "\n").count == 50
        }
        let written = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(written == lines)

        // More lines appended later flow through too.
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: input))
        h.seekToEndOfFile()
        h.write(Data("late\n".utf8))
        try h.close()
        try await waitUntil(timeout: 20, "late line") {
            (try? String(contentsOfFile: output, encoding: .utf8))?.hasSuffix("late\n") == true
        }
        // Sink offsets are committed for the consumer group connect-sink.
        try await waitUntil(timeout: 10, "sink offsets") {
            let o = try await w.get("/connectors/sink/offsets").body?["offsets"]?.arrayValue ?? []
            return o.reduce(0) { $0 + ($1["offset"]?["kafka_offset"]?.int64Value ?? 0) } == 51
        }
        let sinkOffsets = try await w.get("/connectors/sink/offsets").body?["offsets"]?.arrayValue?.first
        #expect(sinkOffsets?["partition"]?["kafka_topic"]?.stringValue == "pipe")

        // KIP-558 active topics.
        #expect(try await w.get("/connectors/src/topics").body == .object(["src": .object(["topics": .array([.string("pipe")])])]))
        #expect(try await w.get("/connectors/sink/topics").body?["sink"]?["topics"] == .array([.string("pipe")]))
        #expect(try await w.put("/connectors/src/topics/reset").status == 202)
        #expect(try await w.get("/connectors/src/topics").body?["src"]?["topics"] == .array([]))

        // KIP-875 on a sink: stop, move the group's offset back, reset it, resume: the sink reads again.
        #expect(try await w.put("/connectors/sink/stop").status == 204)
        let patched = try await w.patch("/connectors/sink/offsets", #"{"offsets":[{"partition":{"kafka_topic":"pipe","kafka_partition":0},"offset":{"kafka_offset":49}}]}"#)
        #expect(patched.status == 200)
        #expect(try await w.get("/connectors/sink/offsets").body?["offsets"]?[0]?["offset"]?["kafka_offset"]?.int64Value == 49)
        #expect(try await w.delete("/connectors/sink/offsets").status == 200)
        #expect(try await w.get("/connectors/sink/offsets").body?["offsets"]?[0]?["offset"]?["kafka_offset"]?.int64Value == 0)
        #expect(try await w.put("/connectors/sink/resume").status == 202)
        try await waitUntil(timeout: 30, "sink re-read from the beginning") {
            (try? String(contentsOfFile: output, encoding: .utf8))?.split(separator: "\n").count == 102
        }
        await w.shutdown()
    }

    @Test func restartResumesFromCommittedOffsets() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-resume")
        let input = dir.file("in.txt"), output = dir.file("out.txt")
        _ = FileManager.default.createFile(atPath: input, contents: Data("one\ntwo\n".utf8))
        var w = try await TestWorker(dir: dir)
        _ = try await w.create("src", ["connector.class": "FileStreamSource", "file": input, "topic": "resume",
                                       "topic.creation.default.partitions": "1", "topic.creation.default.replication.factor": "1"])
        _ = try await w.create("sink", ["connector.class": "FileStreamSink", "file": output, "topics": "resume"])
        try await waitUntil(timeout: 20) { (try? String(contentsOfFile: output, encoding: .utf8)) == "one\ntwo\n" }
        await w.shutdown()
        // Configs created over REST and offsets survive the restart (same directory). The embedded Kafka is new,
        // so only lines after the committed source offset may appear.
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: input))
        h.seekToEndOfFile()
        h.write(Data("three\n".utf8))
        try h.close()
        w = try await TestWorker(dir: dir)
        try await w.waitForState("src", "RUNNING")
        try await waitUntil(timeout: 20) { (try? String(contentsOfFile: output, encoding: .utf8)) == "one\ntwo\nthree\n" }
        await w.shutdown()
    }
}
