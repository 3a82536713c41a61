import Foundation
import Runtime
import Testing
import TestSupport
import WorkerTestSupport

/// A worker whose graceful shutdown is stuck (here: its broker stopped answering) exits on a second SIGTERM at once,
/// and says so; the first SIGTERM alone would wait out `task.shutdown.graceful.timeout.ms`.
@Suite struct ShutdownDeadlineTests {
    @Test func aSecondSignalEndsAStuckShutdownAtOnce() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-shutdown")
        let (broker, bootstrap) = try ProcessHarness.startBroker(topics: ["lines:1"])
        defer {
            kill(broker.processIdentifier, SIGCONT)
            broker.terminate()
            broker.waitUntilExit()
        }
        let input = dir.file("in.txt")
        _ = FileManager.default.createFile(atPath: input, contents: Data((0..<100_000).map { "line-\($0)\n" }.joined().utf8))
        try """
        bootstrap.servers=\(bootstrap)
        key.converter=org.apache.kafka.connect.storage.StringConverter
        value.converter=org.apache.kafka.connect.storage.StringConverter
        offset.storage.file.filename=\(dir.file("connect.offsets"))
        listeners=http://127.0.0.1:\(TestSupport.freePort())
        task.shutdown.graceful.timeout.ms=30000
        """.write(toFile: dir.file("worker.properties"), atomically: true, encoding: .utf8)
        try "name=src\nconnector.class=FileStreamSource\nfile=\(input)\ntopic=lines\n"
            .write(toFile: dir.file("src.properties"), atomically: true, encoding: .utf8)
        try "name=sink\nconnector.class=FileStreamSink\nfile=\(dir.file("out.txt"))\ntopics=lines\n"
            .write(toFile: dir.file("sink.properties"), atomically: true, encoding: .utf8)
        let log = dir.file("worker.log")
        let worker = try ProcessHarness.startWorker(
            [dir.file("worker.properties"), dir.file("src.properties"), dir.file("sink.properties")], log: log)
        defer { if worker.isRunning { ProcessHarness.kill9(worker) } }
        func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        // The sink's consumer must be in its group (a consumer that never joined closes without the broker).
        try await waitUntil(timeout: 60, "the sink has its partition and wrote lines") {
            logText().contains("Sink task sink-0 was assigned")
                && ((try? FileManager.default.attributesOfItem(atPath: dir.file("out.txt"))[.size] as? Int) ?? 0) > 0
        }

        kill(broker.processIdentifier, SIGSTOP)  // the tasks' Kafka clients now wait on a broker that never answers
        worker.terminate()
        try await Task.sleep(for: .seconds(2))
        #expect(worker.isRunning, "the shutdown should be waiting for the stopped broker's clients")
        let second = Date()
        worker.terminate()
        try await waitUntil(timeout: 10, "the worker exited after the second SIGTERM") { !worker.isRunning }
        #expect(Date().timeIntervalSince(second) < 10)
        #expect(worker.terminationStatus == 1)
        #expect(logText().contains("SIGTERM again during shutdown: exiting now"))
    }

    @Test func theLimitLeavesTheTasksTheirGracefulTimeAndAMinuteMore() {
        #expect(ShutdownDeadline.limit(taskShutdownTimeoutMs: 5000) == .seconds(65))
        #expect(ShutdownDeadline.limit(taskShutdownTimeoutMs: 0) == .seconds(60))
    }
}
