import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import WorkerTestSupport

/// Distributed-mode timings with real `sluice distributed` processes against one `sluice kafka-embedded`:
/// - failover: `kill -9` of one of 3 workers (session.timeout.ms=10000, scheduled.rebalance.max.delay.ms=0) until all
///   6 tasks RUNNING on the survivors;
/// - join: a 4th worker joining a 3-worker cluster that runs 30 tasks, from its process start to its share RUNNING.
enum DistributedBenchmark {
    static func run() -> String {
        do {
            return try failover() + "\n" + join()
        } catch {
            return "distributed: \(error)"
        }
    }

    final class Cluster {
        let dir: TemporaryDirectory
        let broker: Process
        let bootstrap: String
        var workers: [Int: Process] = [:]
        var ports: [Int: Int] = [:]

        init() throws {
            dir = try TemporaryDirectory(prefix: "sluice-dist-bench")
            RuntimeBench.useBinaryNextToThisOne()
            (broker, bootstrap) = try ProcessHarness.startBroker()
        }

        func start(_ i: Int) throws {
            let port = TestSupport.freePort()
            ports[i] = port
            let props = dir.file("w\(i).properties")
            try ProcessHarness.distributedWorkerProperties(bootstrap: bootstrap, group: "bench", port: port, sessionTimeoutMs: 10000)
                .write(toFile: props, atomically: true, encoding: .utf8)
            workers[i] = try ProcessHarness.startDistributedWorker(props, log: dir.file("w\(i).log"))
        }

        func url(_ i: Int) -> String { "http://127.0.0.1:\(ports[i]!)" }

        func stop() {
            for w in workers.values where w.isRunning { w.terminate(); w.waitUntilExit() }
            broker.terminate()
            broker.waitUntilExit()
        }
    }

    static func http(_ method: String, _ url: String, _ body: String? = nil) -> (Int, [String: Any]?) {
        var req = URLRequest(url: URL(string: url)!)
        req.httpMethod = method
        req.timeoutInterval = 30
        if let body {
            req.httpBody = Data(body.utf8)
            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let sem = DispatchSemaphore(value: 0)
        let box = ReplyBox()
        URLSession.shared.dataTask(with: req) { data, resp, _ in
            box.status = (resp as? HTTPURLResponse)?.statusCode ?? 0
            box.data = data
            sem.signal()
        }.resume()
        sem.wait()
        return (box.status, box.data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] })
    }

    /// Tasks RUNNING per worker id, when all `tasks` are RUNNING.
    static func spread(_ c: Cluster, _ tasks: Int) -> [String: Int]? {
        guard let body = http("GET", "\(c.url(1))/connectors/sink/status").1,
              let ts = body["tasks"] as? [[String: Any]], ts.count == tasks,
              ts.allSatisfy({ $0["state"] as? String == "RUNNING" })
        else { return nil }
        var out: [String: Int] = [:]
        for t in ts { out[t["worker_id"] as? String ?? "", default: 0] += 1 }
        return out
    }

    static func wait(_ timeout: Double, _ cond: () -> Bool) throws -> Double {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            if cond() { return Date().timeIntervalSince(start) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "timed out after \(timeout) s"])
    }

    static func cluster(tasks: Int) throws -> Cluster {
        let c = try Cluster()
        for i in 1...3 { try c.start(i) }
        _ = try wait(60) { (1...3).allSatisfy { http("GET", "\(c.url($0))/health").0 == 200 } }
        // SpoolDir tasks (all tasks.max of them are created) idle on an empty directory: the timings measure
        // coordination, not sink consumer-group rebalances inside each task.
        for d in ["in", "done", "err"] { try FileManager.default.createDirectory(atPath: c.dir.file(d), withIntermediateDirectories: true) }
        _ = http("POST", "\(c.url(1))/connectors", #"{"name":"sink","config":{"connector.class":"SpoolDirCsvSourceConnector","topic":"bench","tasks.max":"\#(tasks)","input.path":"\#(c.dir.file("in"))","finished.path":"\#(c.dir.file("done"))","error.path":"\#(c.dir.file("err"))","input.file.pattern":".*\\.csv","schema.generation.enabled":"true","csv.first.row.as.header":"true"}}"#)
        _ = try wait(120) { spread(c, tasks)?.count == 3 }
        return c
    }

    static func failover() throws -> String {
        let c = try cluster(tasks: 6)
        defer { c.stop() }
        let victim = "127.0.0.1:\(c.ports[3]!)"
        kill(c.workers[3]!.processIdentifier, SIGKILL)
        let seconds = try wait(120) {
            guard let s = spread(c, 6) else { return false }
            return s[victim] == nil
        }
        return String(format: "failover: kill -9 of 1 of 3 workers → all 6 tasks RUNNING on survivors in %.1f s (session.timeout.ms=10000, scheduled.rebalance.max.delay.ms=0; target ≤ 15 s)", seconds)
    }

    static func join() throws -> String {
        let c = try cluster(tasks: 30)
        defer { c.stop() }
        try c.start(4)
        let newcomer = "127.0.0.1:\(c.ports[4]!)"
        _ = try wait(60) { http("GET", "\(c.url(4))/health").0 == 200 }
        let seconds = try wait(120) { (spread(c, 30)?[newcomer] ?? 0) >= 7 }
        return String(format: "join: a 4th worker joining 3 workers running 30 tasks → its share (≥ 7 tasks) RUNNING %.1f s after its REST port answered (target ≤ 2 s)", seconds)
    }
}

/// Carries a URLSession reply back to the waiting thread.
final class ReplyBox: @unchecked Sendable {
    var status = 0
    var data: Data?
}
