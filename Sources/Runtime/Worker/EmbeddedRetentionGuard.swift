import Foundation
import Logging
import Prometheus
import SluiceAPI

/// Keeps a worker's source tasks from outrunning its own sink tasks on the embedded Kafka.
///
/// librdkafka's mock cluster keeps only 5 MiB / 100,000 batches per partition and drops older batches silently, so a
/// CSV → embedded Kafka → database pipeline whose source is faster than its sink lost records (184,784 of 1M in
/// one report). With this guard, a source task about to send to a topic that a local sink reads waits while that
/// sink has not committed what the broker keeps less one producer batch (`RetentionLedger`): back-pressure instead of
/// loss.
/// Topics no local sink reads are never held back (external consumers are the user's business; sinks elsewhere
/// detect their losses through `SinkOffsetLossMonitor`).
///
/// A paused or stuck sink holds its sources back for as long as it does not consume; the waiting source says so
/// in the log (INFO when the guard engages, WARN every 30 s of one continuous wait, naming the sink). A stopped,
/// failed or deleted sink's tasks leave the guard and release their sources.
final class EmbeddedRetentionGuard: @unchecked Sendable {
    private let condition = NSCondition()
    private var ledger: RetentionLedger
    static let warnAfterNs: UInt64 = 30_000_000_000
    static let infoEveryNs: UInt64 = 60_000_000_000

    let limits: RetentionLedger.Limits

    init(limits: RetentionLedger.Limits = .embedded()) {
        self.limits = limits
        ledger = RetentionLedger(limits: limits)
    }

    func sourceHook(task: ConnectorTaskId, logger: Logger, waits: Counter) -> SourceHook {
        SourceHook(guard: self, task: task, logger: logger, waits: waits)
    }

    /// The hook of one sink task; `config` is its connector's (`topics` or `topics.regex`).
    func sinkHook(connector: String, config: [String: String]) -> SinkHook {
        let topics = Set((config["topics"] ?? "").split(separator: ",").map { String($0).trimmedWS }.filter { !$0.isEmpty })
        let regex = topics.isEmpty ? config["topics.regex"].flatMap { $0.isEmpty ? nil : ($0.hasPrefix("^") ? $0 : "^" + $0) } : nil
        let matches: @Sendable (String) -> Bool = { topic in
            if let regex { return (try? Regex(regex)).map { topic.wholeMatch(of: $0) != nil } ?? false }
            return topics.contains(topic)
        }
        return SinkHook(guard: self, connector: connector, matches: matches)
    }

    fileprivate func withLedger<T>(_ body: (inout RetentionLedger) -> T) -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return body(&ledger)
    }

    /// Waits until `records` records of `bytes` in all more to `topic` fit, then counts them in flight. False when
    /// `isStopping` turned true first. Every change of the ledger (a sink commit, an acknowledgement) wakes the
    /// waiters; the timeout only bounds how late a stop is noticed. `onWait` runs without the lock, so it may serve
    /// the waiting source's own delivery reports: its in-flight records count against every partition until they
    /// are acknowledged.
    fileprivate func reserve(topic: String, bytes: Int64, records: Int64, isStopping: () -> Bool,
                             onWait: (RetentionLedger.Backlog, UInt64) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        var waitingSince: UInt64?
        while true {
            switch ledger.admit(topic: topic, bytes: bytes, records: records) {
            case .go:
                ledger.sent(topic: topic, bytes: bytes, records: records)
                return true
            case .wait(let backlog):
                if isStopping() { return false }
                let now = DispatchTime.now().uptimeNanoseconds
                if waitingSince == nil { waitingSince = now }
                condition.unlock()
                onWait(backlog, now - (waitingSince ?? now))
                condition.lock()
                // Serving reports may have made room already; otherwise sleep until the ledger changes.
                if ledger.admit(topic: topic, bytes: bytes, records: records) != .go {
                    _ = condition.wait(until: Date().addingTimeInterval(0.1))
                }
            }
        }
    }

    /// A source task's view: reserve before sending, settle on acknowledgement.
    final class SourceHook: @unchecked Sendable {
        private let guard_: EmbeddedRetentionGuard
        let task: ConnectorTaskId
        let logger: Logger
        let waitsCounter: Counter
        /// Touched by the task thread only (inside `awaitRoom`).
        private var lastInfoNs: UInt64?
        private var lastWarnNs: UInt64 = 0
        private var waits = 0
        /// Time spent held back since `takeHeldNs` (the source's progress line reports it).
        private var heldNs: UInt64 = 0

        func takeHeldNs() -> UInt64 {
            defer { heldNs = 0 }
            return heldNs
        }

        /// The most one reservation takes (a quarter of the limits): large enough for large producer batches,
        /// small enough that one chunk landing in a single partition stays far below what the broker keeps.
        let chunkBytes: Int64
        let chunkRecords: Int64

        fileprivate init(guard: EmbeddedRetentionGuard, task: ConnectorTaskId, logger: Logger, waits: Counter) {
            guard_ = `guard`
            self.task = task
            self.logger = logger
            waitsCounter = waits
            chunkBytes = max(1, `guard`.limits.bytes / 4)
            chunkRecords = max(1, `guard`.limits.records / 4)
        }

        /// An upper bound of a record's share of what the broker stores: its bytes with per-record framing, lz4's
        /// worst-case expansion (1/255) and a batch's overhead (61-byte header, lz4 frame) as if it were alone in its
        /// batch. The broker counts compressed batches, so this overestimates, which errs on the safe side.
        static func size(_ m: OutgoingMessage) -> Int64 {
            var n = 16 + Int64(m.key?.count ?? 0) + Int64(m.value?.count ?? 0)
            for (k, v) in m.headers { n += 4 + Int64(k.utf8.count) + Int64(v?.count ?? 0) }
            return n + n / 255 + batchOverhead
        }

        static let batchOverhead: Int64 = 96

        /// Blocks while a local sink of `topic` is too far behind for `records` more records of `bytes` in all.
        /// False when the task is stopping (nothing reserved). `serve` (the task's delivery reports) runs while waiting.
        func awaitRoom(topic: String, bytes: Int64, records: Int64 = 1, isStopping: () -> Bool, serve: () -> Void = {}) -> Bool {
            var engaged = false
            var since: UInt64 = 0
            defer { if engaged { heldNs += DispatchTime.now().uptimeNanoseconds - since } }
            return guard_.reserve(topic: topic, bytes: bytes, records: records, isStopping: isStopping) { backlog, waitedNs in
                serve()
                let now = DispatchTime.now().uptimeNanoseconds
                if !engaged {
                    engaged = true
                    since = now
                    waits += 1
                    waitsCounter.increment()
                    if lastInfoNs.map({ now - $0 >= EmbeddedRetentionGuard.infoEveryNs }) ?? true {
                        lastInfoNs = now
                        logger.info("Source task \(task) is held back: local sink connector(s) \(backlog.sinks.joined(separator: ", ")) have not consumed \(Self.describe(backlog)) of topic \(topic) yet, and the embedded Kafka keeps only 5 MiB per partition (it would drop them). Back-pressure engaged \(waits) time(s) so far; embedded.retention.guard.enable=false turns this off.")
                    }
                }
                if waitedNs >= EmbeddedRetentionGuard.warnAfterNs && now - lastWarnNs >= EmbeddedRetentionGuard.warnAfterNs {
                    lastWarnNs = now
                    logger.warning("Source task \(task) has waited \(waitedNs / 1_000_000_000) s for sink connector(s) \(backlog.sinks.joined(separator: ", ")) to consume topic \(topic) (\(Self.describe(backlog)) behind). A paused or stuck sink holds its sources back on the embedded Kafka: resume, fix or delete it, or set embedded.retention.guard.enable=false (that sink then fails on the records the broker drops).")
                }
            }
        }

        static func describe(_ b: RetentionLedger.Backlog) -> String {
            let at = b.partition.map { " in \($0)" } ?? ""
            return "\(b.records) records / \(b.bytes) bytes\(at) plus \(b.inFlightRecords) records in flight"
        }

        func acked(_ tp: TopicPartition, offset: Int64, bytes: Int64) {
            guard_.withLedger { $0.acked(tp, offset: offset, bytes: bytes) }
        }

        /// A batch of acknowledgements under one lock.
        func acked(_ acks: [SourceRecordAck]) {
            guard_.withLedger { ledger in
                for a in acks {
                    ledger.acked(TopicPartition(a.metadata.topic, a.metadata.partition), offset: a.metadata.offset, bytes: a.receipt.bytes)
                }
            }
        }

        func failed(topic: String, bytes: Int64) {
            guard_.withLedger { $0.failed(topic: topic, bytes: bytes) }
        }
    }

    /// A sink task's view: present while it runs, reporting what it committed.
    final class SinkHook: @unchecked Sendable {
        private let guard_: EmbeddedRetentionGuard
        let connector: String
        let matches: @Sendable (String) -> Bool
        private var running = false

        fileprivate init(guard: EmbeddedRetentionGuard, connector: String, matches: @escaping @Sendable (String) -> Bool) {
            guard_ = `guard`
            self.connector = connector
            self.matches = matches
        }

        /// Called once the task subscribed. Idempotent.
        func started() {
            guard !running else { return }
            running = true
            guard_.withLedger { $0.sinkStarted(connector, matches: matches) }
        }

        func committed(_ offsets: [TopicPartition: Int64]) {
            guard running, !offsets.isEmpty else { return }
            guard_.withLedger { $0.sinkCommitted(connector, offsets) }
        }

        /// Called when the task ends, however it ends. Idempotent.
        func stopped() {
            guard running else { return }
            running = false
            guard_.withLedger { $0.sinkStopped(connector) }
        }
    }
}
