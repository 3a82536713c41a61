import Foundation
import SluiceAPI

/// A source task's (or a dead letter queue's) producer on the direct bus.
///
/// Source records travel as Connect data (`OutgoingMessage.record`) and are acknowledged only when every sink
/// holding their topic committed them; byte messages (dead letter queue records) are acknowledged on append.
/// Keyed records go to a partition by key hash, so one key's records stay in order; unkeyed records stick to a
/// partition for a while, then move on, like Kafka's sticky partitioner.
final class DirectSender: KafkaSender, @unchecked Sendable {
    let bus: DirectBus
    /// An acknowledgement ready to run.
    enum ReadyAck {
        case callback((Result<RecordMetadata, any Error>) -> Void, RecordMetadata)
        case record(SourceRecordAck)
    }

    /// Acknowledgements ready to run (guarded by the bus lock).
    var ready: [ReadyAck] = []
    /// Takes the acknowledged records sent with `sendRecords`, a batch per `poll`, on the polling thread. Set once,
    /// before the first `sendRecords`.
    var onRecordAcks: (([SourceRecordAck]) -> Void)?
    /// The bus never fails a record it took.
    var onRecordFailure: ((SourceRecordFailure) -> Void)?
    private var waiting = 0
    private var sticky: [String: (partition: Int32, left: Int)] = [:]

    init(bus: DirectBus) { self.bus = bus }

    var carriesRecords: Bool { true }

    struct Full: Error, CustomStringConvertible {
        let topic: String
        var description: String { "direct pipeline: topic \(topic) is full (its sinks have not committed yet)" }
    }

    func send(_ m: OutgoingMessage, onAck: @escaping (Result<RecordMetadata, any Error>) -> Void) throws {
        // One critical section per record: the source appends while the sinks read and commit under the same lock.
        let appended: Bool = bus.locked {
            let p = partition(m, of: bus.ensureTopic(m.topic))
            let ack = m.record == nil ? nil : DirectPendingAck(sender: self, settlement: .callback(onAck))
            guard case .appended(let offset) = bus.append(m, partition: p, ack: ack) else { return false }
            waiting += 1
            if m.record == nil {
                ready.append(.callback(onAck, RecordMetadata(topic: m.topic, partition: p, offset: offset, timestamp: m.timestamp ?? nowMs())))
            }
            return true
        }
        if !appended { throw Full(topic: m.topic) }
    }

    /// Appends source records in order under one lock (a source task's poll at a time, instead of a lock, a
    /// closure and a callback per record). Their acknowledgements go to `onRecordAcks`. Returns how many were
    /// appended: fewer than all when a partition is full — serve acknowledgements (`poll`) and send the rest again.
    func sendRecords(_ batch: ArraySlice<SourceSend>) -> Int {
        bus.locked {
            var n = 0
            for (m, receipt) in batch {
                let p = partition(m, of: bus.ensureTopic(m.topic))
                guard case .appended = bus.append(m, partition: p, ack: DirectPendingAck(sender: self, settlement: .receipt(receipt)))
                else { break }
                n += 1
            }
            waiting += n
            return n
        }
    }

    private func partition(_ m: OutgoingMessage, of count: Int) -> Int32 {
        if let p = m.partition, p >= 0, Int(p) < count { return p }
        if count == 1 { return 0 }
        if let r = m.record, !r.key.isNull {
            return Int32(UInt(bitPattern: r.key.hashValue) % UInt(count))
        }
        var s = sticky[m.topic] ?? (Int32.random(in: 0..<Int32(count)), 0)
        if s.left <= 0 { s = (Int32((Int(s.partition) + 1) % count), 2048) }
        s.left -= 1
        sticky[m.topic] = s
        return s.partition
    }

    /// Runs the acknowledgements that are ready, waiting up to `timeoutMs` for the first.
    func poll(timeoutMs: Int) {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        let acks: [ReadyAck] = bus.locked {
            while ready.isEmpty && timeoutMs > 0 && bus.wait(until: deadline) {}
            let out = ready
            ready.removeAll(keepingCapacity: true)
            waiting -= out.count
            return out
        }
        if acks.isEmpty { return }
        var records: [SourceRecordAck] = []
        for a in acks {
            switch a {
            case .callback(let callback, let metadata): callback(.success(metadata))
            case .record(let r): records.append(r)
            }
        }
        if !records.isEmpty { onRecordAcks?(records) }
        // `acks` and `records` hold the last references to the acknowledged records: they are freed here, on the
        // source's thread.
    }

    /// Waits until every record sent was acknowledged (all sinks committed it); false on timeout.
    func flush(timeoutMs: Int) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        while true {
            poll(timeoutMs: 0)
            let left: Int = bus.locked { waiting }
            if left <= 0 { return true }
            if Date() >= deadline { return false }
            poll(timeoutMs: min(100, max(1, Int(deadline.timeIntervalSinceNow * 1000))))
        }
    }

    var outstanding: Int { bus.locked { waiting } }

    func close() {}
}
