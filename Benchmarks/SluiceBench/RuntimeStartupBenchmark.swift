import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Worker start: spawn `sluice standalone` with the embedded Kafka and time until the first `/health` 200
/// (issue 2: ≤ 150 ms), then its idle RSS after 5 s (≤ 40 MB). Median of `runs` fresh processes.
enum RuntimeStartupBenchmark {
    static func run(runs: Int = 5) -> String {
        let binary = RuntimeBench.sluiceBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            return "startup: \(binary) not found (build it: swift build -c release)"
        }
        var startups: [Double] = []
        var rss: [Double] = []
        for _ in 0..<runs {
            do {
                let (ms, mb) = try once(binary)
                startups.append(ms)
                rss.append(mb)
            } catch {
                return "startup: \(error)"
            }
        }
        let s = RuntimeBench.median(startups), r = RuntimeBench.median(rss)
        return "startup (\(binary) standalone, embedded Kafka, \(runs) runs): spawn → first /health 200 median \(RuntimeBench.fmt(s)) ms "
            + "(runs: \(startups.map { RuntimeBench.fmt($0) }.joined(separator: ", "))) [target ≤ 150 ms: \(s <= 150 ? "pass" : "MISS")]; "
            + "idle RSS after 5 s median \(RuntimeBench.fmt(r)) MB (runs: \(rss.map { RuntimeBench.fmt($0) }.joined(separator: ", "))) "
            + "[target ≤ 40 MB: \(r <= 40 ? "pass" : "MISS")]"
    }

    /// One process: (milliseconds to /health 200, RSS MB after 5 s idle).
    static func once(_ binary: String) throws -> (Double, Double) {
        let dir = try RuntimeBench.tempDir("startup")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = TestSupport.freePort()
        try """
        bootstrap.servers=embedded
        key.converter=org.apache.kafka.connect.json.JsonConverter
        value.converter=org.apache.kafka.connect.json.JsonConverter
        offset.storage.file.filename=\(dir)/connect.offsets
        listeners=http://127.0.0.1:\(port)
        """.write(toFile: dir + "/worker.properties", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["standalone", dir + "/worker.properties"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let t0 = RuntimeBench.now()
        try p.run()
        defer {
            p.terminate()
            p.waitUntilExit()
        }
        var up = false
        while RuntimeBench.now() - t0 < 30 {
            if RuntimeBench.http(port: port, "GET", "/health", timeoutMs: 2_000)?.status == 200 { up = true; break }
            guard p.isRunning else { throw BenchError("sluice standalone exited with \(p.terminationStatus) before /health answered") }
            usleep(1_000)
        }
        let ms = (RuntimeBench.now() - t0) * 1000
        guard up else { throw BenchError("/health did not answer 200 within 30 s") }
        sleep(5)
        guard let rss = RuntimeBench.memoryMB("VmRSS", pid: String(p.processIdentifier)) else { throw BenchError("no /proc status for the worker") }
        return (ms, rss)
    }
}
