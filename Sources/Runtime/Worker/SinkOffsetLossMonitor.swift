import Foundation
import Logging
import Prometheus
import SluiceAPI

/// What a sink task does when Kafka no longer has records it had not read yet (its consumer's position fell below
/// the partition's earliest offset): `log` reports them (ERROR line, `sluice_sink_records_lost_total`) and goes on
/// from the earliest kept record, as Kafka Connect does with `auto.offset.reset=earliest`; `fail` also fails the task.
///
/// Set like `auto.offset.reset`: worker `consumer.offset.out.of.range.policy`, connector
/// `consumer.override.offset.out.of.range.policy`. Default `log` on a real Kafka (where retention deleting unread
/// records is an operational decision) and `fail` on the embedded Kafka (where it means the pipeline outran the
/// broker's 5 MiB per partition, a loss nobody chose).
enum OffsetOutOfRangePolicy: String, Sendable {
    case log
    case fail

    /// The key inside the consumer settings (after the `consumer.` / `consumer.override.` prefix).
    static let key = "offset.out.of.range.policy"

    static func resolve(_ value: String?, embedded: Bool) throws -> OffsetOutOfRangePolicy {
        guard let value = value?.trimmedWS, !value.isEmpty else { return embedded ? .fail : .log }
        guard let policy = OffsetOutOfRangePolicy(rawValue: value.lowercased()) else {
            throw ConnectError.invalidConfig("consumer.override.\(key)", value, "use log or fail")
        }
        return policy
    }
}

/// Turns a sink consumer's out-of-range reports into an ERROR line, a metric and, under `fail`, a task failure.
///
/// `record` runs on the task thread inside `poll`; `check` right after `poll` throws the failure before the batch
/// is put, so the committed offsets stay where they were (a restart finds the same gap and says so again).
final class SinkOffsetLossMonitor: @unchecked Sendable {
    let policy: OffsetOutOfRangePolicy
    let embedded: Bool
    let taskId: ConnectorTaskId
    let lost: Counter
    let logger: Logger
    private var failure: ConnectError?
    /// Records reported lost since the task started (tests and the failure message read it).
    private(set) var totalSkipped: Int64 = 0

    init(policy: OffsetOutOfRangePolicy, embedded: Bool, taskId: ConnectorTaskId, lost: Counter, logger: Logger) {
        self.policy = policy
        self.embedded = embedded
        self.taskId = taskId
        self.lost = lost
        self.logger = logger
    }

    func record(_ e: OffsetOutOfRange) {
        guard e.skipped > 0 else {
            logger.warning("Sink task \(taskId): offset \(e.requestedOffset) of \(e.partition) is beyond its end \(e.highWatermark) (topic recreated or truncated?); reading again from \(e.resumedAt)")
            return
        }
        totalSkipped += e.skipped
        lost.increment(by: e.skipped)
        let what = "\(e.skipped) records of \(e.partition) (offsets \(e.requestedOffset)..<\(e.resumedAt)) were gone from Kafka before sink task \(taskId) read them: offset out of range, the partition now holds [\(e.lowWatermark), \(e.highWatermark))"
        let why = embedded
            ? "The embedded Kafka keeps only 5 MiB / 100,000 batches per partition and dropped them because the sources wrote faster than this sink consumed."
            : "The broker deleted them (retention) before this sink consumed them."
        switch policy {
        case .log:
            logger.error("\(what). \(why) Continuing from offset \(e.resumedAt) (\(OffsetOutOfRangePolicy.key)=log).")
        case .fail:
            let advice = embedded
                ? "Use a real Kafka (bootstrap.servers=host:9092), a direct pipeline (bootstrap.servers=none), or a slower source; keep embedded.retention.guard.enable=true on the worker running both source and sink."
                : "Consume faster or raise the topic's retention."
            let message = "\(what). \(why) \(advice) To accept the loss and continue, set consumer.override.\(OffsetOutOfRangePolicy.key)=log."
            logger.error("\(message)")
            if failure == nil { failure = ConnectError(.connect, message) }
        }
    }

    /// Throws the first loss under `fail`.
    func check() throws {
        if let failure { throw failure }
    }
}
