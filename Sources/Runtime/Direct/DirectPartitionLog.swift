import SluiceAPI

/// One partition of a direct pipeline's topic: the records that some sink subscribed to the topic has not yet
/// committed, in offset order. Offsets grow from `start` like a Kafka partition's; `trim(below:)` drops the prefix every
/// subscribed sink committed and hands those entries back so their senders can be told (that acknowledgement is
/// what lets a source commit its own offset). Pure: the bus locks around it.
///
/// Trimmed entries are moved out of the log, not left behind in its buffer: whoever takes them last frees them. For
/// source records that is the source task's thread, which runs their acknowledgements — the thread that allocated
/// them — so a sink never frees a source's records (freeing another thread's objects made the sink thread contend
/// with the source thread for malloc's arena lock and for the reference counts of the objects records share).
struct DirectPartitionLog {
    /// A record in the log and who is waiting for it to be consumed. A class: reads and trims pass entries on by
    /// one reference count instead of copying (and retaining) every field of the message.
    final class Entry {
        let message: OutgoingMessage
        let timestamp: Int64
        /// Who to acknowledge once every subscribed sink committed past this record (nil: nobody waits).
        let ack: DirectPendingAck?

        init(message: OutgoingMessage, timestamp: Int64, ack: DirectPendingAck?) {
            self.message = message
            self.timestamp = timestamp
            self.ack = ack
        }
    }

    /// nil below `head`: trimmed entries are moved out.
    private var entries: [Entry?] = []
    /// Index in `entries` of the record at offset `start`; the dead prefix is compacted away in bulk.
    private var head = 0
    /// Offset of the oldest record kept.
    private(set) var start: Int64

    /// An empty log whose first record gets offset `start`.
    init(start: Int64 = 0) { self.start = start }
    /// Records kept in the log.
    var count: Int { entries.count - head }
    /// Offset the next appended record gets (Kafka's log end offset / high watermark).
    var end: Int64 { start + Int64(count) }

    /// Appends a record and returns its offset.
    mutating func append(_ entry: Entry) -> Int64 {
        entries.append(entry)
        return end - 1
    }

    /// Up to `max` records from `offset` on (an offset below `start` reads from `start`).
    func read(from offset: Int64, max: Int) -> (first: Int64, entries: ArraySlice<Entry?>) {
        let first = Swift.max(offset, start)
        if first >= end || max <= 0 { return (first, []) }
        let from = head + Int(first - start)
        let to = Swift.min(entries.count, from + max)
        return (first, entries[from..<to])
    }

    /// Removes every record below `offset` and returns them with their offsets, oldest first.
    mutating func trim(below offset: Int64) -> [(offset: Int64, entry: Entry)] {
        let cut = Swift.min(offset, end)
        if cut <= start { return [] }
        let n = Int(cut - start)
        var out: [(offset: Int64, entry: Entry)] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            out.append((start + Int64(i), entries[head + i].take()!))
        }
        head += n
        start = cut
        // Compact once the dead prefix is at least as large as what is kept, so trimming stays O(1) amortized
        // (the dead prefix holds only nils: dropping it frees no record).
        if head >= 1024 && head >= entries.count - head {
            entries.removeFirst(head)
            head = 0
        }
        return out
    }
}
