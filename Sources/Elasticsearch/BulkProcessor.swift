import BlockingHTTP
import Foundation
import Logging
import SluiceAPI

/// Batches bulk items and sends them on `max.in.flight.requests` threads (the original's `BulkProcessor` with its
/// sender threads): a batch goes out when it holds `batch.size` items or `bulk.size.bytes`, or once it waited
/// `linger.ms` with a sender idle. `max.buffered.records` unacknowledged records make `put` wait (back-pressure).
///
/// Every record has an entry in the offset tracker, settled only when its item was acknowledged, or deliberately
/// skipped, or dead-lettered on the task thread — so the offsets `preCommit` returns never cover a record the
/// cluster does not hold. A failure that must stop the task is kept and thrown by the next task call.
final class BulkProcessor: @unchecked Sendable {
    /// A record's part of a put, in record order: an item (lines in the chunk body) or a settled skip.
    enum Entry {
        case item(TopicPartition, offset: Int64, BulkItemInfo)
        case skip(TopicPartition, offset: Int64)
    }

    /// A report the task thread must make (the errant record reporter is not for other threads), then settle or fail.
    struct PendingReport: Sendable {
        var token: OffsetTracker.Token
        var topic: String
        var id: String?
        var source: [UInt8]?
        var message: String
        /// Settle the record after reporting (IGNORE/WARN malformed, unversioned conflicts) instead of failing.
        var continues: Bool
        var warn: Bool
    }

    let config: ElasticsearchSinkConfig
    let client: ElasticsearchClient
    let logger: Logger
    /// Called after each answered batch (the task asks the runtime to commit, so idle partitions commit too).
    var onProgress: (@Sendable () -> Void)?

    private let cond = NSCondition()
    private var tracker = OffsetTracker()
    private var queue: [BulkBatch] = []
    private var open = BulkBatch()
    private var openSince: ContinuousClock.Instant?
    private var failure: ConnectError?
    private var reports: [PendingReport] = []
    private var stopping = false
    private var started = false

    init(config: ElasticsearchSinkConfig, client: ElasticsearchClient, logger: Logger) {
        self.config = config
        self.client = client
        self.logger = logger
    }

    func start() {
        cond.withLock {
            guard !started else { return }
            started = true
        }
        for i in 0..<config.maxInFlight {
            let t = Thread { [self] in senderLoop() }
            t.name = "es-bulk-\(i)"
            t.start()
        }
    }

    func stop() {
        cond.withLock {
            stopping = true
            cond.broadcast()
        }
        client.closeIdle()
    }

    // MARK: task thread

    /// Adds one put's entries (their lines in `body`); waits for buffer space up to `flush.timeout.ms`.
    func add(_ entries: [Entry], body: [UInt8]) throws {
        let n = entries.count
        try cond.withLock {
            let deadline = Date().addingTimeInterval(Double(config.flushTimeoutMs) / 1000)
            while tracker.pending > 0 && tracker.pending + n > config.maxBufferedRecords && failure == nil {
                if !cond.wait(until: deadline) {
                    throw ConnectError(.connect,
                        "Could not make space in the internal buffer fast enough. Consider increasing flush.timeout.ms or max.buffered.records.")
                }
            }
            if let failure { throw failure }
            for e in entries {
                switch e {
                case .skip(let tp, let offset):
                    tracker.markDone(tracker.add(tp, offset: offset))
                case .item(let tp, let offset, var info):
                    info.token = tracker.add(tp, offset: offset)
                    let len = info.range.count
                    if !open.isEmpty && (open.items.count >= config.batchSize
                        || (config.bulkSizeBytes > 0 && open.body.count + len > config.bulkSizeBytes))
                    {
                        sealLocked()
                    }
                    let start = open.body.count
                    open.body.append(contentsOf: body[info.range])
                    info.sourceStart = start + (info.sourceStart - info.range.lowerBound)
                    info.range = start..<open.body.count
                    open.items.append(info)
                    if openSince == nil { openSince = .now }
                }
            }
            if open.items.count >= config.batchSize { sealLocked() }
            cond.broadcast()
        }
    }

    /// Reports waiting for the task thread, and the failure that ends the task (if any).
    func takeReports() -> ([PendingReport], ConnectError?) {
        cond.withLock {
            defer { reports.removeAll() }
            return (reports, failure)
        }
    }

    func settle(_ token: OffsetTracker.Token) {
        cond.withLock {
            tracker.markDone(token)
            cond.broadcast()
        }
    }

    func fail(_ error: ConnectError) {
        cond.withLock {
            if failure == nil { failure = error }
            cond.broadcast()
        }
    }

    /// Sends what is open and waits until every record is settled (or a failure, or `flush.timeout.ms`).
    func flush(drain: () throws -> Void) throws {
        let deadline = Date().addingTimeInterval(Double(config.flushTimeoutMs) / 1000)
        while true {
            try drain()
            let done: Bool = try cond.withLock {
                if !open.isEmpty { sealLocked() }
                if let failure { throw failure }
                if tracker.pending == 0 { return true }
                if !reports.isEmpty { return false }
                if !cond.wait(until: min(deadline, Date().addingTimeInterval(0.05))) && Date() >= deadline {
                    throw ConnectError(.connect,
                        "Flush timed out after \(config.flushTimeoutMs) ms (flush.timeout.ms) with \(tracker.pending) records not acknowledged")
                }
                return false
            }
            if done { return }
        }
    }

    var safeOffsets: [TopicPartition: Int64] { cond.withLock { tracker.safeOffsets } }
    var pendingCount: Int { cond.withLock { tracker.pending } }

    func drop(_ partitions: [TopicPartition]) {
        cond.withLock {
            tracker.drop(partitions)
            cond.broadcast()
        }
    }

    private func sealLocked() {
        queue.append(open)
        open = BulkBatch()
        openSince = nil
        cond.broadcast()
    }

    // MARK: sender threads

    private func senderLoop() {
        while let batch = nextBatch() {
            send(batch)
            onProgress?()
        }
    }

    private func nextBatch() -> BulkBatch? {
        cond.withLock {
            while true {
                if stopping { return nil }
                if !queue.isEmpty { return queue.removeFirst() }
                if let since = openSince, !open.isEmpty {
                    let due = since + .milliseconds(config.lingerMs)
                    if ContinuousClock.now >= due {
                        sealLocked()
                        continue
                    }
                    let left = ContinuousClock.now.duration(to: due)
                    let secs = left.inSeconds
                    _ = cond.wait(until: Date().addingTimeInterval(max(secs, 0.0005)))
                } else {
                    _ = cond.wait(until: Date().addingTimeInterval(1))
                }
            }
        }
    }

    private func isStopping() -> Bool { cond.withLock { stopping } }

    /// One batch to the end: the request (retried whole by the client), then items retried alone on 429/5xx.
    private func send(_ first: BulkBatch) {
        var batch = first
        var attempt = 0
        while true {
            let request = HTTPRequest(method: "POST", path: "/_bulk",
                headers: [("Content-Type", "application/x-ndjson")], body: batch.body)
            let verdicts: [BulkItemVerdict]
            do {
                let r = try client.execute(request, what: "Bulk request of \(batch.items.count) records",
                    shouldStop: isStopping)
                guard r.status == 200 else {
                    throw ConnectError(.connect,
                        "Bulk request of \(batch.items.count) records failed: HTTP \(r.status): \(ElasticsearchErrors.reason(r.body))")
                }
                verdicts = BulkResult.hasNoErrors(r.body)
                    ? Array(repeating: .done, count: batch.items.count) : try BulkResult.verdicts(r.body, items: batch.items)
            } catch {
                if isStopping() { return }  // not settled: read again after the restart
                fail(error as? ConnectError ?? ConnectError(.connect, "Bulk request failed: \(error)"))
                return
            }
            var retry: [Int] = []
            var retryReason = ""
            cond.withLock {
                for (i, v) in verdicts.enumerated() {
                    let it = batch.items[i]
                    func report(_ m: String, continues: Bool, warn: Bool) {
                        reports.append(PendingReport(token: it.token, topic: it.topic, id: it.id,
                            source: batch.source(i), message: m, continues: continues, warn: warn))
                    }
                    switch v {
                    case .done: tracker.markDone(it.token)
                    case .retry(let m): retry.append(i); retryReason = m
                    case .conflict(let m): report(m, continues: true, warn: true)
                    case .malformed(let m):
                        report(m, continues: config.malformedBehavior != .fail, warn: config.malformedBehavior != .ignore)
                    case .failed(let m): report(m, continues: false, warn: true)
                    }
                }
                cond.broadcast()
            }
            if retry.isEmpty { return }
            if attempt >= config.maxRetries || isStopping() {
                cond.withLock {
                    for i in retry {
                        let it = batch.items[i]
                        reports.append(PendingReport(token: it.token, topic: it.topic, id: it.id, source: batch.source(i),
                            message: "\(retryReason) (after \(attempt + 1) attempts)", continues: false, warn: true))
                    }
                    cond.broadcast()
                }
                return
            }
            let wait = ElasticsearchClient.backoffMs(attempt: attempt, base: config.retryBackoffMs)
            logger.warning("\(retry.count) of \(batch.items.count) bulk items were refused (\(retryReason)); retrying them in \(wait) ms")
            ElasticsearchClient.sleep(ms: wait, shouldStop: isStopping)
            attempt += 1
            batch = batch.subset(retry)
        }
    }
}
