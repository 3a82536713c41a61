import Foundation
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// `kill -9` of a standalone worker in the middle of a FileStream pipeline loses nothing.
@Suite struct CrashTests {
    @Test func killNineMidPipelineLosesNothing() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-crash")
        let (broker, bootstrap) = try ProcessHarness.startBroker(topics: ["crash:1"])
        defer { broker.terminate(); broker.waitUntilExit() }
        let total = 100_000
        let input = dir.file("in.txt"), output = dir.file("out.txt")
        let lines = (0..<total).map { String(format: "record-%06d", $0) }
        _ = FileManager.default.createFile(atPath: input, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        let port = TestSupport.freePort()
        try """
        bootstrap.servers=\(bootstrap)
        key.converter=org.apache.kafka.connect.storage.StringConverter
        value.converter=org.apache.kafka.connect.storage.StringConverter
        offset.storage.file.filename=\(dir.file("connect.offsets"))
        offset.flush.interval.ms=200
        # The killed worker's consumer stays in the group until its session times out (45 s by default).
        consumer.session.timeout.ms=6000
        consumer.heartbeat.interval.ms=1000
        listeners=http://127.0.0.1:\(port)
        """.write(toFile: dir.file("worker.properties"), atomically: true, encoding: .utf8)
        try """
        name=src
        connector.class=FileStreamSource
        file=\(input)
        topic=crash
        batch.size=200
        """.write(toFile: dir.file("src.properties"), atomically: true, encoding: .utf8)
        try """
        name=sink
        connector.class=FileStreamSink
        file=\(output)
        topics=crash
        """.write(toFile: dir.file("sink.properties"), atomically: true, encoding: .utf8)
        let args = [dir.file("worker.properties"), dir.file("src.properties"), dir.file("sink.properties")]

        var worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        func sinkLines() -> [Substring] {
            ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n")
        }
        try await waitUntil(timeout: 60, "some records in the sink") { sinkLines().count > 1_000 }
        ProcessHarness.kill9(worker)
        let atKill = sinkLines().count
        #expect(atKill < total, "the worker must be killed mid-pipeline")

        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        defer { worker.terminate(); worker.waitUntilExit() }
        try await waitUntil(timeout: 90, "every record in the sink") { Set(sinkLines()).count == total }

        // At least once, in order: the first occurrences of the lines are exactly the input order.
        var seen = Set<Substring>()
        var firstOccurrences: [Substring] = []
        for l in sinkLines() where seen.insert(l).inserted { firstOccurrences.append(l) }
        #expect(firstOccurrences.map(String.init) == lines)
    }
}
