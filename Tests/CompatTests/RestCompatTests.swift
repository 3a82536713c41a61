import Foundation
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// Kafka Connect 3.9.0 and Sluice side by side: the same REST requests to both, on one noida-db broker, and every
/// answer compared (status, Location, Content-Type, JSON body with key order and texts). Differences must be listed
/// in COMPATIBILITY.md; anything else fails.
@Suite(.serialized) struct RestCompatTests {
    /// Starts the reference (broker + Kafka Connect) and a Sluice standalone worker on the same broker.
    static func environment() async throws -> (ReferenceConnect, TestWorker, CompatRunner) {
        let ref = try ReferenceConnect()
        try await ref.start(workerProps: [:])
        let w = try await TestWorker(extra: ["bootstrap.servers": ref.bootstrap, "offset.flush.interval.ms": "500"])
        let runner = CompatRunner(
            reference: CompatSide(name: "Kafka Connect", base: ref.base, workerId: "127.0.0.1:\(ref.restPort)"),
            sluice: CompatSide(name: "Sluice", base: w.base, workerId: "127.0.0.1:\(w.worker.port)"),
            report: CompatReport(), dir: ref.dir.path)
        return (ref, w, runner)
    }

    @Test(.timeLimit(.minutes(5)))
    func restApiMatchesKafkaConnect() async throws {
        let (ref, w, c) = try await Self.environment()
        defer { ref.stop() }
        do {
            try await RestScenario(c: c, dir: ref.dir).run()
        } catch {
            await w.shutdown()
            throw error
        }
        await w.shutdown()
        try Self.verdict(c.report, "REST")
    }

    /// Prints every difference and the summary, and fails on differences COMPATIBILITY.md does not list (or that
    /// change the status class).
    static func verdict(_ report: CompatReport, _ what: String) throws {
        let deviations = try Deviations.load()
        let (identical, documented, undocumented) = report.evaluate(deviations)
        for r in report.results where !r.identical {
            let tag = deviations.ids.contains(r.id) ? "documented" : "UNDOCUMENTED"
            print("compat \(what) [\(tag)] \(r.id)\n  " + r.differences.joined(separator: "\n  "))
        }
        let classChanges = report.results.filter { r in
            r.differences.contains { $0.hasPrefix("status:") && !Self.sameClassText($0) }
        }
        print("compat \(what): \(report.results.count) checks: \(identical) identical, \(documented) documented deviations, \(undocumented.count) undocumented")
        #expect(undocumented.isEmpty, "\(undocumented.count) undocumented differences: \(undocumented.map(\.id))")
        #expect(classChanges.isEmpty, "status class changed: \(classChanges.map(\.id))")
        #expect(report.results.count > 0)
    }

    static func sameClassText(_ d: String) -> Bool {
        let nums = d.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return nums.count == 2 && CompatCompare.sameClass(nums[0], nums[1])
    }
}
