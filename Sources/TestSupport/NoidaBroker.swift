import Foundation

/// A real Kafka-protocol broker (not librdkafka's mock) for the security tests: noida-db (installed by `scripts/reference.sh setup`, which
/// `scripts/test.sh` runs), optionally behind a TLS terminator (socat with an openssl-made CA and server
/// certificate, and optionally requiring client certificates).
///
/// noida-db accepts SASL PLAIN with any credentials and enables no SCRAM, and has no TLS listener of its own; the
/// TLS proxy forwards to its plaintext port, which it also advertises, so only bootstrap-level requests go over TLS.
public final class NoidaBroker: @unchecked Sendable {
    public let dir: TemporaryDirectory
    public let port = TestSupport.freePort()
    public var bootstrap: String { "127.0.0.1:\(port)" }
    private var pids: [pid_t] = []

    static var referenceHome: String {
        ProcessInfo.processInfo.environment["SLUICE_REFERENCE_HOME"] ?? "/var/tmp/sluice-reference"
    }
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: referenceHome + "/venv/bin/python")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/socat") && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
    }
    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/reference.sh").path  // Sources/TestSupport/ -> repository root
    }

    public init() throws {
        dir = try TemporaryDirectory(prefix: "sluice-secure-broker")
        try spawn(["/usr/bin/setsid", "/bin/bash", Self.script, "broker", String(port), dir.file("data")], log: dir.file("broker.log"))
        try Self.waitForPort(port, what: "noida-db")
        let script = """
        set -e
        cd \(dir.path)
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=sluice-kafka-test-ca 2>/dev/null
        for n in server client; do
          openssl req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj /CN=$n 2>/dev/null
          printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > $n.ext
          openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $n.crt -days 2 -extfile $n.ext 2>/dev/null
        done
        openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.crt -days 2 -subj /CN=other-ca 2>/dev/null
        """
        let r = try TestSupport.runProcess("/bin/bash", ["-c", script])
        guard r.succeeded else { throw TestSupportError("openssl: \(r.output)") }
    }

    /// Starts a TLS terminator in front of the broker; returns its port.
    public func tlsProxy(requireClientCertificate: Bool) throws -> Int {
        let proxyPort = TestSupport.freePort()
        let verify = requireClientCertificate ? "verify=1,cafile=\(dir.file("ca.crt"))" : "verify=0"
        try spawn(["/usr/bin/socat",
                   "OPENSSL-LISTEN:\(proxyPort),bind=127.0.0.1,reuseaddr,fork,cert=\(dir.file("server.crt")),key=\(dir.file("server.key")),\(verify)",
                   "TCP:127.0.0.1:\(port)"], log: dir.file("socat-\(proxyPort).log"))
        try Self.waitForPort(proxyPort, what: "socat")
        return proxyPort
    }

    public func stop() {
        for pid in pids.reversed() {
            kill(-pid, SIGTERM)
            kill(pid, SIGTERM)
        }
        for pid in pids.reversed() {
            var status: Int32 = 0
            for _ in 0..<50 where waitpid(pid, &status, WNOHANG) == 0 { usleep(100_000) }
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, WNOHANG)
        }
        pids = []
        // noida-db serves from its own session: end whatever still runs on this run's data directory.
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for e in entries {
            guard let pid = Int32(e), pid != getpid(), let cmd = FileManager.default.contents(atPath: "/proc/\(e)/cmdline") else { continue }
            if String(decoding: cmd.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(dir.path) { kill(pid, SIGKILL) }
        }
    }

    deinit { stop() }

    private func spawn(_ argv: [String], log: String) throws {
        let pid = try TestSupport.spawn(argv[0], Array(argv.dropFirst()), stdoutPath: log)
        pids.append(pid)
        // If this test process dies, take the children down with it.
        let watchdog = "while kill -0 \(getpid()) 2>/dev/null && kill -0 \(pid) 2>/dev/null; do sleep 1; done; kill -TERM -- -\(pid) \(pid) 2>/dev/null; "
            + "sleep 3; for p in /proc/[0-9]*; do [ \"${p#/proc/}\" != \"$$\" ] && grep -qF \(TestSupport.shellQuote(dir.path)) $p/cmdline 2>/dev/null && kill -KILL ${p#/proc/} 2>/dev/null; done"
        _ = try? TestSupport.spawn("/usr/bin/setsid", ["/bin/sh", "-c", watchdog])
    }

    static func waitForPort(_ port: Int, what: String) throws {
        for _ in 0..<600 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
            close(fd)
            if ok { return }
            usleep(100_000)
        }
        throw TestSupportError("\(what) did not listen on port \(port) within 60 s")
    }
}
