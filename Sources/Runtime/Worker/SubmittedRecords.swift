import Foundation
import SluiceAPI

/// Tracks source records sent to Kafka and decides which offsets may be committed: for each source partition,
/// the offset of the latest record such that it and every earlier record of that partition were acknowledged
/// (Kafka Connect's `SubmittedRecords`). Acknowledged prefixes are folded away eagerly so memory stays bounded by
/// the records in flight, not by the flush interval.
///
/// Thread-safe: the task thread submits, the delivery-report poller acknowledges, and either may take committable
/// offsets, so every operation runs under one lock (uncontended in the common case, tens of nanoseconds).
final class SubmittedRecords: @unchecked Sendable {
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

    private let lock = NSLock()
    private var queues: [[String: JSONValue]: Queue] = [:]
    private var last: Queue?
    private var _inFlight = 0

    /// Records submitted and neither acknowledged nor dropped yet.
    var inFlight: Int { lock.lock(); defer { lock.unlock() }; return _inFlight }

    /// Registers a record about to be sent.
    func submit(partition: [String: JSONValue], offset: [String: JSONValue]) -> Entry {
        lock.lock()
        defer { lock.unlock() }
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
        _inFlight += 1
        return e
    }

    /// Marks a record acknowledged (or deliberately dropped).
    func ack(_ e: Entry) {
        lock.lock()
        defer { lock.unlock() }
        guard !e.acked else { return }
        e.acked = true
        _inFlight -= 1
        e.queue.fold()
    }

    /// Offsets that became committable since the last call.
    func takeCommittable() -> [OffsetEntry] {
        lock.lock()
        defer { lock.unlock() }
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
