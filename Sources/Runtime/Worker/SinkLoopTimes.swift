/// Where a sink task's thread spent its time since the last progress line: waiting for Kafka (`poll`), in the
/// connector's `put`, waiting for the next batch's conversion, committing offsets. Read with the records/s figure it
/// tells whether a slow sink is bound by Kafka, by its target system or by deserialization.
struct SinkLoopTimes {
    private(set) var pollNs: UInt64 = 0
    private(set) var putNs: UInt64 = 0
    private(set) var convertWaitNs: UInt64 = 0
    private(set) var commitNs: UInt64 = 0

    enum Phase { case poll, put, convertWait, commit }

    /// Runs `body` and adds its duration to `phase`.
    @inline(__always)
    mutating func time<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = monotonicNs()
        defer {
            let d = monotonicNs() &- start
            switch phase {
            case .poll: pollNs &+= d
            case .put: putNs &+= d
            case .convertWait: convertWaitNs &+= d
            case .commit: commitNs &+= d
            }
        }
        return try body()
    }

    /// `; thread time: poll 12% · put 70% · waiting for conversion 15% · commit 1%` over `elapsedNs`, then resets.
    mutating func summary(over elapsedNs: UInt64) -> String {
        func pct(_ ns: UInt64) -> String { "\(Int((Double(ns) * 100 / Double(max(elapsedNs, 1))).rounded()))%" }
        defer { self = SinkLoopTimes() }
        return "; thread time: poll \(pct(pollNs)) · put \(pct(putNs)) · waiting for conversion \(pct(convertWaitNs)) · commit \(pct(commitNs))"
    }
}
