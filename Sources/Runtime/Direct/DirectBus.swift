import Foundation
import Logging
import SluiceAPI

/// `bootstrap.servers=none`: connectors run without Kafka. Source tasks hand their records (Connect data, not
/// bytes: no converters run) to the bus, and the sink tasks subscribed to the topic read them from bounded
/// in-memory partitions.
///
/// Nothing is lost by a crash because nothing is acknowledged early: a source record is acknowledged to its task —
/// which is what lets the runtime commit the source offset — only once every sink connector subscribed to its topic
/// has committed past it, i.e. once the targets made it durable. A `kill -9` anywhere therefore replays from the
/// sources' offsets. Partitions hold at most `direct.buffer.max.records` records; a full partition pushes back on
/// its sources (they wait in `send`, as on a full Kafka producer queue).
///
/// One lock and one condition guard everything: senders wait on it for acknowledgements and space, receivers for
/// records and assignment changes.
final class DirectBus: @unchecked Sendable {
    struct Topic {
        var partitions: [DirectPartitionLog]
        /// Groups that hold this topic's records until they commit them.
        var holders: [String] = []
        var warnedNoSink = false
        /// A reader found nothing to read and waits: the next append wakes it (appends otherwise signal nobody).
        var readerWaiting = false
        var dropped: Int64 = 0
    }

    let cond = NSCondition()
    private(set) var topics: [String: Topic] = [:]
    private(set) var groups: [String: DirectGroup] = [:]
    let defaultPartitions: Int
    let maxRecords: Int
    /// Offset of every partition's first record (see `restartSafeFirstOffset`).
    let firstOffset: Int64
    let logger: Logger
    private var nextMember = 0

    init(defaultPartitions: Int, maxRecordsPerPartition: Int, firstOffset: Int64 = 0, logger: Logger) {
        self.defaultPartitions = max(1, defaultPartitions)
        self.maxRecords = max(1, maxRecordsPerPartition)
        self.firstOffset = max(0, firstOffset)
        self.logger = logger
    }

    /// The wall clock in nanoseconds since 1970, used as the first offset of a worker's direct topics.
    ///
    /// The bus lives in memory, so a restarted worker starts its partitions again; had they started at 0, offsets
    /// would repeat across restarts. Sinks use offsets as identities and versions — the Elasticsearch sink's
    /// `topic+partition+offset` ids and `external` versions, the JDBC sink's `pk.mode=kafka` keys — so a replay after
    /// a restart would overwrite other records' documents or rows, or have its updates refused as stale versions.
    /// Starting at the clock keeps offsets growing across restarts, as on Kafka, as long as a partition took fewer
    /// records than nanoseconds passed (and the clock does not step back by more than a run's records).
    static func restartSafeFirstOffset() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    // MARK: Topics (call with the lock held)

    /// The topic's partition count, creating it with `partitions` (or the default) when new.
    @discardableResult
    func ensureTopic(_ name: String, partitions: Int? = nil) -> Int {
        if let t = topics[name] { return t.partitions.count }
        let n = max(1, partitions ?? defaultPartitions)
        var t = Topic(partitions: Array(repeating: DirectPartitionLog(start: firstOffset), count: n))
        t.holders = groups.values.filter { $0.holds(name) }.map(\.id)
        topics[name] = t
        cond.broadcast()  // pattern subscribers may now own partitions of it
        return n
    }

    var partitionCounts: [String: Int] { topics.mapValues { $0.partitions.count } }

    func partitionCount(_ topic: String) -> Int { topics[topic]?.partitions.count ?? 0 }

    // MARK: Producing (lock held)

    enum AppendResult { case appended(Int64), full }

    /// Appends to a partition unless it is full. A full partition of a topic no sink holds drops its oldest record
    /// when the new one has nobody waiting (dead letter queue records): those are counted and logged, never silent.
    func append(_ message: OutgoingMessage, partition: Int32, ack: DirectPendingAck?) -> AppendResult {
        guard var t = topics.removeValue(forKey: message.topic) else { return .full }
        defer { topics[message.topic] = t }
        let p = Int(partition)
        if t.partitions[p].count >= maxRecords {
            if !t.holders.isEmpty || ack != nil {
                if t.holders.isEmpty && !t.warnedNoSink {
                    t.warnedNoSink = true
                    logger.warning("Direct pipeline: topic \(message.topic) holds \(maxRecords) records per partition and no sink connector subscribes to it; its source tasks wait until one does (bootstrap.servers=none keeps records only for sinks)")
                }
                return .full
            }
            _ = t.partitions[p].trim(below: t.partitions[p].start + 1)
            t.dropped += 1
            if t.dropped == 1 || t.dropped % 10_000 == 0 {
                logger.warning("Direct pipeline: topic \(message.topic) has no sink connector; dropped its \(t.dropped) oldest record(s) beyond \(maxRecords) per partition (subscribe a sink, e.g. FileStreamSink, to keep them)")
            }
        }
        let ts = message.timestamp ?? nowMs()
        let offset = t.partitions[p].append(.init(message: message, timestamp: ts, ack: ack))
        if t.readerWaiting {
            t.readerWaiting = false
            cond.broadcast()
        }
        return .appended(offset)
    }

    // MARK: Groups (lock held)

    func join(group id: String, _ subscription: DirectGroup.Subscription) -> Int {
        nextMember += 1
        var g = groups[id] ?? DirectGroup(id: id)
        g.join(member: nextMember, subscription)
        groups[id] = g
        refreshHolders()
        cond.broadcast()
        return nextMember
    }

    func leave(group id: String, member: Int) {
        groups[id]?.leave(member: member)
        cond.broadcast()
    }

    /// Forgets a group (its sink connector was deleted): it no longer holds records.
    func deleteGroup(_ id: String) {
        guard groups.removeValue(forKey: id) != nil else { return }
        refreshHolders()
        for name in Array(topics.keys) { releaseConsumed(name) }
        cond.broadcast()
    }

    func group(_ id: String) -> DirectGroup? { groups[id] }

    func updateGroup(_ id: String, _ change: (inout DirectGroup) -> Void) {
        guard var g = groups[id] else { return }
        change(&g)
        groups[id] = g
    }

    private func refreshHolders() {
        for name in Array(topics.keys) {
            topics[name]?.holders = groups.values.filter { $0.holds(name) }.map(\.id)
        }
    }

    /// Commits a group's next-offsets and releases what every holder of those topics has now committed.
    func commit(group id: String, _ offsets: [TopicPartition: Int64]) {
        guard groups[id] != nil else { return }
        for (tp, off) in offsets { groups[id]?.committed[tp] = off }
        for topic in Set(offsets.keys.map(\.topic)) { releaseConsumed(topic) }
        cond.broadcast()
    }

    /// Drops the records of `topic` below the lowest offset its holders committed and acknowledges them to their
    /// senders. A holder that never committed a partition holds all of it.
    private func releaseConsumed(_ topic: String) {
        guard var t = topics.removeValue(forKey: topic) else { return }
        defer { topics[topic] = t }
        if t.holders.isEmpty { return }
        for p in t.partitions.indices {
            let tp = TopicPartition(topic, Int32(p))
            var low = Int64.max
            for g in t.holders { low = min(low, groups[g]?.committed[tp] ?? t.partitions[p].start) }
            for (offset, entry) in t.partitions[p].trim(below: low) {
                // A source record sent with `sendRecords` goes to its sender with its entry, so the source thread frees
                // it; other entries (dead letter records, records sent one by one) die here.
                entry.ack?.deliver(entry, RecordMetadata(topic: topic, partition: Int32(p), offset: offset, timestamp: entry.timestamp))
            }
        }
    }

    // MARK: Reading (lock held)

    /// Records of `tp` from `offset` on, at most `max`.
    func read(_ tp: TopicPartition, from offset: Int64, max: Int) -> (first: Int64, entries: ArraySlice<DirectPartitionLog.Entry?>) {
        guard let t = topics[tp.topic], Int(tp.partition) < t.partitions.count else { return (offset, []) }
        return t.partitions[Int(tp.partition)].read(from: offset, max: max)
    }

    func bounds(_ tp: TopicPartition) -> (start: Int64, end: Int64) {
        guard let t = topics[tp.topic], Int(tp.partition) < t.partitions.count else { return (0, 0) }
        let log = t.partitions[Int(tp.partition)]
        return (log.start, log.end)
    }

    /// Asks the next append to one of `topics` to wake the waiting readers (lock held).
    func wantData(_ names: some Sequence<String>) {
        for name in names { topics[name]?.readerWaiting = true }
    }

    // MARK: Waiting

    /// Runs `body` with the lock held.
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        cond.lock()
        defer { cond.unlock() }
        return try body()
    }

    /// Waits (lock held) until woken or `deadline` passed; false when the deadline passed.
    @discardableResult
    func wait(until deadline: Date) -> Bool { cond.wait(until: deadline) }
}
