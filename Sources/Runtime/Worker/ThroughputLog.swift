import Logging

/// Counts records and logs `N records in S s (R records/s)` every 30 s, so users see progress per task.
struct ThroughputLog {
    let label: String
    private var count = 0
    private var last = monotonicNs()
    static let intervalNs: UInt64 = 30_000_000_000

    init(label: String) { self.label = label }

    mutating func add(_ n: Int) { count += n }

    mutating func maybeLog(_ logger: Logger) {
        let now = monotonicNs()
        let elapsed = now - last
        guard elapsed >= ThroughputLog.intervalNs else { return }
        if count > 0 {
            let rate = Double(count) / (Double(elapsed) / 1e9)
            logger.info("\(label): \(count) records in \(elapsed / 1_000_000_000) s (\(Int(rate)) records/s)")
        }
        count = 0
        last = now
    }
}
