import Foundation
import TestSupport

/// Runs the real `sluice` binary as child processes, for crash tests: the broker lives in its own
/// `sluice kafka-embedded` process so it survives the worker's `kill -9`.
public enum ProcessHarness {
    /// The `sluice` executable built next to the tests (`swift build` builds it before `swift test`).
    public static var binary: String {
        if let env = ProcessInfo.processInfo.environment["SLUICE_BIN"], !env.isEmpty { return env }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()  // Sources/WorkerTestSupport/ProcessHarness.swift → repo root
        for config in ["debug", "release"] {
            let p = root.appendingPathComponent(".build/\(config)/sluice").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return root.appendingPathComponent(".build/debug/sluice").path
    }

    /// Starts `sluice kafka-embedded` and returns the process and its bootstrap address.
    public static func startBroker(topics: [String] = []) throws -> (Process, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["kafka-embedded"] + topics.flatMap { ["--topic", $0] }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        var line = Data()
        while true {
            let b = out.fileHandleForReading.readData(ofLength: 1)
            if b.isEmpty || b == Data("\n".utf8) { break }
            line.append(b)
        }
        let addr = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        guard addr.contains(":") else { throw TimeoutError(description: "kafka-embedded printed no bootstrap address (binary \(binary))") }
        return (p, addr)
    }

    /// Starts `sluice standalone` with the given files; output goes to `log`.
    public static func startWorker(_ args: [String], log: String) throws -> Process {
        try start(["standalone"] + args, log: log)
    }

    /// The worker properties of one `sluice distributed` member of a test or benchmark cluster: String converters,
    /// replication factor 1 (one embedded broker), rebalances without the scheduled delay, REST on 127.0.0.1:`port`.
    public static func distributedWorkerProperties(
        bootstrap: String, group: String, port: Int, sessionTimeoutMs: Int, extra: [String] = []
    ) -> String {
        ([
            "bootstrap.servers=\(bootstrap)",
            "group.id=\(group)",
            "config.storage.topic=connect-configs",
            "offset.storage.topic=connect-offsets",
            "status.storage.topic=connect-status",
            "config.storage.replication.factor=1",
            "offset.storage.replication.factor=1",
            "status.storage.replication.factor=1",
            "key.converter=org.apache.kafka.connect.storage.StringConverter",
            "value.converter=org.apache.kafka.connect.storage.StringConverter",
            "listeners=http://127.0.0.1:\(port)",
            "rest.advertised.host.name=127.0.0.1",
            "scheduled.rebalance.max.delay.ms=0",
            "session.timeout.ms=\(sessionTimeoutMs)",
            "heartbeat.interval.ms=1000",
        ] + extra).joined(separator: "\n") + "\n"
    }

    /// Starts `sluice distributed` with a worker properties file; output goes to `log`.
    public static func startDistributedWorker(_ properties: String, log: String) throws -> Process {
        try start(["distributed", properties], log: log)
    }

    static func start(_ args: [String], log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        h.seekToEndOfFile()
        p.standardOutput = h
        p.standardError = h
        try p.run()
        return p
    }

    public static func kill9(_ p: Process) {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }
}
