import Foundation
import SluiceAPI

/// Tracks source records sent to Kafka and decides which offsets may be committed: for each source partition,
/// the offset of the latest record such that it and every earlier record of that partition were acknowledged
/// (Kafka Connect's `SubmittedRecords`). Acknowledged prefixes are folded away eagerly so memory stays bounded by
/// the records in flight, not by the flush interval.
///
/// Thread-safe: the task thread submits, the delivery-report poller acknowledges, and either may take committable
/// offsets, so every operation runs under one lock (uncontended in the common case, tens of nanoseconds).
/// A submitted record is a position in its partition's queue (`Entry` is a value), not an object: one allocation
/// less per record on the hot path.
final class SubmittedRecords: @unchecked Sendable {
    /// A submitted record: its partition's queue and its sequence number there.
    struct Entry {
        let queue: Queue
        let seq: Int
    }

    final class Queue {
        let partition: [String: JSONValue]
        /// Offsets and acknowledgement flags of the records with sequence numbers `base`, `base + 1`, ...
        var offsets: [[String: JSONValue]] = []
        var acked: [Bool] = []
        var base = 0
        /// Index of the first record not yet folded into `committable`.
        var head = 0
        var committable: [String: JSONValue]?
        init(partition: [String: JSONValue]) { self.partition = partition }

        func fold() {
            let from = head
            while head < acked.count, acked[head] { head += 1 }
            if head > from { committable = offsets[head - 1] }  // one copy per fold, not per record
            if head > 1024 && head * 2 > acked.count { drop(head) }
        }

        /// Forgets the first `n` (folded) records.
        func drop(_ n: Int) {
            if n == acked.count {
                offsets.removeAll(keepingCapacity: true)
                acked.removeAll(keepingCapacity: true)
            } else {
                offsets.removeFirst(n)
                acked.removeFirst(n)
            }
            base += n
            head -= n
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
        q.offsets.append(offset)
        q.acked.append(false)
        _inFlight += 1
        return Entry(queue: q, seq: q.base + q.acked.count - 1)
    }

    /// Marks a record acknowledged (or deliberately dropped); a second call for the same record does nothing.
    func ack(_ e: Entry) {
        lock.lock()
        defer { lock.unlock() }
        ackLocked(e)
    }

    /// Marks many records acknowledged under one lock, folding each run of one source partition once.
    func ack(_ entries: some Sequence<Entry>) {
        lock.lock()
        defer { lock.unlock() }
        var last: Queue?
        for e in entries where mark(e) {
            if let l = last, l !== e.queue { l.fold() }
            last = e.queue
        }
        last?.fold()
    }

    private func ackLocked(_ e: Entry) {
        if mark(e) { e.queue.fold() }
    }

    /// Flags a record acknowledged; false when it already was.
    private func mark(_ e: Entry) -> Bool {
        let q = e.queue
        let i = e.seq - q.base
        guard i >= 0, i < q.acked.count, !q.acked[i] else { return false }  // i < 0: acknowledged and already folded away
        q.acked[i] = true
        _inFlight -= 1
        return true
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
            if q.head == q.acked.count && q.head > 0 { q.drop(q.head) }
        }
        return out
    }
}
