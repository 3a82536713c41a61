import Foundation
import Logging
import SluiceAPI
import Synchronization

/// Runs one source task: poll → transform → convert → produce, and commits source offsets only for records Kafka
/// acknowledged, durably, before telling the task (`commit()`) so it may release upstream state.
///
/// Two threads: the task thread polls, converts, produces and serves delivery reports between batches; a
/// `DeliveryReportPoller` serves them (acknowledgements, `commitRecord`) and commits offsets when the task thread
/// has not for a few milliseconds — a poll that blocks never delays them. State both touch — `SubmittedRecords`,
/// the failure slot, the commit — is locked.
final class WorkerSourceTask: WorkerTask, @unchecked Sendable {
    let task: any SourceTask
    let props: [String: String]
    let connectorConfig: [String: String]
    let converters: ConverterSet
    let chain: TransformationChain
    let errors: ErrorHandler
    let offsetStore: any OffsetStore
    let producerFactory: () throws -> any KafkaSender
    let topicCreator: ((String) throws -> Void)?
    let activeTopics: ActiveTopics
    private var knownTopics = Set<String>()
    let flushIntervalMs: Int64
    let flushTimeoutMs: Int64
    let metrics: TaskMetrics
    private let submitted = SubmittedRecords()
    private var producer: (any KafkaSender)?
    /// Guards `_producerFailure` and serializes `commitOffsets` (task thread and poller thread).
    private let stateLock = NSLock()
    private let commitLock = NSLock()
    private var _producerFailure: (any Error)?
    private var lastCommit = nowMs()
    private var poller: DeliveryReportPoller?
    /// When the task thread last served delivery reports (ms); the poller serves them when this gets old.
    private let lastServedMs = Atomic<Int64>(0)

    /// A failed delivery or a failed background offset commit: the task thread throws it at its next check.
    private var producerFailure: (any Error)? {
        stateLock.lock()
        defer { stateLock.unlock() }
        return _producerFailure
    }

    private func recordFailure(_ e: any Error) {
        stateLock.lock()
        if _producerFailure == nil { _producerFailure = e }
        stateLock.unlock()
    }
    private lazy var throughput = ThroughputLog(label: "Source task \(id)")
    /// Set by the worker on the embedded Kafka: holds sends back while local sinks of the topic lag (see
    /// `EmbeddedRetentionGuard`).
    var retention: EmbeddedRetentionGuard.SourceHook?

    init(id: ConnectorTaskId, task: any SourceTask, props: [String: String], connectorConfig: [String: String],
         converters: ConverterSet, chain: TransformationChain, errors: ErrorHandler, offsetStore: any OffsetStore,
         producerFactory: @escaping () throws -> any KafkaSender, topicCreator: ((String) throws -> Void)?, activeTopics: ActiveTopics, worker: WorkerConfig, metrics: TaskMetrics,
         initialState: TargetState, logger: Logger, statusListener: any TaskStatusListener) {
        self.task = task
        self.props = props
        self.connectorConfig = connectorConfig
        self.converters = converters
        self.chain = chain
        self.errors = errors
        self.offsetStore = offsetStore
        self.producerFactory = producerFactory
        self.topicCreator = topicCreator
        self.activeTopics = activeTopics
        self.flushIntervalMs = worker.offsetFlushIntervalMs
        self.flushTimeoutMs = worker.offsetFlushTimeoutMs
        self.metrics = metrics
        super.init(id: id, initialState: initialState, logger: logger, statusListener: statusListener)
    }

    override func interrupt() { task.stop() }

    override func run() {
        var failure: (any Error)?
        var started = false
        do {
            let p = try producerFactory()
            producer = p
            p.onRecordAcks = { [weak self] acks in self?.recordsAcknowledged(acks) }
            p.onRecordFailure = { [weak self] failure in self?.recordFailed(failure) }
            errors.dlqWriter = { [weak self] msg in try self?.sendDLQ(msg) }
            let reporter = RuntimeErrantRecordReporter(handler: errors, stage: .taskPoll) { [converters] r in
                ErrorContext(topic: r.topic, key: try? converters.key.fromConnectData(topic: r.topic, headers: nil, schema: r.keySchema, value: r.key),
                             value: try? converters.value.fromConnectData(topic: r.topic, headers: nil, schema: r.valueSchema, value: r.value),
                             recordDescription: "\(r.value)")
            }
            task.initialize(context: RuntimeSourceTaskContext(
                configs: props, offsetStorageReader: StoreOffsetReader(store: offsetStore, connector: id.connector),
                errantRecordReporter: reporter, logger: logger,
                stateStore: StoreTaskState(store: offsetStore, connector: id.connector)))
            try task.start(props)
            started = true
            startPoller()
            statusListener.onTaskStatus(self, .running, trace: nil)
            logger.info("Source task \(id) started")
            try loop(p)
        } catch {
            failure = error
        }
        // Shutdown: wait for acknowledgements, persist what was acknowledged, then release the task.
        poller?.stop()
        poller = nil
        if let p = producer {
            _ = p.flush(timeoutMs: Int(flushTimeoutMs))
            do { try commitOffsets() } catch { if failure == nil { failure = error } }
            p.close()
            producer = nil  // destroy the client now, not whenever this task object goes away
        }
        if started { task.stop() }
        if let failure {
            logger.error("Source task \(id) failed: \(WorkerTask.trace(failure))")
            statusListener.onTaskStatus(self, .failed, trace: WorkerTask.trace(failure))
        } else {
            statusListener.onTaskStatus(self, .unassigned, trace: nil)
            logger.info("Source task \(id) stopped")
        }
    }

    /// Polls the task for the next batch while the task thread sends the current one (see `loop`).
    private lazy var prefetch = BackgroundJob<[SourceRecord]>(name: "source-poll-\(id.connector)-\(id.task)",
        kernelRole: "P", kernelId: "\(id)")

    /// While a source is busy (its last poll returned records), its next `poll` runs on a helper thread as the task
    /// thread transforms, converts and sends the batch before it: reading a file or a table then overlaps with
    /// handing records on, instead of alternating with it on one core. Calls to `poll` stay one at a time and in
    /// order, and no record is sent before the ones polled earlier. An idle source polls on the task thread. A
    /// batch polled ahead when the task stops is never sent, so its offsets are not committed (read again later);
    /// one polled ahead when the task pauses is sent after resume.
    private func loop(_ p: any KafkaSender) throws {
        var ahead = false
        defer {
            // A poll still running ahead finishes before the task is stopped and released; its records are dropped.
            if ahead { _ = try? prefetch.result() }
            prefetch.close()
        }
        while !isStopping {
            if !awaitUnpaused(onPause: { _ = p.flush(timeoutMs: Int(flushTimeoutMs)); try? commitOffsets() }) { break }
            let records = ahead ? try prefetch.result() : try task.poll()
            ahead = false
            if let f = producerFailure { throw f }
            if records.isEmpty {
                p.poll(timeoutMs: 5)
            } else {
                if !isStopping && targetState != .paused {
                    try prefetch.submit { [task] in try task.poll() }
                    ahead = true
                }
                metrics.recordsPolled.increment(by: Int64(records.count))
                throughput.add(records.count)
                for i in records.indices {
                    try send(records[i], p)  // borrowed from the array, not copied
                    if isStopping { break }
                }
                try sendPending(p)
                p.poll(timeoutMs: 0)
            }
            lastServedMs.store(nowMs(), ordering: .relaxed)
            if let f = producerFailure { throw f }
            if commitDue { try commitOffsets() }
            throughput.maybeLog(logger) { [retention] elapsed in
                guard let held = retention?.takeHeldNs() else { return "" }
                return ", held back by the embedded retention guard \(held * 100 / max(elapsed, 1)) % of the time"
            }
        }
    }

    /// The dead letter queue's view of a failed record: the original in the connector's format when it converts,
    /// else its text (Kafka Connect has no source DLQ at all). Only built when an error is handled.
    private func errorContext(_ record: SourceRecord) -> ErrorContext {
        ErrorContext(
            topic: record.topic,
            key: (try? converters.key.fromConnectData(topic: record.topic, headers: nil, schema: record.keySchema, value: record.key)) ?? nil,
            value: ((try? converters.value.fromConnectData(topic: record.topic, headers: nil, schema: record.valueSchema, value: record.value)) ?? nil)
                ?? Array("\(record.value)".utf8),
            recordDescription: "\(record.value)")
    }

    private func send(_ record: SourceRecord, _ p: any KafkaSender) throws {
        let entry = submitted.submit(partition: record.sourcePartition, offset: record.sourceOffset)
        if chain.isEmpty {
            // No transforms: no error-handling wrapper, and the record is passed on without being copied.
            try deliver(record, original: record, entry, p)
            return
        }
        guard let maybe = try errors.execute(.transformation, errorContext(record), isStopping: { isStopping }, { try chain.apply(record) }),
              let transformed = maybe
        else {
            submitted.ack(entry)
            try? task.commitRecord(record, metadata: nil)
            return
        }
        try deliver(transformed, original: record, entry, p)
    }

    /// Converts a (transformed) record and hands it to the producer; its acknowledgement acks `entry` and reports
    /// `record` (the task's original) to `commitRecord`.
    private func deliver(_ r: SourceRecord, original record: SourceRecord, _ entry: SubmittedRecords.Entry, _ p: any KafkaSender) throws {
        let msg: OutgoingMessage
        if p.carriesRecords {
            // Direct pipeline: the sinks take the record as it is; no converter runs on either side.
            msg = OutgoingMessage(topic: r.topic, partition: r.kafkaPartition, key: nil, value: nil, timestamp: r.timestamp, record: r)
        } else {
            guard let keyBytes = try errors.execute(.keyConverter, errorContext(record), { try converters.key.fromConnectData(topic: r.topic, headers: r.headers, schema: r.keySchema, value: r.key) }),
                  let valueBytes = try errors.execute(.valueConverter, errorContext(record), { try converters.value.fromConnectData(topic: r.topic, headers: r.headers, schema: r.valueSchema, value: r.value) }),
                  let headers = try errors.execute(.headerConverter, errorContext(record), { try convertHeaders(r) })
            else {
                submitted.ack(entry)
                return
            }
            msg = OutgoingMessage(topic: r.topic, partition: r.kafkaPartition, key: keyBytes, value: valueBytes, headers: headers, timestamp: r.timestamp)
        }
        if !knownTopics.contains(r.topic) {
            if let topicCreator {
                try topicCreator(r.topic)
                logger.info("Created topic \(r.topic) (or it already existed) with the connector's topic.creation.default settings")
            }
            knownTopics.insert(r.topic)
            activeTopics.record(id.connector, r.topic)
        }
        // Sent with the rest of the poll (`sendPending`): the embedded Kafka's retention guard admits a chunk at a
        // time, and the sender takes them without a closure per record.
        let bytes = retention == nil ? 0 : EmbeddedRetentionGuard.SourceHook.size(msg)
        pending.append((msg, SourceReceipt(submitted: entry, record: record, bytes: bytes)))
    }

    /// Records of the current poll converted and not yet handed to the sender. Task thread only.
    private var pending: [SourceSend] = []

    /// Hands the poll's records to the sender. With the embedded Kafka's retention guard, in chunks of one topic,
    /// each admitted as a whole: one admission per chunk instead of per record, and a source released after a
    /// wait sends a chunk at once (large producer batches, which the embedded broker returns one per partition per
    /// fetch). A stop while held back or while the sender is full leaves the rest unsent and unacknowledged, so
    /// their offsets are not committed (sent again later).
    private func sendPending(_ p: any KafkaSender) throws {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        guard let retention else {
            var sent = 0
            try sendAll(pending[...], p, sent: &sent)
            return
        }
        var start = 0
        while start < pending.count {
            let topic = pending[start].message.topic
            var end = start, bytes: Int64 = 0
            while end < pending.count, pending[end].message.topic == topic,
                  end == start || (bytes + pending[end].receipt.bytes <= retention.chunkBytes && Int64(end - start) < retention.chunkRecords) {
                bytes += pending[end].receipt.bytes
                end += 1
            }
            let served: () -> Void = { [self] in
                p.poll(timeoutMs: 0)
                lastServedMs.store(nowMs(), ordering: .relaxed)
            }
            guard retention.awaitRoom(topic: topic, bytes: bytes, records: Int64(end - start), isStopping: { isStopping }, serve: served) else { return }
            var sent = start
            // Reserved but never handed over (stopping, or refused): released here; the sender reports the others.
            defer { for j in sent..<end { retention.failed(topic: topic, bytes: pending[j].receipt.bytes) } }
            try sendAll(pending[start..<end], p, sent: &sent)
            if sent < end { return }
            // Acknowledgements of earlier chunks: until served they count against every partition of the topic.
            served()
            start = end
        }
    }

    /// Sends `batch` in as few calls as the sender's space allows; a full sender waits, serving acknowledgements
    /// (back-pressure). `sent` (from `batch.startIndex`) ends where sending stopped: `batch.endIndex` unless the
    /// task is stopping or a record was refused (thrown).
    private func sendAll(_ batch: ArraySlice<SourceSend>, _ p: any KafkaSender, sent: inout Int) throws {
        sent = batch.startIndex
        while true {
            sent += try p.sendRecords(batch[sent...])
            if sent == batch.endIndex || isStopping { return }
            p.poll(timeoutMs: 100)
            lastServedMs.store(nowMs(), ordering: .relaxed)
            if let f = producerFailure { throw f }
        }
    }

    /// Acknowledgements of records sent with `sendRecords` (Kafka stored them, or on a direct pipeline every sink
    /// of their topic committed them), in a batch, on the thread that served them.
    private func recordsAcknowledged(_ acks: [SourceRecordAck]) {
        metrics.recordsWritten.increment(by: Int64(acks.count))
        retention?.acked(acks)
        submitted.ack(acks.lazy.map(\.receipt.submitted))
        for a in acks { try? task.commitRecord(a.record, metadata: a.metadata) }
    }

    /// A record Kafka did not take: the task fails, as Kafka Connect's does on a failed send callback.
    private func recordFailed(_ f: SourceRecordFailure) {
        retention?.failed(topic: f.topic, bytes: f.receipt.bytes)
        recordFailure(ConnectError(.connect, "Unrecoverable exception from producer send callback for topic \(f.topic): \(f.error)", underlying: ErrorBox(f.error)))
    }

    /// The previous record's headers, position by position, with their converted bytes: sources repeat most
    /// headers record after record in the same order (SpoolDir's seven `file.*` headers change once per file), so a
    /// header whose key, schema and value equal the previous record's at the same position reuses its bytes.
    /// Comparing by position avoids hashing every key of every record; equal strings sharing storage compare in O(1).
    private var lastHeaders: [Header] = []
    private var lastHeaderOut: [(String, [UInt8]?)] = []

    private func convertHeaders(_ r: SourceRecord) throws -> [(String, [UInt8]?)] {
        let items = r.headers  // indexed in place: `.items` would join a shared base and own headers into a new array
        if items.isEmpty { return [] }
        if items.count != lastHeaders.count {
            lastHeaders = []
            lastHeaderOut = []
            lastHeaders.reserveCapacity(items.count)
            lastHeaderOut.reserveCapacity(items.count)
            for h in items {
                lastHeaders.append(h)
                lastHeaderOut.append((h.key, try converters.header.fromConnectHeader(topic: r.topic, headerKey: h.key, schema: h.schema, value: h.value)))
            }
            return lastHeaderOut
        }
        for i in 0..<items.count {
            let h = items[i]
            let cached = lastHeaders[i]
            if cached.key == h.key, cached.schema === h.schema, cached.value == h.value { continue }
            let bytes = try converters.header.fromConnectHeader(topic: r.topic, headerKey: h.key, schema: h.schema, value: h.value)
            lastHeaders[i] = h
            lastHeaderOut[i] = (h.key, bytes)
        }
        return lastHeaderOut
    }

    private func sendDLQ(_ msg: OutgoingMessage) throws {
        guard let p = producer else { return }
        try p.send(msg) { _ in }
    }

    /// Starts serving delivery reports and periodic offset commits on their own thread.
    private func startPoller() {
        let poller = DeliveryReportPoller(
            name: "acks-\(id)", kernelId: "\(id)",
            serve: { [self] in
                // Only while the task thread is away (blocked in poll, or a long batch): under load it serves its
                // own reports between batches.
                if nowMs() - lastServedMs.load(ordering: .relaxed) >= 10 { producer?.poll(timeoutMs: 0) }
            },
            tick: { [self] in
                guard producerFailure == nil, commitDue else { return }
                do { try commitOffsets() } catch { recordFailure(error) }
            })
        self.poller = poller
        poller.start()
    }

    private var commitDue: Bool {
        commitLock.lock()
        defer { commitLock.unlock() }
        return nowMs() - lastCommit >= flushIntervalMs
    }

    /// Persists the offsets of acknowledged records, then lets the task release upstream state. Called from the
    /// poller thread when due, and from the task thread on pause and shutdown; never concurrently.
    func commitOffsets() throws {
        commitLock.lock()
        defer { commitLock.unlock() }
        lastCommit = nowMs()
        let entries = submitted.takeCommittable()
        if entries.isEmpty { return }
        let start = ContinuousClock.now
        try offsetStore.write(connector: id.connector, entries)
        metrics.offsetCommitSeconds.record(ContinuousClock.now - start)
        metrics.offsetCommits.increment()
        try task.commit()
    }
}
