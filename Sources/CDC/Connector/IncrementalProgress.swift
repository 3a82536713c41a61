import Foundation

/// Rows read and elapsed time of the table an incremental snapshot is reading, for progress lines in the log.
struct IncrementalProgress {
    var table: String
    var started: DispatchTime
    var lastLog: DispatchTime
    var rowsAtStart: Int

    func rate(rows: Int, now: DispatchTime = .now()) -> (seconds: Double, perSecond: Int) {
        let s = Double(now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return (s, s > 0 ? Int(Double(rows - rowsAtStart) / s) : 0)
    }
}
