import Foundation
import Plugins
import Synchronization
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// A source connector whose tasks fail their first `failures` polls (counted across task restarts).
final class FlakySourceConnector: SourceConnector, @unchecked Sendable {
    static let failuresLeft = Mutex<[String: Int]>([:])
    var props: [String: String] = [:]
    var configDef: ConfigDef { ConfigDef([ConfigKey("failures", .int, default: .value("1"), doc: "polls that throw")]) }
    var version: String { "test" }
    func start(_ props: [String: String]) throws {
        self.props = props
        let n = Int(props["failures"] ?? "1") ?? 1
        FlakySourceConnector.failuresLeft.withLock { $0[props["name"]!] = n }
    }
    func taskConfigs(maxTasks: Int) throws -> [[String: String]] { [props] }
    func stop() {}
    func makeTask() -> any SourceTask { FlakySourceTask() }
}

final class FlakySourceTask: SourceTask, @unchecked Sendable {
    var name = ""
    func initialize(context: any SourceTaskContext) {}
    func start(_ props: [String: String]) throws { name = props["name"]! }
    func poll() throws -> [SourceRecord] {
        let fail = FlakySourceConnector.failuresLeft.withLock { s -> Bool in
            guard let n = s[name], n > 0 else { return false }
            s[name] = n - 1
            return true
        }
        if fail { throw ConnectError(.connect, "boom: the flaky task failed on purpose") }
        Thread.sleep(forTimeInterval: 0.05)
        return []
    }
    func stop() {}
}

@Suite struct FailureTests {
    static let plugins = BuiltinPlugins.all + [
        PluginDescriptor(className: "test.FlakySourceConnector", version: "test", configDef: ConfigDef(), factory: .source { FlakySourceConnector() })
    ]

    @Test func failedTaskIsRestartedAutomatically() async throws {
        let w = try await TestWorker(plugins: FailureTests.plugins)
        _ = try await w.create("flaky", ["connector.class": "test.FlakySourceConnector", "failures": "2", "topic": "x"])
        // It fails twice and comes back by itself after back-off (200 ms, then 400 ms).
        try await waitUntil(timeout: 20, "both failures happened") {
            FlakySourceConnector.failuresLeft.withLock { $0["flaky"] } == 0
        }
        try await w.waitForState("flaky", "RUNNING", timeout: 20)
        try await Task.sleep(for: .milliseconds(1500))
        try await w.waitForState("flaky", "RUNNING", timeout: 5)
        let metrics = try await w.get("/metrics").raw
        #expect(metrics.contains("sluice_task_status{connector=\"flaky\",task=\"0\",state=\"RUNNING\"} 1"))
        await w.shutdown()
    }

    @Test func failedTaskShowsTraceAndRestartsOnRequest() async throws {
        let w = try await TestWorker(extra: ["task.restart.on.failure": "false"], plugins: FailureTests.plugins)
        _ = try await w.create("flaky2", ["connector.class": "test.FlakySourceConnector", "failures": "1", "topic": "x"])
        try await waitUntil(timeout: 20, "FAILED") {
            try await w.get("/connectors/flaky2/tasks/0/status").body?["state"]?.stringValue == "FAILED"
        }
        let status = try await w.get("/connectors/flaky2/status").body
        #expect(status?["connector"]?["state"]?.stringValue == "RUNNING")
        #expect(status?["tasks"]?[0]?["trace"]?.stringValue?.contains("boom: the flaky task failed on purpose") == true)
        let restart = try await w.post("/connectors/flaky2/restart?includeTasks=true&onlyFailed=true")
        #expect(restart.status == 202)
        #expect(restart.body?["tasks"]?.arrayValue?.first?["state"]?.stringValue == "RESTARTING")
        #expect(restart.body?["connector"]?["state"]?.stringValue == "RUNNING")
        try await w.waitForState("flaky2", "RUNNING")
        await w.shutdown()
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? {
        guard let a = arrayValue, index < a.count else { return nil }
        return a[index]
    }
}
