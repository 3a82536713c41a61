import Logging

/// Rows/s per table: a line per completed pass over a table's result, and one every `interval` while a long pass
/// (a big initial load) is running, so its pace shows without logging every poll.
struct SourceProgress {
    var interval: Duration = .seconds(10)
    var logger = Logger(label: "sluice.jdbc.source")
    private var passStart = ContinuousClock.now
    private var lastLog = ContinuousClock.now
    private var passRows = 0
    private var windowRows = 0
    private(set) var totalRows = 0

    mutating func begin() {
        passStart = .now
        lastLog = passStart
        passRows = 0
        windowRows = 0
    }

    mutating func add(_ rows: Int, table: String) {
        passRows += rows
        windowRows += rows
        totalRows += rows
        let now = ContinuousClock.now
        guard now - lastLog >= interval else { return }
        logger.info("JDBC source: \(table): \(passRows) rows so far in this pass (\(rate(windowRows, now - lastLog)) rows/s)")
        lastLog = now
        windowRows = 0
    }

    mutating func finishPass(table: String) {
        guard passRows > 0 else { return }
        let elapsed = ContinuousClock.now - passStart
        logger.info("JDBC source: \(table): \(passRows) rows in \(formatted(elapsed.inSeconds)) s (\(rate(passRows, elapsed)) rows/s), \(totalRows) since start")
    }

    func formatted(_ s: Double) -> String { String(Double(Int(s * 100)) / 100) }

    func rate(_ rows: Int, _ d: Duration) -> Int { Int(Double(rows) / max(d.inSeconds, 0.001)) }
}
