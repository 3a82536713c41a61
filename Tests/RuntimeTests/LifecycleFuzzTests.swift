import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// "No request sequence may crash a worker": randomized lifecycle calls over FileStream sources and sinks against one
/// real `sluice standalone` process (embedded Kafka), compared with `ConnectLifecycleModel` (Kafka Connect 3.9's
/// behaviour, confirmed against the reference). The worker runs as a child process so that a crash shows up as a
/// dead process and a failed test naming the seed, not as a dead test runner.
///
/// Replay a failure with `SLUICE_LIFECYCLE_SEED=<seed printed in the failure> swift test --filter LifecycleFuzzTests`.
@Suite(.serialized) struct LifecycleFuzzTests {
    /// The connectors the sequences play with: name → (config, tasks once running).
    static func connectors(_ dir: TemporaryDirectory) -> [(String, [String: String], Int)] {
        [
            ("src-a", ["connector.class": "FileStreamSource", "file": dir.file("in.txt"), "topic": "fuzz"], 1),
            ("src-b", ["connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector", "file": dir.file("in.txt"), "topic": "fuzz-b"], 1),
            ("sink-a", ["connector.class": "FileStreamSink", "file": dir.file("out-a.txt"), "topics": "fuzz", "tasks.max": "1"], 1),
            ("sink-b", ["connector.class": "org.apache.kafka.connect.file.FileStreamSinkConnector", "file": dir.file("out-b.txt"), "topics": "fuzz,fuzz-b", "tasks.max": "2"], 2),
        ]
    }

    @Test func randomLifecycleSequencesKeepTheWorkerUpAndMatchKafkaConnect() async throws {
        let seed = ProcessInfo.processInfo.environment["SLUICE_LIFECYCLE_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64.max)
        print("LifecycleFuzzTests seed: \(seed)  (replay: SLUICE_LIFECYCLE_SEED=\(seed))")
        var rng = SplitMix64(seed: seed)
        let w = try LifecycleWorker.start()
        defer { w.stop() }
        try (0..<200).map { "line-\($0)" }.joined(separator: "\n").write(toFile: w.dir.file("in.txt"), atomically: true, encoding: .utf8)
        let all = Self.connectors(w.dir)

        var model = ConnectLifecycleModel()
        var log: [String] = []
        let deadline = Date().addingTimeInterval(40)
        var steps = 0
        while steps < 120 && Date() < deadline {
            steps += 1
            let (name, config, tasks) = all[Int.random(in: 0..<all.count, using: &rng)]
            // Creations are drawn more often so that most calls hit existing connectors.
            let op = Bool.random(using: &rng) && model.connectors[name] == nil
                ? .create : ConnectLifecycleModel.Op.allCases.randomElement(using: &rng)!
            let expected = model.apply(op, name, taskCount: tasks)
            let (status, body) = try await w.call(op, name, config)
            log.append("\(op.rawValue) \(name) → \(status)")
            let context = "seed \(seed), step \(steps): \(log.suffix(12).joined(separator: "; "))"
            #expect(w.isAlive, "the worker died: \(context)\n\(w.logTail())")
            guard w.isAlive else { return }
            #expect(status < 500 || expected == 500, "5xx: \(body?.compactString ?? "") — \(context)")
            #expect(status == expected, "expected \(expected): \(body?.compactString ?? "") — \(context)")
            if status == 202, op == .restartWithTasks || op == .restartOnlyFailed {
                #expect(body?["connector"]?["state"]?.stringValue != nil, "restart returns a status: \(context)")
            }
            // Every status the worker shows in between is a well-formed Connect status.
            if let s = try? await w.get("/connectors/\(name)/status"), s.0 == 200 {
                #expect(Self.isValidStatus(s.1), "malformed status \(s.1?.compactString ?? "") — \(context)")
            }
        }
        print("LifecycleFuzzTests: \(steps) steps with seed \(seed)")

        // Settled states equal the model's.
        let names = try await w.get("/connectors")
        #expect(Set(names.1?.arrayValue?.compactMap(\.stringValue) ?? []) == Set(model.connectors.keys), "seed \(seed)")
        for (name, _, _) in all {
            guard let want = model.expectedStatus(name) else {
                #expect(try await w.get("/connectors/\(name)/status").0 == 404, "\(name) was deleted; seed \(seed)")
                continue
            }
            var last = ""
            let settled: Bool = await (try? waitUntil(timeout: 20, "\(name) settles") {
                guard let (code, body) = try? await w.get("/connectors/\(name)/status"), code == 200, let body else { return false }
                last = body.compactString
                let tasks = body["tasks"]?.arrayValue?.compactMap { $0["state"]?.stringValue } ?? []
                return body["connector"]?["state"]?.stringValue == want.connector && tasks == want.tasks
            }) != nil
            #expect(settled, "\(name): want \(want), got \(last); seed \(seed); \(log.suffix(20).joined(separator: "; "))")
        }
        #expect(w.isAlive, "seed \(seed)")
    }

    /// The exact sequence that killed workers (issue #13): a sink stopped, then paused, then deleted.
    @Test func stopPauseDeleteOfASinkKeepsTheWorkerUp() async throws {
        let w = try LifecycleWorker.start()
        defer { w.stop() }
        let sink = ["connector.class": "FileStreamSink", "file": w.dir.file("out.txt"), "topics": "crash"]
        #expect(try await w.call(.create, "sink", sink).0 == 201)
        try await w.waitFor("sink", "RUNNING", tasks: ["RUNNING"])
        #expect(try await w.call(.stop, "sink", sink).0 == 204)
        try await w.waitFor("sink", "STOPPED", tasks: [])
        #expect(try await w.call(.pause, "sink", sink).0 == 202)
        // Like Kafka Connect: paused, and still no task (nothing to pause).
        try await Task.sleep(for: .seconds(2))
        try await w.waitFor("sink", "PAUSED", tasks: [])
        #expect(try await w.call(.delete, "sink", sink).0 == 204)
        try await Task.sleep(for: .seconds(1))
        #expect(w.isAlive, "\(w.logTail())")
        #expect(try await w.get("/connectors").1?.arrayValue == [])
        // The worker still runs connectors.
        #expect(try await w.call(.create, "sink", sink).0 == 201)
        try await w.waitFor("sink", "RUNNING", tasks: ["RUNNING"])
    }

    /// A sink task paused long enough for its group join to complete, then deleted. A paused task used to stop
    /// polling, so the join's assignment was only delivered inside the consumer's close (the rebalance callback of
    /// the reported crash); it now keeps polling with its partitions paused, as Kafka Connect's does.
    @Test func deleteOfAPausedSinkWhoseGroupJoinCompletedKeepsTheWorkerUp() async throws {
        let w = try LifecycleWorker.start()
        defer { w.stop() }
        let sink = ["connector.class": "FileStreamSink", "file": w.dir.file("out.txt"), "topics": "crash"]
        for round in 0..<3 {
            let r = try await w.post("/connectors", JSONValue.object(["name": .string("sink"), "config": .stringMap(sink), "initial_state": .string("PAUSED")]).compactString)
            #expect(r.0 == 201)
            #expect(try await w.call(.resume, "sink", sink).0 == 202)
            #expect(try await w.call(.pause, "sink", sink).0 == 202)
            try await w.waitFor("sink", "PAUSED", tasks: ["PAUSED"])
            try await Task.sleep(for: .seconds(4))
            #expect(try await w.call(.delete, "sink", sink).0 == 204)
            try await Task.sleep(for: .milliseconds(500))
            #expect(w.isAlive, "round \(round): \(w.logTail())")
            guard w.isAlive else { return }
        }
    }

    /// Numbers from the URL or the body that used to index arrays or convert to Int32 unchecked: each killed the
    /// worker (`POST /connectors/x/tasks/-1/restart` was an index out of range on the herder's queue).
    @Test func outOfRangeTaskAndPartitionNumbersAreClientErrors() async throws {
        let w = try LifecycleWorker.start()
        defer { w.stop() }
        let sink = ["connector.class": "FileStreamSink", "file": w.dir.file("out.txt"), "topics": "crash"]
        #expect(try await w.call(.create, "sink", sink).0 == 201)
        try await w.waitFor("sink", "RUNNING", tasks: ["RUNNING"])
        for task in ["-1", "1", "99999999999", "x"] {
            #expect(try await w.request("POST", "/connectors/sink/tasks/\(task)/restart").0 == 404, "task \(task)")
            #expect(try await w.get("/connectors/sink/tasks/\(task)/status").0 == 404, "task \(task)")
        }
        #expect(try await w.call(.stop, "sink", sink).0 == 204)
        let huge = #"{"offsets":[{"partition":{"kafka_topic":"crash","kafka_partition":99999999999},"offset":{"kafka_offset":1}}]}"#
        #expect(try await w.request("PATCH", "/connectors/sink/offsets", huge).0 == 400)
        #expect(w.isAlive, "\(w.logTail())")
        #expect(try await w.call(.resume, "sink", sink).0 == 202)
        try await w.waitFor("sink", "RUNNING", tasks: ["RUNNING"])
    }

    static let states: Set<String> = ["UNASSIGNED", "RUNNING", "PAUSED", "FAILED", "RESTARTING", "STOPPED"]

    static func isValidStatus(_ body: JSONValue?) -> Bool {
        guard let body, body["name"]?.stringValue != nil, let c = body["connector"]?["state"]?.stringValue,
              states.contains(c), let tasks = body["tasks"]?.arrayValue else { return false }
        return tasks.allSatisfy { t in t["id"]?.int64Value != nil && t["state"]?.stringValue.map(states.contains) == true }
    }
}

/// A `sluice standalone` child process with the embedded broker, driven over REST.
final class LifecycleWorker: @unchecked Sendable {
    let dir: TemporaryDirectory
    let process: Process
    let base: String

    private init(dir: TemporaryDirectory, process: Process, base: String) {
        self.dir = dir
        self.process = process
        self.base = base
    }

    static func start() throws -> LifecycleWorker {
        let dir = try TemporaryDirectory(prefix: "sluice-lifecycle")
        let port = TestSupport.freePort()
        try """
        bootstrap.servers=embedded
        key.converter=org.apache.kafka.connect.storage.StringConverter
        value.converter=org.apache.kafka.connect.storage.StringConverter
        offset.storage.file.filename=\(dir.file("connect.offsets"))
        offset.flush.interval.ms=500
        task.shutdown.graceful.timeout.ms=3000
        consumer.session.timeout.ms=6000
        consumer.heartbeat.interval.ms=1000
        listeners=http://127.0.0.1:\(port)
        """.write(toFile: dir.file("worker.properties"), atomically: true, encoding: .utf8)
        let p = try ProcessHarness.startWorker([dir.file("worker.properties")], log: dir.file("worker.log"))
        let w = LifecycleWorker(dir: dir, process: p, base: "http://127.0.0.1:\(port)")
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let ok = try? Self.blockingGet(w.base + "/health"), ok { return w }
            guard p.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        w.stop()
        throw TimeoutError(description: "sluice standalone did not come up: \(w.logTail())")
    }

    var isAlive: Bool { process.isRunning }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    func logTail() -> String {
        let text = (try? String(contentsOfFile: dir.file("worker.log"), encoding: .utf8)) ?? ""
        return String(text.suffix(3000))
    }

    func request(_ method: String, _ path: String, _ body: String? = nil) async throws -> (Int, JSONValue?) {
        var req = URLRequest(url: URL(string: base + path)!)
        req.httpMethod = method
        req.timeoutInterval = 60
        if let body {
            req.httpBody = Data(body.utf8)
            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, resp) = try await URLSession.shared.data(for: req)
        let code = (resp as? HTTPURLResponse)?.statusCode ?? -1
        return (code, data.isEmpty ? nil : try? JSONReader.parse([UInt8](data)))
    }

    func get(_ path: String) async throws -> (Int, JSONValue?) { try await request("GET", path) }
    func post(_ path: String, _ body: String) async throws -> (Int, JSONValue?) { try await request("POST", path, body) }

    /// Issues the REST call for a model operation.
    func call(_ op: ConnectLifecycleModel.Op, _ name: String, _ config: [String: String]) async throws -> (Int, JSONValue?) {
        let c = "/connectors/\(name)"
        switch op {
        case .create: return try await post("/connectors", JSONValue.object(["name": .string(name), "config": .stringMap(config)]).compactString)
        case .pause: return try await request("PUT", c + "/pause")
        case .resume: return try await request("PUT", c + "/resume")
        case .stop: return try await request("PUT", c + "/stop")
        case .restart: return try await request("POST", c + "/restart")
        case .restartWithTasks: return try await request("POST", c + "/restart?includeTasks=true")
        case .restartOnlyFailed: return try await request("POST", c + "/restart?includeTasks=true&onlyFailed=true")
        case .restartTask: return try await request("POST", c + "/tasks/0/restart")
        case .delete: return try await request("DELETE", c)
        case .getOffsets: return try await get(c + "/offsets")
        case .deleteOffsets: return try await request("DELETE", c + "/offsets")
        }
    }

    /// Waits until the connector shows `state` and exactly these task states.
    func waitFor(_ name: String, _ state: String, tasks: [String], timeout: Double = 20) async throws {
        try await waitUntil(timeout: timeout, "\(name) \(state) with tasks \(tasks)") {
            guard let (code, body) = try? await self.get("/connectors/\(name)/status"), code == 200, let body else { return false }
            let ts = body["tasks"]?.arrayValue?.compactMap { $0["state"]?.stringValue } ?? []
            return body["connector"]?["state"]?.stringValue == state && ts == tasks
        }
    }

    private static func blockingGet(_ url: String) throws -> Bool {
        let r = try TestSupport.runProcess("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", url])
        return r.output.trimmingCharacters(in: .whitespacesAndNewlines) == "200"
    }
}

