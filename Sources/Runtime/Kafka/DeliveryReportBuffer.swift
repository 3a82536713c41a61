import Kafka
import Synchronization

/// Delivery reports of records produced with an id, collected as librdkafka reports them (inside `poll`, `flush`
/// or a blocked `produce`, on whichever thread calls them) and taken a batch at a time by the sender, which then
/// settles them in one go: one lock per report here instead of a closure, a box and a lock per record.
final class DeliveryReportBuffer: Sendable {
    typealias Report = (id: UInt64, result: Result<KafkaDeliveryReport, KafkaError>)
    private let reports = Mutex<[Report]>([])

    func append(_ id: UInt64, _ result: Result<KafkaDeliveryReport, KafkaError>) {
        reports.withLock { $0.append((id, result)) }
    }

    /// The reports collected so far, oldest first; the buffer is left empty.
    func take() -> [Report] {
        reports.withLock { buffer in
            if buffer.isEmpty { return [] }
            let taken = buffer
            buffer.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Reports collected and not taken yet.
    var count: Int { reports.withLock { $0.count } }
}
