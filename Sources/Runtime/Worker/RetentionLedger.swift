import SluiceAPI

/// The pure bookkeeping behind `EmbeddedRetentionGuard`: how much of what this worker's sources wrote to each
/// partition this worker's sinks of that topic have not consumed yet, and whether one more record may be sent.
///
/// The embedded broker keeps only the newest 5 MiB / 100,000 batches of a partition; a record is safe once every
/// local sink subscribed to its topic has committed past it (a sink restarting re-reads from its committed offset,
/// so "fetched" is not enough). A record's partition is known only from its acknowledgement, so records in flight
/// count against every partition of their topic. No I/O, no clock: the guard drives it under its lock and tests
/// drive it as a transcript.
struct RetentionLedger {
    struct Limits: Equatable, Sendable {
        var bytes: Int64
        var records: Int64
        /// What the embedded broker keeps (5 MiB / 100,000 batches per partition) minus one producer batch:
        /// the broker drops whole batches, and the batch holding a sink's committed position is only partly
        /// counted here (its records below that position are trimmed), so up to one batch — at most
        /// `maxBatchBytes`, librdkafka's `batch.size` — is stored beyond what the ledger holds. Sizes are counted
        /// uncompressed with framing and a batch's overhead per record (`EmbeddedRetentionGuard.SourceHook.size`),
        /// never less than the compressed batches the broker stores; records count for batches (a batch holds at
        /// least one).
        static func embedded(maxBatchBytes: Int64 = Limits.librdkafkaBatchSize) -> Limits {
            let brokerBytes: Int64 = 5 * 1024 * 1024
            return Limits(bytes: max(brokerBytes / 4, brokerBytes - maxBatchBytes - 64 * 1024), records: 90_000)
        }

        /// librdkafka's `batch.size` default (the worker caps embedded producers' batches at it).
        static let librdkafkaBatchSize: Int64 = 1_000_000
    }

    /// What holds a send back: the fullest partition of the topic, what is in flight, and who has not consumed it.
    struct Backlog: Equatable, Sendable {
        var partition: TopicPartition?
        var bytes: Int64
        var records: Int64
        var inFlightBytes: Int64
        var inFlightRecords: Int64
        var sinks: [String]
    }

    enum Admission: Equatable, Sendable {
        case go
        case wait(Backlog)
    }

    private struct Sink {
        var matches: @Sendable (String) -> Bool
        var tasks: Int
        var positions: [TopicPartition: Int64] = [:]
    }

    /// Acknowledged records of one partition not yet consumed by every subscribed sink, in acknowledgement order.
    /// Mutated in place through the dictionaries (`modify` accessors): a copy would make every append copy the
    /// arrays, quadratic in the backlog.
    private struct Log {
        var offsets: [Int64] = []
        var sizes: [Int64] = []
        var head = 0
        var bytes: Int64 = 0
        var records: Int64 { Int64(offsets.count - head) }

        mutating func append(_ offset: Int64, _ size: Int64) {
            offsets.append(offset)
            sizes.append(size)
            bytes += size
        }

        mutating func trim(below position: Int64) {
            while head < offsets.count, offsets[head] < position {
                bytes -= sizes[head]
                head += 1
            }
            if head == offsets.count {
                offsets.removeAll(keepingCapacity: true)
                sizes.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 4096, head * 2 > offsets.count {
                offsets.removeFirst(head)
                sizes.removeFirst(head)
                head = 0
            }
        }
    }

    let limits: Limits
    private var sinks: [String: Sink] = [:]
    private var logs: [String: [Int32: Log]] = [:]
    private var inFlight: [String: (bytes: Int64, records: Int64)] = [:]
    private var subscribersCache: [String: [String]] = [:]

    init(limits: Limits = .embedded()) { self.limits = limits }

    /// Local sink connectors subscribed to `topic`.
    mutating func subscribers(_ topic: String) -> [String] {
        if let known = subscribersCache[topic] { return known }
        let names = sinks.filter { $0.value.matches(topic) }.keys.sorted()
        subscribersCache[topic] = names
        return names
    }

    /// One more task of sink connector `name` runs (`matches` tells its topics).
    mutating func sinkStarted(_ name: String, matches: @escaping @Sendable (String) -> Bool) {
        if sinks[name] != nil {
            sinks[name]!.tasks += 1
        } else {
            sinks[name] = Sink(matches: matches, tasks: 1)
        }
        subscribersCache = [:]
    }

    /// A task of sink connector `name` stopped; with its last task gone the connector no longer holds sources back.
    mutating func sinkStopped(_ name: String) {
        guard var sink = sinks[name] else { return }
        sink.tasks -= 1
        sinks[name] = sink.tasks > 0 ? sink : nil
        subscribersCache = [:]
        for topic in Array(logs.keys) { retrim(topic) }
    }

    /// Sink connector `name` committed these next-offsets (everything below them is safe).
    mutating func sinkCommitted(_ name: String, _ positions: [TopicPartition: Int64]) {
        guard sinks[name] != nil else { return }
        for (tp, offset) in positions { sinks[name]!.positions[tp] = offset }
        for topic in Set(positions.keys.map(\.topic)) { retrim(topic) }
    }

    /// Whether `records` records of `bytes` in all may be sent to `topic` now (sources reserve a poll's records in
    /// chunks: one admission per chunk, and a source let through after a wait sends a chunk at once, which the
    /// producer turns into large batches instead of a trickle of one-record batches).
    mutating func admit(topic: String, bytes: Int64, records: Int64 = 1) -> Admission {
        let subs = subscribers(topic)
        if subs.isEmpty { return .go }
        let flight = inFlight[topic] ?? (0, 0)
        var worst: (TopicPartition?, Int64, Int64) = (nil, 0, 0)
        for (partition, log) in logs[topic] ?? [:] where log.bytes > worst.1 || log.records > worst.2 {
            worst = (TopicPartition(topic, partition), max(log.bytes, worst.1), max(log.records, worst.2))
        }
        // Something must be allowed through, however large, when nothing is outstanding.
        if worst.2 == 0 && flight.records == 0 { return .go }
        if worst.1 + flight.bytes + bytes <= limits.bytes && worst.2 + flight.records + records <= limits.records { return .go }
        return .wait(Backlog(partition: worst.0, bytes: worst.1, records: worst.2, inFlightBytes: flight.bytes,
                             inFlightRecords: flight.records, sinks: subs))
    }

    mutating func sent(topic: String, bytes: Int64, records: Int64 = 1) {
        var f = inFlight[topic] ?? (0, 0)
        f.bytes += bytes
        f.records += records
        inFlight[topic] = f
    }

    /// The broker acknowledged a record sent with `sent`.
    mutating func acked(_ tp: TopicPartition, offset: Int64, bytes: Int64) {
        land(topic: tp.topic, bytes: bytes)
        let subs = subscribers(tp.topic)
        if subs.isEmpty { return }
        // Already consumed by every subscriber (a sink that read ahead of the acknowledgement): nothing to hold.
        if subs.allSatisfy({ (sinks[$0]?.positions[tp] ?? Int64.min) > offset }) { return }
        logs[tp.topic, default: [:]][tp.partition, default: Log()].append(offset, bytes)
    }

    /// A record sent with `sent` failed or was never handed over.
    mutating func failed(topic: String, bytes: Int64) { land(topic: topic, bytes: bytes) }

    /// Bytes and records held for `tp` (tests and logs).
    func held(_ tp: TopicPartition) -> (bytes: Int64, records: Int64) {
        guard let log = logs[tp.topic]?[tp.partition] else { return (0, 0) }
        return (log.bytes, log.records)
    }

    private mutating func land(topic: String, bytes: Int64) {
        guard var f = inFlight[topic] else { return }
        f.bytes -= bytes
        f.records -= 1
        inFlight[topic] = f.records <= 0 ? nil : f
    }

    /// Drops what every subscriber has consumed; everything when no local sink reads the topic any more.
    private mutating func retrim(_ topic: String) {
        guard let partitions = logs[topic]?.keys else { return }
        let subs = subscribers(topic)
        if subs.isEmpty {
            logs[topic] = nil
            return
        }
        for partition in Array(partitions) {
            let tp = TopicPartition(topic, partition)
            let floor = subs.map { sinks[$0]?.positions[tp] ?? Int64.min }.min() ?? Int64.min
            if floor == Int64.min { continue }
            logs[topic]?[partition]?.trim(below: floor)
        }
    }
}
