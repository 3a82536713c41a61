import Foundation
import Logging
import SluiceAPI

/// Runs one sink task: consume → convert → transform → put, committing consumer offsets only after `put` (and
/// `preCommit`) returned, i.e. after the external system made the batch durable. A crash repeats at most the
/// batch in flight.
final class WorkerSinkTask: WorkerTask, RebalanceListener, @unchecked Sendable {
    let task: any SinkTask
    let props: [String: String]
    let connectorConfig: [String: String]
    let converters: ConverterSet
    let chain: TransformationChain
    let errors: ErrorHandler
    let receiverFactory: (any RebalanceListener) throws -> any KafkaReceiver
    let dlqFactory: () throws -> any KafkaSender
    let activeTopics: ActiveTopics
    let metrics: TaskMetrics
    let maxPollRecords: Int
    private var receiver: (any KafkaReceiver)?
    private var dlqProducer: (any KafkaSender)?
    /// Set in `run` before the consumer exists, so every rebalance callback sees it; optional rather than
    /// force-unwrapped because the callbacks and `deliver` must never trap on it.
    private var context: RuntimeSinkTaskContext?
    /// Next offset to read per partition, for every record handed to put (or deliberately skipped).
    private var current: [TopicPartition: Int64] = [:]
    private var committed: [TopicPartition: Int64] = [:]
    private lazy var throughput = ThroughputLog(label: "Sink task \(id)")
    private var times = SinkLoopTimes()
    /// Set by the worker: reports records Kafka dropped before this task read them (policy `log` / `fail`).
    var lossMonitor: SinkOffsetLossMonitor?
    /// Set by the worker on the embedded Kafka: tells local sources what this task committed.
    var retention: EmbeddedRetentionGuard.SinkHook?

    init(id: ConnectorTaskId, task: any SinkTask, props: [String: String], connectorConfig: [String: String],
         converters: ConverterSet, chain: TransformationChain, errors: ErrorHandler,
         receiverFactory: @escaping (any RebalanceListener) throws -> any KafkaReceiver,
         dlqFactory: @escaping () throws -> any KafkaSender, activeTopics: ActiveTopics, maxPollRecords: Int, metrics: TaskMetrics, initialState: TargetState,
         logger: Logger, statusListener: any TaskStatusListener) {
        self.task = task
        self.props = props
        self.connectorConfig = connectorConfig
        self.converters = converters
        self.chain = chain
        self.errors = errors
        self.receiverFactory = receiverFactory
        self.dlqFactory = dlqFactory
        self.activeTopics = activeTopics
        self.metrics = metrics
        self.maxPollRecords = maxPollRecords
        super.init(id: id, initialState: initialState, logger: logger, statusListener: statusListener)
    }

    override func interrupt() {}

    override func run() {
        var failure: (any Error)?
        var started = false
        do {
            errors.dlqWriter = { [weak self] msg in try self?.sendDLQ(msg) }
            let reporter = RuntimeErrantRecordReporter(handler: errors, stage: .taskPut) { r in
                var c = ErrorContext(topic: r.topic, partition: r.kafkaPartition, recordDescription: "\(r.value)")
                if let s = r as? SinkRecord {
                    c.topic = s.originalTopic
                    c.partition = s.originalKafkaPartition
                    c.offset = s.originalKafkaOffset
                    c.key = self.rawKeys[SinkCoordinates(s)]?.0
                    c.value = self.rawKeys[SinkCoordinates(s)]?.1
                }
                return c
            }
            let context = RuntimeSinkTaskContext(configs: props, logger: logger, reporter: reporter)
            self.context = context
            task.initialize(context: context)
            try task.start(props)
            started = true
            let r = try receiverFactory(self)
            receiver = r
            let topics = (connectorConfig["topics"] ?? "").split(separator: ",").map { String($0).trimmedWS }.filter { !$0.isEmpty }
            if topics.isEmpty, let regex = connectorConfig["topics.regex"], !regex.isEmpty {
                try r.subscribe(pattern: regex.hasPrefix("^") ? regex : "^" + regex)
            } else {
                try r.subscribe(topics: topics)
            }
            retention?.started()
            statusListener.onTaskStatus(self, .running, trace: nil)
            logger.info("Sink task \(id) started, topics: \(connectorConfig["topics"] ?? connectorConfig["topics.regex"] ?? "")")
            try loop(r, context)
        } catch {
            failure = error
        }
        if let r = receiver {
            if failure == nil { try? commit(sync: true) }
            if started { try? task.close(r.assignment) }
            r.close()
            receiver = nil
        }
        retention?.stopped()
        if started { task.stop() }
        dlqProducer.map { _ = $0.flush(timeoutMs: 5000); $0.close() }
        dlqProducer = nil
        if let failure {
            logger.error("Sink task \(id) failed: \(WorkerTask.trace(failure))")
            statusListener.onTaskStatus(self, .failed, trace: WorkerTask.trace(failure))
        } else {
            statusListener.onTaskStatus(self, .unassigned, trace: nil)
            logger.info("Sink task \(id) stopped")
        }
    }

    /// Raw bytes of the records of the batch being put, so errors reported by the task can dead-letter the original.
    private var rawKeys: [SinkCoordinates: ([UInt8]?, [UInt8]?)] = [:]
    /// Converts the next batch on a helper thread while this thread puts the previous one (see `BackgroundJob`).
    private lazy var converter = BackgroundJob<ConvertedBatch>(name: "sink-convert-\(id.connector)-\(id.task)",
        kernelRole: "C", kernelId: "\(id)")
    /// A batch converted and not yet put. Touched only on the task thread (the rebalance callbacks run inside `poll`).
    private var pending: ConvertedBatch?
    /// Used by the converting thread only.
    private var seenTopics = Set<String>()

    /// Polls batch N+1 and starts converting it, puts batch N meanwhile, then waits for N+1's conversion. Records
    /// reach `put` in the order they were consumed, offsets are committed only for batches `put` returned from, and
    /// at most one converted batch waits; a normal stop still puts it, so nothing already consumed is read twice.
    private func loop(_ r: any KafkaReceiver, _ context: RuntimeSinkTaskContext) throws {
        defer { converter.close() }
        while !isStopping {
            if targetState == .paused {
                try deliverPending()
                try whilePaused(r)
                continue
            }
            let resets = context.takeResets()
            if !resets.isEmpty {
                // Converted records of a partition the task rewound are stale: it is read again from the new offset.
                pending?.drop(Set(resets.keys))
                for (tp, off) in resets {
                    try r.seek(tp, to: off)
                    current[tp] = off
                }
            }
            let polled = try times.time(.poll) { try r.pollBatch(maxMessages: maxPollRecords, timeoutMs: pending == nil ? 500 : 0) }
            try lossMonitor?.check()
            if !polled.isEmpty {
                metrics.recordsRead.increment(by: Int64(polled.count))
                throughput.add(polled.count)
                try converter.submit { [self] in try convertBatch(polled.messages()) }
            }
            do {
                try deliverPending()
            } catch {
                if converter.isBusy { _ = try? converter.result() }
                throw error
            }
            if polled.isEmpty {
                if context.takeCommitRequest() { try commit(sync: false) }
            } else {
                pending = try times.time(.convertWait) { try converter.result() }
            }
            throughput.maybeLog(logger) { times.summary(over: $0) }
        }
        try deliverPending()
    }

    /// Like Kafka's WorkerSinkTask, a paused task keeps polling with its partitions paused. The consumer stays in its
    /// group (librdkafka evicts a member that does not poll for `max.poll.interval.ms`) and rebalances are handled
    /// as they come instead of piling up in the consumer queue until `close`. A partition assigned since the last
    /// `pause` call can still hand over records: it is rewound to the first of them, so they are put after resume.
    private func whilePaused(_ r: any KafkaReceiver) throws {
        try? commit(sync: true)
        statusListener.onTaskStatus(self, .paused, trace: nil)
        while targetState == .paused && !isStopping {
            r.pause(r.assignment)
            let polled = try r.pollBatch(maxMessages: maxPollRecords, timeoutMs: 200)
            if polled.isEmpty { continue }
            var first: [TopicPartition: Int64] = [:]
            for m in polled.messages() {
                let tp = TopicPartition(m.topic, m.partition)
                first[tp] = min(first[tp] ?? m.offset, m.offset)
            }
            for (tp, offset) in first { try r.seek(tp, to: offset) }
        }
        if isStopping { return }
        r.resume(r.assignment)
        statusListener.onTaskStatus(self, .running, trace: nil)
    }

    /// Puts the converted batch waiting, if any, then records its offsets as processed and commits them.
    private func deliverPending() throws {
        guard let batch = pending else { return }
        pending = nil
        rawKeys = batch.raw
        try times.time(.put) { try deliver(batch.records) }
        rawKeys.removeAll(keepingCapacity: true)
        for (tp, next) in batch.nextOffsets { current[tp] = next }
        try times.time(.commit) { try commit(sync: false) }
    }

    /// Converts one poll's messages (on the converting thread): converters, header converter, transforms.
    private func convertBatch(_ messages: [IncomingMessage]) throws -> ConvertedBatch {
        var batch = ConvertedBatch()
        batch.records.reserveCapacity(messages.count)
        let keepRaw = errors.dlqTopic != nil
        var lastTopic = "", lastPartition: Int32 = -1, lastOffset: Int64 = -1
        for m in messages {
            if m.partition != lastPartition || m.topic != lastTopic {
                if lastPartition >= 0 { batch.nextOffsets[TopicPartition(lastTopic, lastPartition)] = lastOffset + 1 }
                if !seenTopics.contains(m.topic) {
                    seenTopics.insert(m.topic)
                    activeTopics.record(id.connector, m.topic)
                }
                lastTopic = m.topic
                lastPartition = m.partition
            }
            lastOffset = m.offset
            if let rec = try convert(m) {
                if keepRaw { batch.raw[SinkCoordinates(rec)] = rawBytes(m) }
                batch.records.append(rec)
            }
        }
        if lastPartition >= 0 { batch.nextOffsets[TopicPartition(lastTopic, lastPartition)] = lastOffset + 1 }
        return batch
    }

    private func convert(_ m: IncomingMessage) throws -> SinkRecord? {
        if let r = m.record { return try convertDirect(m, r) }
        let ctx = { ErrorContext(topic: m.topic, partition: m.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers) }
        guard let key = try errors.execute(.keyConverter, ctx(), { try converters.key.toConnectData(topic: m.topic, headers: nil, value: m.key) }),
              let value = try errors.execute(.valueConverter, ctx(), { try converters.value.toConnectData(topic: m.topic, headers: nil, value: m.value) }),
              let headers = skipsHeaders ? Headers() : try errors.execute(.headerConverter, ctx(), { try convertHeaders(m) })
        else { return nil }
        let rec = SinkRecord(topic: m.topic, partition: m.partition, keySchema: key.schema, key: key.value,
                             valueSchema: value.schema, value: value.value, kafkaOffset: m.offset,
                             timestamp: m.timestamp, timestampType: m.timestampType, headers: headers)
        guard let transformed = try errors.execute(.transformation, ctx(), { try chain.apply(rec) }) else { return nil }
        return transformed
    }

    /// Direct pipelines: the source's record becomes the sink record as it is (no converters); only the sink's
    /// transforms run. A failure's dead letter copy is the record in this connector's converter format.
    private func convertDirect(_ m: IncomingMessage, _ r: SourceRecord) throws -> SinkRecord? {
        let rec = SinkRecord(topic: m.topic, partition: m.partition, keySchema: r.keySchema, key: r.key,
                             valueSchema: r.valueSchema, value: r.value, kafkaOffset: m.offset,
                             timestamp: m.timestamp, timestampType: m.timestampType, headers: r.headers)
        if chain.isEmpty { return rec }
        let ctx = {
            let (key, value) = self.rawBytes(m)
            return ErrorContext(topic: m.topic, partition: m.partition, offset: m.offset, key: key, value: value, recordDescription: "\(r.value)")
        }
        return try errors.execute(.transformation, ctx(), { try chain.apply(rec) }) ?? nil
    }

    /// The record's key and value bytes: as read from Kafka, or — in a direct pipeline — converted with this
    /// connector's converters, so the dead letter queue gets what Kafka would have carried.
    private func rawBytes(_ m: IncomingMessage) -> ([UInt8]?, [UInt8]?) {
        guard let r = m.record else { return (m.key, m.value) }
        return ((try? converters.key.fromConnectData(topic: m.topic, headers: nil, schema: r.keySchema, value: r.key)) ?? nil,
                (try? converters.value.fromConnectData(topic: m.topic, headers: nil, schema: r.valueSchema, value: r.value)) ?? nil)
    }

    /// Records reach `put` without headers when neither the task nor a transform reads them (`SinkTask.readsHeaders`):
    /// their conversion was a fifth of a JDBC sink's converting thread on SpoolDir records.
    private lazy var skipsHeaders = chain.isEmpty && !task.readsHeaders

    /// Repeated headers convert once (see `HeaderConversionCache`). Converting thread only.
    private var headerCache = HeaderConversionCache()

    private func convertHeaders(_ m: IncomingMessage) throws -> Headers {
        try headerCache.convert(topic: m.topic, m.headers) { k, v in
            try converters.header.toConnectHeader(topic: m.topic, headerKey: k, value: v)
        }
    }

    /// Hands a batch to the task, retrying on `RetriableException` after the task's requested timeout.
    private func deliver(_ batch: [SinkRecord]) throws {
        var attempt = 0
        while true {
            do {
                try task.put(batch)
                metrics.recordsPut.increment(by: Int64(batch.count))
                return
            } catch let e as ConnectError where e.isRetriable && !isStopping {
                attempt += 1
                metrics.retried.increment()
                let wait = context?.takeTimeout() ?? 0
                logger.warning("Sink task \(id) put failed (attempt \(attempt)), retrying in \(wait > 0 ? wait : 1000) ms: \(e.message)")
                sleep(ms: wait > 0 ? wait : 1000)
            }
        }
    }

    private func commit(sync: Bool) throws {
        guard let r = receiver, !current.isEmpty else { return }
        let start = ContinuousClock.now
        let safe = try task.preCommit(current)
        let changed = safe.filter { committed[$0.key] != $0.value }
        if changed.isEmpty { return }
        try r.commit(changed, sync: sync)
        for (k, v) in changed { committed[k] = v }
        retention?.committed(changed)
        metrics.offsetCommitSeconds.record(ContinuousClock.now - start)
        metrics.offsetCommits.increment()
    }

    /// Records are dead-lettered from the converting thread (converter and transform failures) and from the task
    /// thread (records the task reports), hence the lock.
    private let dlqLock = NSLock()

    private func sendDLQ(_ msg: OutgoingMessage) throws {
        try dlqLock.withLock {
            let producer = try dlqProducer ?? dlqFactory()
            dlqProducer = producer
            try producer.send(msg) { _ in }
            producer.poll(timeoutMs: 0)
        }
    }

    // MARK: RebalanceListener (called from inside poll on this thread)

    func offsetOutOfRange(_ event: OffsetOutOfRange) {
        if let lossMonitor { lossMonitor.record(event) } else { logger.error("Sink task \(id): \(event.skipped) records of \(event.partition) were gone before it read them") }
    }

    func partitionsAssigned(_ partitions: [TopicPartition]) {
        context?.assignment = receiver?.assignment ?? partitions
        // As Kafka Connect's consumer logs "Adding newly assigned partitions: ...".
        logger.info("Sink task \(id) was assigned \(partitions.count) partition(s): \(partitions.sorted().map(\.description).joined(separator: ", "))")
        do { try task.open(partitions) } catch { logger.error("Sink task \(id) open failed: \(error)") }
    }

    func partitionsRevoked(_ partitions: [TopicPartition]) {
        // A converted batch not yet put loses the revoked partitions' records: their next owner reads them again
        // from the offsets committed here, which cover only what was put.
        pending?.drop(Set(partitions))
        try? commit(sync: true)
        do { try task.close(partitions) } catch { logger.error("Sink task \(id) close failed: \(error)") }
        for p in partitions {
            current.removeValue(forKey: p)
            committed.removeValue(forKey: p)
        }
        context?.assignment = (receiver?.assignment ?? []).filter { !partitions.contains($0) }
    }
}
