import Foundation
import Logging

/// Counts records and logs `N records in S s (R records/s)` every 30 s, so users see progress per task.
/// (`SLUICE_PROGRESS_INTERVAL_MS` shortens the interval, for watching a benchmark or a backfill closely.)
struct ThroughputLog {
    let label: String
    private var count = 0
    private var last = monotonicNs()
    static let intervalNs: UInt64 = {
        let ms = ProcessInfo.processInfo.environment["SLUICE_PROGRESS_INTERVAL_MS"].flatMap { UInt64($0) } ?? 30_000
        return max(ms, 100) * 1_000_000
    }()

    init(label: String) { self.label = label }

    mutating func add(_ n: Int) { count += n }

    /// Logs when the interval passed; `detail` (called only then) is appended to the line.
    mutating func maybeLog(_ logger: Logger, detail: (UInt64) -> String = { _ in "" }) {
        let now = monotonicNs()
        let elapsed = now - last
        guard elapsed >= ThroughputLog.intervalNs else { return }
        if count > 0 {
            let rate = Double(count) / (Double(elapsed) / 1e9)
            let seconds = Double(elapsed) / 1e9
            logger.info("\(label): \(count) records in \(String(format: "%.1f", seconds)) s (\(Int(rate)) records/s)\(detail(elapsed))")
        }
        count = 0
        last = now
    }
}
