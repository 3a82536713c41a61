import Foundation
import Logging
import SluiceAPI

/// Writes records to Elasticsearch/OpenSearch indices through `_bulk` (`ElasticsearchSinkTask`).
///
/// `put` converts records into bulk lines and hands them to the `BulkProcessor`, which sends them asynchronously;
/// `preCommit` returns per partition only the offsets whose every record was acknowledged (or deliberately settled),
/// so the runtime never commits what the cluster does not hold. Records are tracked by their original Kafka
/// coordinates, so topic-renaming SMTs (RegexRouter, TimestampRouter) work without `flush.synchronously`.
public final class ElasticsearchSinkTask: SinkTask, @unchecked Sendable {
    private let lock = NSLock()
    private var context: (any SinkTaskContext)?
    private var logger = Logger(label: "sluice.elasticsearch.sink")
    private var config: ElasticsearchSinkConfig?
    private var client: ElasticsearchClient?
    private var processor: BulkProcessor?
    private var indices: IndexManager?
    private var converter: RecordConverter?
    /// Whether failed records go to the errant record reporter: only with a dead letter queue or error log, as Kafka
    /// Connect hands the original a reporter only then.
    private var reportingEnabled = false
    private var stopped = false

    public init() {}

    public func initialize(context: any SinkTaskContext) {
        lock.withLock {
            self.context = context
            logger = context.logger
        }
    }

    public func start(_ props: [String: String]) throws {
        let c = try ElasticsearchSinkConfig(props)
        try lock.withLock {
            let client = try ElasticsearchClient(config: c, logger: logger)
            let p = BulkProcessor(config: c, client: client, logger: logger)
            let ctx = context
            p.onProgress = { ctx?.requestCommit() }
            config = c
            self.client = client
            processor = p
            indices = IndexManager(config: c, client: client, logger: logger)
            converter = RecordConverter(config: c)
            reportingEnabled = !(props["errors.deadletterqueue.topic.name"] ?? "").isEmpty
                || (props["errors.log.enable"] ?? "false").lowercased() == "true"
            p.start()
            logger.info(
                "Elasticsearch sink task started: \(client.nodes.map(\.display).joined(separator: ",")), write.method=\(c.writeMethod.rawValue), batch.size=\(c.batchSize), max.in.flight.requests=\(c.maxInFlight)")
        }
    }

    public func put(_ records: [SinkRecord]) throws {
        try lock.withLock { try putLocked(records) }
    }

    private func isStopped() -> Bool { stopped }

    private func putLocked(_ records: [SinkRecord]) throws {
        guard let config, let processor, let indices, let converter else {
            throw ConnectError(.connect, "Elasticsearch sink task put before start")
        }
        try drainReports()
        if records.isEmpty { return }
        var w = JSONWriter(capacity: records.count * 200)
        var entries: [BulkProcessor.Entry] = []
        entries.reserveCapacity(records.count)
        for r in records {
            let tp = TopicPartition(r.originalTopic, r.originalKafkaPartition)
            let index = config.resourceName(for: r.topic)
            try indices.ensure(index, for: r, shouldStop: { false })
            let start = w.bytes.count
            do {
                switch try converter.append(r, index: index, to: &w) {
                case .skip(let reason):
                    if config.nullBehavior == .delete { logger.warning("\(reason) (\(r.topic)/\(r.kafkaPartition ?? 0)/\(r.kafkaOffset))") }
                    if reportingEnabled { reportQuietly(r, ConnectError(.connect, reason)) }
                    entries.append(.skip(tp, offset: r.originalKafkaOffset))
                case .item(let sourceOffset, let versioned, let id):
                    let info = BulkItemInfo(token: OffsetTracker.Token(partition: tp, generation: 0, seq: 0),
                        range: start..<w.bytes.count, sourceStart: sourceOffset, externallyVersioned: versioned,
                        isDataStream: config.isDataStream, topic: r.topic, id: id)
                    entries.append(.item(tp, offset: r.originalKafkaOffset, info))
                }
            } catch let e as ConnectError where e.code == .dataException {
                w.bytes.removeSubrange(start...)
                if config.dropInvalidMessage {
                    logger.error("Can't convert \(r.topic)/\(r.kafkaPartition ?? 0)/\(r.kafkaOffset): \(e.message)")
                    if reportingEnabled { reportQuietly(r, e) }
                    entries.append(.skip(tp, offset: r.originalKafkaOffset))
                } else {
                    if reportingEnabled { try context?.errantRecordReporter?.report(r, error: e) }
                    throw e
                }
            }
        }
        try processor.add(entries, body: w.bytes)
    }

    /// Reports a record the connector was told to skip; a reporter that refuses (errors.tolerance=none) does not
    /// override the skip the user configured.
    private func reportQuietly(_ r: SinkRecord, _ e: any Error) {
        do { try context?.errantRecordReporter?.report(r, error: e) } catch {
            logger.warning("Skipped \(r.topic)/\(r.kafkaPartition ?? 0)/\(r.kafkaOffset): \(e)")
        }
    }

    /// Makes the reports the sender threads queued (dead letter queue), settling or failing each; throws the
    /// failure that ends the task.
    private func drainReports() throws {
        guard let processor else { return }
        let (reports, failure) = processor.takeReports()
        for r in reports {
            let error = ConnectError(.connect, "Indexing failed: \(r.message)")
            var reported = false
            if reportingEnabled, let reporter = context?.errantRecordReporter {
                do {
                    if let raw = reporter as? any RawErrantRecordReporter {
                        try raw.reportRaw(topic: r.topic, key: r.id.map { Array($0.utf8) }, value: r.source,
                            headers: [], error: error)
                    } else {
                        var rec = SinkRecord(topic: r.topic, partition: r.token.partition.partition, valueSchema: nil,
                            value: r.source.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null, kafkaOffset: 0)
                        rec.key = r.id.map { .string($0) } ?? .null
                        try reporter.report(rec, error: error)
                    }
                    reported = true
                } catch {
                    if !r.continues { processor.fail(error as? ConnectError ?? ConnectError(.connect, "\(error)")) }
                }
            }
            if r.continues {
                if r.warn {
                    logger.warning("Ignoring a document of topic \(r.topic) (id \(r.id ?? "auto")): \(r.message)")
                } else {
                    logger.debug("Ignoring a document of topic \(r.topic) (id \(r.id ?? "auto")): \(r.message)")
                }
                processor.settle(r.token)
            } else {
                let suffix = reported ? " Please check DLQ topic for errors." : ""
                processor.fail(ConnectError(.connect,
                    "Indexing record failed: \(r.message) (topic \(r.topic), id \(r.id ?? "auto")).\(suffix)"))
            }
        }
        if let failure = processor.takeReports().1 ?? failure { throw failure }
    }

    public func flush(_ currentOffsets: [TopicPartition: Int64]) throws {
        try lock.withLock {
            guard let processor else { return }
            try processor.flush(drain: drainReports)
        }
    }

    /// Only acknowledged offsets (or, with `flush.synchronously`, everything once nothing is buffered).
    public func preCommit(_ currentOffsets: [TopicPartition: Int64]) throws -> [TopicPartition: Int64] {
        try lock.withLock {
            guard let processor, let config else { return [:] }
            if config.flushSynchronously {
                try processor.flush(drain: drainReports)
                return currentOffsets
            }
            try drainReports()
            let safe = processor.safeOffsets
            var out: [TopicPartition: Int64] = [:]
            for (tp, next) in currentOffsets { if let s = safe[tp] { out[tp] = min(s, next) } }
            return out
        }
    }

    public func close(_ partitions: [TopicPartition]) throws {
        lock.withLock { processor?.drop(partitions) }
    }

    public func stop() {
        lock.withLock {
            stopped = true
            processor?.stop()
            processor = nil
        }
    }
}
