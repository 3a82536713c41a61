import Foundation
import Logging
import Plugins
import Runtime
import SluiceAPI
import TestSupport
import WorkerTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Plumbing for the end-to-end benchmarks: a blocking HTTP/1.1 client (no URLSession, so a `/health` poll measures
/// the worker, not the client), `/proc` memory figures, an in-process worker, and number formatting.
enum RuntimeBench {
    /// One request with `Connection: close`; nil when nothing listens or the connection breaks.
    static func http(port: Int, _ method: String, _ path: String, body: String? = nil, timeoutMs: Int = 30_000) -> (status: Int, body: String)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutMs / 1000, tv_usec: (timeoutMs % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { return nil }
        let payload = Array((body ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if body != nil { head += "Content-Type: application/json\r\nContent-Length: \(payload.count)\r\n" }
        let request = Array((head + "\r\n").utf8) + payload
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return nil }
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { return nil }
            if n == 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let headers = text[..<split.lowerBound]
        let statusLine = headers.split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var content = String(text[split.upperBound...])
        if headers.lowercased().contains("transfer-encoding: chunked") { content = dechunk(content) }
        return (status, content)
    }

    private static func dechunk(_ s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let eol = rest.range(of: "\r\n") {
            guard let size = Int(rest[..<eol.lowerBound].split(separator: ";").first ?? "", radix: 16), size > 0 else { break }
            let start = eol.upperBound
            let bytes = Array(rest[start...].utf8)
            guard bytes.count >= size else { break }
            out += String(decoding: bytes[0..<size], as: UTF8.self)
            rest = Substring(String(decoding: bytes[size...], as: UTF8.self)).dropFirst(2)
        }
        return out
    }

    /// Sum of every sample of a Prometheus counter on the worker's `/metrics`.
    static func metric(port: Int, _ name: String) -> Double? {
        guard let r = http(port: port, "GET", "/metrics"), r.status == 200 else { return nil }
        var sum = 0.0
        for line in r.body.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            guard rest.first == "{" || rest.first == " " else { continue }
            if let v = line.split(separator: " ").last.flatMap({ Double($0) }) { sum += v }
        }
        return sum
    }

    /// A `/proc/<pid>/status` field in MB (VmRSS = resident now, VmHWM = peak resident).
    static func memoryMB(_ field: String, pid: String = "self") -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kb = line.split(separator: " ").dropFirst().first.flatMap { Double($0) }
            return kb.map { $0 / 1024 }
        }
        return nil
    }

    /// Resets this process's VmHWM to the current RSS, so each measured phase reports its own peak.
    static func resetPeakRSS() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    static func fmt(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }

    /// Polls `condition` every `everyMs` until it holds; false after `timeout` seconds.
    static func wait(timeout: Double, everyMs: UInt32 = 50, _ condition: () -> Bool) -> Bool {
        let deadline = now() + timeout
        while now() < deadline {
            if condition() { return true }
            usleep(everyMs * 1000)
        }
        return condition()
    }

    /// The `sluice` executable next to this benchmark binary (`.build/release/sluice` after a release build).
    static var sluiceBinary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("sluice").path
    }

    /// Starts a standalone worker in this process with the embedded Kafka and returns it once `/health` is 200.
    static func startWorker(dir: String, extra: [String: String] = [:]) async throws -> StandaloneWorker {
        var props = [
            "bootstrap.servers": "embedded",
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "offset.storage.file.filename": dir + "/connect.offsets",
            "offset.flush.interval.ms": "1000",
            "listeners": "http://127.0.0.1:0",
        ]
        props.merge(extra) { $1 }
        var logger = Logger(label: "sluice.bench")
        // SLUICE_BENCH_LOG=info shows the worker's progress lines (with SLUICE_PROGRESS_INTERVAL_MS for short runs).
        logger.logLevel = ProcessInfo.processInfo.environment["SLUICE_BENCH_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .warning
        let plugins = BuiltinPlugins.all + BenchPlugins.missingFromBuiltin
        let worker = try StandaloneWorker(workerProps: props, connectorConfigs: [], plugins: plugins, logger: logger)
        Task.detached { try? await worker.run() }
        let port = worker.port
        let up = await Task.detached { wait(timeout: 30) { http(port: port, "GET", "/health")?.status == 200 } }.value
        guard up else { throw BenchError("worker REST did not come up on port \(port)") }
        return worker
    }

    /// POSTs a connector config; throws with the REST error body unless 201.
    static func createConnector(port: Int, name: String, _ config: [String: String]) throws {
        let body = JSONValue.object(["name": .string(name), "config": .stringMap(config)]).compactString
        guard let r = http(port: port, "POST", "/connectors", body: body), r.status == 201 else {
            throw BenchError("creating connector \(name) failed: \(http(port: port, "GET", "/connectors/\(name)/status")?.body ?? "no answer")")
        }
    }

    /// Runs blocking work (child processes, librdkafka, libpq) on its own thread: `Process.waitUntilExit` was seen
    /// to hang forever when called from the Swift concurrency pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            Thread.detachNewThread { c.resume(with: Result { try body() }) }
        }
    }

    /// Starts `sluice kafka-embedded` (the release binary next to this one) with pre-created `name:partitions`
    /// topics, so a worker's RSS can be measured without the broker's retained log in the same process.
    static func startBrokerProcess(topics: [String]) throws -> (Process, String) {
        useBinaryNextToThisOne()
        return try ProcessHarness.startBroker(topics: topics)
    }

    /// Points `ProcessHarness` (which defaults to the debug build of the tests) at the release `sluice` next to this
    /// benchmark, unless `SLUICE_BIN` already names one.
    static func useBinaryNextToThisOne() {
        setenv("SLUICE_BIN", sluiceBinary, 0)
    }

    /// A temporary directory for one case, removed by the caller.
    static func tempDir(_ prefix: String) throws -> String {
        let p = NSTemporaryDirectory() + "sluice-bench-\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
