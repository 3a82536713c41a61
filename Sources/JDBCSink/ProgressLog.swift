import Logging
import SQL

/// Logs rows/s per table every `interval`, so a long load shows its pace without logging every put.
struct ProgressLog {
    var interval: Duration = .seconds(10)
    private var windowStart = ContinuousClock.now
    private var busy: Duration = .zero
    private var rows: [SQLTableName: Int] = [:]
    private var totals: [SQLTableName: Int] = [:]

    mutating func record(_ written: [SQLTableName: Int], elapsed: Duration, logger: Logger) {
        for (t, n) in written {
            rows[t, default: 0] += n
            totals[t, default: 0] += n
        }
        busy += elapsed
        let now = ContinuousClock.now
        let window = now - windowStart
        guard window >= interval else { return }
        let secs = window.inSeconds
        for (t, n) in rows.sorted(by: { $0.key.description < $1.key.description }) where n > 0 {
            let rate = Int(Double(n) / max(secs, 0.001))
            logger.info("JDBC sink: table \(t): \(n) rows in \(Int(secs)) s (\(rate) rows/s), \(totals[t] ?? 0) since start")
        }
        rows.removeAll(keepingCapacity: true)
        busy = .zero
        windowStart = now
    }
}
