import SluiceAPI

/// Which offsets are safe to commit: per partition, every record handed to the sink is an entry, marked done once
/// its bulk item was acknowledged (or deliberately skipped, or dead-lettered); the safe offset is the last of the
/// done prefix + 1 (the original's `AsyncOffsetTracker`). Pure state, driven under the processor's lock.
///
/// Unlike the original, a skipped record (a null key under `behavior.on.null.values=DELETE`) is marked done too, so
/// it never holds its partition's commits back.
struct OffsetTracker: Sendable {
    /// Names one entry: the partition, its generation (a partition closed and reopened starts a new one, so late
    /// answers for the old assignment are ignored) and the entry's sequence number.
    struct Token: Sendable, Hashable {
        var partition: TopicPartition
        var generation: Int
        var seq: Int
    }

    private struct Partition: Sendable {
        var generation: Int
        var baseSeq = 0  // sequence number of offsets[head]
        var head = 0
        var offsets: [Int64] = []
        var done: [Bool] = []
        var safe: Int64?

        mutating func append(_ offset: Int64, _ tp: TopicPartition) -> Token {
            let seq = baseSeq + (offsets.count - head)
            offsets.append(offset)
            done.append(false)
            return Token(partition: tp, generation: generation, seq: seq)
        }

        mutating func markDone(_ t: Token) -> Bool {
            let i = head + (t.seq - baseSeq)
            guard t.generation == generation, t.seq >= baseSeq, i < done.count, !done[i] else { return false }
            done[i] = true
            while head < done.count && done[head] {
                safe = offsets[head] + 1
                head += 1
                baseSeq += 1
            }
            if head > 4096 && head * 2 > done.count {
                offsets.removeFirst(head)
                done.removeFirst(head)
                head = 0
            }
            return true
        }
    }

    private var partitions: [TopicPartition: Partition] = [:]
    private var nextGeneration = 0
    /// Entries added and not yet done, over all partitions.
    private(set) var pending = 0

    init() {}

    mutating func add(_ tp: TopicPartition, offset: Int64) -> Token {
        if partitions[tp] == nil {
            nextGeneration += 1
            partitions[tp] = Partition(generation: nextGeneration)
        }
        pending += 1
        // Mutated in place through the optional chain: copying the partition out would copy its arrays per record.
        return partitions[tp]?.append(offset, tp) ?? Token(partition: tp, generation: -1, seq: 0)
    }

    /// Marks an entry done; unknown or already-done tokens (closed partitions, duplicates) are ignored.
    mutating func markDone(_ t: Token) {
        if partitions[t.partition]?.markDone(t) == true { pending -= 1 }
    }

    /// The next offset to read per partition for which a done prefix exists (what may be committed).
    var safeOffsets: [TopicPartition: Int64] {
        var out: [TopicPartition: Int64] = [:]
        for (tp, p) in partitions { if let s = p.safe { out[tp] = s } }
        return out
    }

    /// Entries not yet done for `tp`.
    func pendingCount(_ tp: TopicPartition) -> Int {
        guard let p = partitions[tp] else { return 0 }
        return p.done[p.head...].lazy.filter { !$0 }.count
    }

    /// Forgets closed partitions: their late answers no longer count, their next owner starts from the commit.
    mutating func drop(_ tps: [TopicPartition]) {
        for tp in tps {
            if let p = partitions.removeValue(forKey: tp) { pending -= p.done[p.head...].lazy.filter { !$0 }.count }
        }
    }
}
