import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An in-memory OpenSearch-compatible server (`osmem-server` from PyPI, installed by scripts/install-deps.sh) on a
/// free port, for the Elasticsearch sink's tests. One per test: it starts in a fraction of a second, and a test can
/// kill and restart it on the same port (its data is gone then, as with a cluster that lost its nodes).
public final class OpenSearchServer: @unchecked Sendable {
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    private let binary: String
    private let lock = NSLock()
    private var pid: pid_t = 0

    /// The server binary shipped in the `osmem_server` Python package.
    public static func binaryPath() throws -> String {
        let r = try TestSupport.runProcess("/usr/bin/env",
            ["python3", "-c", "import osmem_server;print(osmem_server.resolve_binary())"])
        let path = r.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard r.succeeded, FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError(
                "osmem-server is not installed (run scripts/install-deps.sh, or pip install osmem-server==0.1.6): \(r.output)")
        }
        return path
    }

    public init() throws {
        binary = try Self.binaryPath()
        port = TestSupport.freePort()
        try start()
    }

    deinit { kill() }

    /// Starts the server (again) on its port and waits until it answers.
    public func start() throws {
        let p = try TestSupport.spawn(binary,
            ["-addr", "127.0.0.1:\(port)", "-no-stdin-watch", "-parent-pid", String(getpid())])
        lock.withLock { pid = p }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? request("GET", "/"))?.status == 200 { return }
            usleep(20_000)
        }
        throw TestSupportError("osmem-server did not answer on port \(port) within 10 s")
    }

    /// `kill -9` and reap: the data is gone.
    public func kill() {
        let p = lock.withLock { () -> pid_t in
            defer { pid = 0 }
            return pid
        }
        guard p > 0 else { return }
        Glibc.kill(p, SIGKILL)
        var status: Int32 = 0
        waitpid(p, &status, 0)
    }

    /// A plain HTTP request through curl (the tests' independent view of the server).
    public func request(_ method: String, _ path: String, body: String? = nil) throws -> (status: Int, body: String) {
        var args = ["-s", "-X", method, "-H", "Content-Type: application/json", "-w", "\n%{http_code}", "--max-time", "10"]
        if let body { args += ["--data-binary", body] }
        args.append(url + path)
        let r = try TestSupport.runProcess("/usr/bin/curl", args)
        guard let nl = r.output.lastIndex(of: "\n"), let status = Int(r.output[r.output.index(after: nl)...]) else {
            throw TestSupportError("curl \(method) \(path) failed: \(r.output)")
        }
        return (status, String(r.output[..<nl]))
    }

    /// Documents in `index` (`_count`); 0 when the index does not exist.
    public func count(_ index: String) throws -> Int {
        let r = try request("GET", "/\(index)/_count")
        guard r.status == 200, let data = r.body.data(using: .utf8),
            let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any], let n = obj["count"] as? Int
        else { return 0 }
        return n
    }

    /// The `_source` of document `id`, or nil when it is not there.
    public func document(_ index: String, _ id: String) throws -> [String: Any]? {
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
        let r = try request("GET", "/\(index)/_doc/\(escaped)")
        guard r.status == 200, let data = r.body.data(using: .utf8),
            let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return obj["_source"] as? [String: Any]
    }
}
