import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// Several `sluice distributed` processes against one `sluice kafka-embedded`: a Connect cluster coordinated by Kafka.
@Suite(.serialized) struct DistributedTests {
    struct Cluster {
        let dir: TemporaryDirectory
        let broker: Process
        let bootstrap: String
        var workers: [Int: Process] = [:]
        var ports: [Int: Int] = [:]

        init(topics: [String] = []) throws {
            dir = try TemporaryDirectory(prefix: "sluice-dist")
            (broker, bootstrap) = try ProcessHarness.startBroker(topics: topics)
        }

        mutating func start(_ i: Int) throws {
            let port = ports[i] ?? TestSupport.freePort()
            ports[i] = port
            let props = dir.file("w\(i).properties")
            try ProcessHarness.distributedWorkerProperties(
                bootstrap: bootstrap, group: "sluice-test-cluster", port: port, sessionTimeoutMs: 6000,
                extra: ["offset.flush.interval.ms=500"]
            ).write(toFile: props, atomically: true, encoding: .utf8)
            workers[i] = try ProcessHarness.startDistributedWorker(props, log: dir.file("w\(i).log"))
        }

        func url(_ i: Int) -> String { "http://127.0.0.1:\(ports[i]!)" }

        func stopAll() {
            for p in workers.values where p.isRunning { p.terminate(); p.waitUntilExit() }
            broker.terminate()
            broker.waitUntilExit()
        }
    }

    static func call(_ method: String, _ url: String, _ body: String? = nil) async throws -> (Int, JSONValue?) {
        var req = URLRequest(url: URL(string: url)!)
        req.httpMethod = method
        req.timeoutInterval = 60
        if let body {
            req.httpBody = Data(body.utf8)
            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, resp) = try await URLSession.shared.data(for: req)
        return ((resp as! HTTPURLResponse).statusCode, data.isEmpty ? nil : try? JSONReader.parse([UInt8](data)))
    }

    /// worker_id → number of RUNNING tasks, or nil if the status is not complete yet.
    static func spread(_ c: Cluster, via i: Int, tasks: Int) async -> [String: Int]? {
        guard let (_, body) = try? await call("GET", "\(c.url(i))/connectors/sink/status"),
              let ts = body?["tasks"]?.arrayValue, ts.count == tasks,
              ts.allSatisfy({ $0["state"]?.stringValue == "RUNNING" })
        else { return nil }
        var out: [String: Int] = [:]
        for t in ts { out[t["worker_id"]?.stringValue ?? "", default: 0] += 1 }
        return out
    }

    @Test func clusterSpreadsTasksAndSurvivesAKill() async throws {
        var c = try Cluster()
        defer { c.stopAll() }
        for i in 1...3 { try c.start(i) }
        for i in 1...3 {
            try await waitUntil(timeout: 60, "worker \(i) healthy") { (try? await Self.call("GET", "\(c.url(i))/health"))?.0 == 200 }
        }
        let out = c.dir.file("out.txt")
        let created = try await Self.call("POST", "\(c.url(2))/connectors",
            #"{"name":"sink","config":{"connector.class":"FileStreamSink","topics":"dist","tasks.max":"6","file":"\#(out)"}}"#)
        #expect(created.0 == 201)

        // Three workers, six tasks: 2/2/2, and every worker answers with the same view.
        try await waitUntil(timeout: 90, "tasks spread 2/2/2") {
            let s = await Self.spread(c, via: 1, tasks: 6)
            return s?.count == 3 && s?.values.allSatisfy { $0 == 2 } == true
        }
        // Each worker follows the status topic on its own, so worker 3 may see the last RUNNING records a moment
        // after worker 1 did: wait for it, the way a client polling another worker would.
        let ids = Set((1...3).map { "127.0.0.1:\(c.ports[$0]!)" })
        try await waitUntil(timeout: 30, "worker 3 sees the same 2/2/2 spread") {
            Set(await Self.spread(c, via: 3, tasks: 6)?.keys.map { $0 } ?? []) == ids
        }
        #expect(try await Self.call("GET", "\(c.url(3))/connectors").1 == .array([.string("sink")]))

        // A task restart through a worker that does not run the task is forwarded to its owner (4 of these 6).
        for task in 0..<6 {
            let r = try await Self.call("POST", "\(c.url(1))/connectors/sink/tasks/\(task)/restart")
            #expect(r.0 == 204, "restart of task \(task) via worker 1: \(r.0) \(r.1)")
        }
        #expect(try await Self.call("POST", "\(c.url(1))/connectors/sink/tasks/9/restart").0 == 404)

        // Writes through any worker are seen by all.
        #expect(try await Self.call("PUT", "\(c.url(3))/connectors/sink/pause").0 == 202)
        try await waitUntil(timeout: 30, "paused everywhere") {
            let s = try? await Self.call("GET", "\(c.url(1))/connectors/sink/status").1
            return s?["tasks"]?.arrayValue?.allSatisfy { $0["state"]?.stringValue == "PAUSED" } == true
        }
        #expect(try await Self.call("PUT", "\(c.url(1))/connectors/sink/resume").0 == 202)
        try await waitUntil(timeout: 30, "running again") { await Self.spread(c, via: 2, tasks: 6) != nil }

        // kill -9 one worker: its tasks run on the survivors after the session timeout.
        let victim = "127.0.0.1:\(c.ports[3]!)"
        ProcessHarness.kill9(c.workers[3]!)
        let killedAt = Date()
        try await waitUntil(timeout: 60, "tasks moved off the killed worker") {
            guard let s = await Self.spread(c, via: 1, tasks: 6) else { return false }
            return s[victim] == nil && s.values.reduce(0, +) == 6
        }
        let moveSeconds = Date().timeIntervalSince(killedAt)
        #expect(moveSeconds < 45, "reassignment took \(moveSeconds) s")

        // A worker joining takes a share.
        try c.start(4)
        try await waitUntil(timeout: 90, "the new worker runs tasks") {
            guard let s = await Self.spread(c, via: 1, tasks: 6) else { return false }
            return (s["127.0.0.1:\(c.ports[4]!)"] ?? 0) >= 1
        }

        #expect(try await Self.call("DELETE", "\(c.url(4))/connectors/sink").0 == 204)
        try await waitUntil(timeout: 30, "deleted everywhere") {
            (try? await Self.call("GET", "\(c.url(1))/connectors/sink").0) == 404
        }
    }

    /// A FileStream load across the cluster: kill -9 the worker running the source task; the load finishes from the
    /// offsets on the offsets topic, every line arrives at least once and in order, and the status topic shows no task
    /// RUNNING on two live workers at once.
    @Test func loadSurvivesKillingTheSourceWorker() async throws {
        var c = try Cluster(topics: ["dload:1"])
        defer { c.stopAll() }
        for i in 1...3 { try c.start(i) }
        for i in 1...3 {
            try await waitUntil(timeout: 60, "worker \(i) healthy") { (try? await Self.call("GET", "\(c.url(i))/health"))?.0 == 200 }
        }
        let total = 200_000
        let input = c.dir.file("in.txt"), output = c.dir.file("out.txt")
        let lines = (0..<total).map { String(format: "line-%06d", $0) }
        _ = FileManager.default.createFile(atPath: input, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        #expect(try await Self.call("POST", "\(c.url(2))/connectors",
            #"{"name":"sink","config":{"connector.class":"FileStreamSink","topics":"dload","file":"\#(output)"}}"#).0 == 201)
        #expect(try await Self.call("POST", "\(c.url(1))/connectors",
            #"{"name":"src","config":{"connector.class":"FileStreamSource","topic":"dload","file":"\#(input)","batch.size":"100"}}"#).0 == 201)
        func sinkLines() -> [Substring] { ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n") }

        // Find the worker running the source task first, then kill it as soon as the load is under way.
        try await waitUntil(timeout: 90, "source task running") {
            (try? await Self.call("GET", "\(c.url(1))/connectors/src/tasks/0/status").1)?["state"]?.stringValue == "RUNNING"
        }
        let owner = try await Self.call("GET", "\(c.url(1))/connectors/src/tasks/0/status").1?["worker_id"]?.stringValue
        let victim = try #require(c.ports.first { "127.0.0.1:\($0.value)" == owner }?.key)
        try await waitUntil(timeout: 90, "the load started") { sinkLines().count > 500 }
        ProcessHarness.kill9(c.workers[victim]!)
        #expect(sinkLines().count < total, "the worker must be killed mid-load")
        try await waitUntil(timeout: 120, "every line delivered") { Set(sinkLines()).count == total }
        var seen = Set<Substring>()
        var firsts: [Substring] = []
        for l in sinkLines() where seen.insert(l).inserted { firsts.append(l) }
        #expect(firsts.map(String.init) == lines)

        // Status history: between live workers, a task is given up (not RUNNING) before another worker runs it.
        let bootstrap = c.bootstrap
        let history = try await withCheckedThrowingContinuation { (k: CheckedContinuation<[(String, JSONValue)], any Error>) in
            Thread.detachNewThread {
                k.resume(with: Result {
                    try TopicReader.read(bootstrapServers: bootstrap, topic: "connect-status", count: 100_000, timeoutMs: 5_000)
                        .sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
                        .compactMap { m in
                            guard let k = m.key, let v = m.value, let j = try? JSONReader.parse(v) else { return nil }
                            return (String(decoding: k, as: UTF8.self), j)
                        }
                })
            }
        }
        #expect(!history.isEmpty)
        let dead = "127.0.0.1:\(c.ports[victim]!)"
        var runningOn: [String: String] = [:]
        for (key, v) in history where key.hasPrefix("status-task-") {
            guard let worker = v["worker_id"]?.stringValue, let state = v["state"]?.stringValue else { continue }
            if state == "RUNNING" {
                if let other = runningOn[key], other != worker, other != dead {
                    Issue.record("\(key) RUNNING on \(worker) while still RUNNING on live worker \(other)")
                }
                runningOn[key] = worker
            } else if runningOn[key] == worker {
                runningOn[key] = nil
            }
        }
    }
}
