import SluiceAPI

/// Tracks source records sent to Kafka and decides which offsets may be committed: for each source partition,
/// the offset of the latest record such that it and every earlier record of that partition were acknowledged
/// (Kafka Connect's `SubmittedRecords`). Acknowledged prefixes are folded away eagerly so memory stays bounded by
/// the records in flight, not by the flush interval.
final class SubmittedRecords {
    final class Entry {
        let queue: Queue
        let offset: [String: JSONValue]
        var acked = false
        init(queue: Queue, offset: [String: JSONValue]) {
            self.queue = queue
            self.offset = offset
        }
    }

    final class Queue {
        let partition: [String: JSONValue]
        var entries: [Entry] = []
        var head = 0
        var committable: [String: JSONValue]?
        init(partition: [String: JSONValue]) { self.partition = partition }

        func fold() {
            while head < entries.count, entries[head].acked {
                committable = entries[head].offset
                head += 1
            }
            if head > 1024 && head * 2 > entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }
    }

    private var queues: [[String: JSONValue]: Queue] = [:]
    private var last: Queue?
    private(set) var inFlight = 0

    /// Registers a record about to be sent.
    func submit(partition: [String: JSONValue], offset: [String: JSONValue]) -> Entry {
        let q: Queue
        if let l = last, l.partition == partition {
            q = l
        } else if let existing = queues[partition] {
            q = existing
        } else {
            q = Queue(partition: partition)
            queues[partition] = q
        }
        last = q
        let e = Entry(queue: q, offset: offset)
        q.entries.append(e)
        inFlight += 1
        return e
    }

    /// Marks a record acknowledged (or deliberately dropped).
    func ack(_ e: Entry) {
        guard !e.acked else { return }
        e.acked = true
        inFlight -= 1
        e.queue.fold()
    }

    /// Offsets that became committable since the last call.
    func takeCommittable() -> [OffsetEntry] {
        var out: [OffsetEntry] = []
        for q in queues.values {
            if let c = q.committable {
                out.append(OffsetEntry(partition: q.partition, offset: c))
                q.committable = nil
            }
            if q.head == q.entries.count {
                q.entries.removeAll(keepingCapacity: true)
                q.head = 0
            }
        }
        return out
    }
}
