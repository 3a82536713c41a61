import Kafka
import Logging
import SluiceAPI
import Foundation

/// Carries a non-Sendable acknowledgement closure through librdkafka's `@Sendable` completion: it is invoked once,
/// from `poll`/`flush` on the thread serving the producer's reports (the closures given are thread-safe).
final class AckBox: @unchecked Sendable {
    let ack: (Result<RecordMetadata, any Error>) -> Void
    init(_ ack: @escaping (Result<RecordMetadata, any Error>) -> Void) { self.ack = ack }
}

/// The worker's producer over librdkafka.
///
/// Source records (`sendRecords`) are produced with an id, their slot in a table of receipts; librdkafka's reports
/// are collected in a `DeliveryReportBuffer` and settled a batch at a time after each `poll`/`flush`: the task gets
/// them through `onRecordAcks`, on the thread that served them. Other messages (dead letter queues) keep a
/// closure per record (`send`).
final class LibrdkafkaSender: KafkaSender, @unchecked Sendable {
    let producer: KafkaProducer
    private let reports: DeliveryReportBuffer
    /// Receipts of records produced and not reported yet, with the topic they were sent to, by id.
    private var inFlight = SlotTable<(receipt: SourceReceipt, topic: String)>()
    private let inFlightLock = NSLock()
    var onRecordAcks: (([SourceRecordAck]) -> Void)?
    var onRecordFailure: ((SourceRecordFailure) -> Void)?

    private init(_ producer: KafkaProducer, _ reports: DeliveryReportBuffer) {
        self.producer = producer
        self.reports = reports
    }

    static func make(config: [String: String], logger: Logger) throws -> LibrdkafkaSender {
        let reports = DeliveryReportBuffer()
        let producer = try KafkaProducer.make(config: config, logger: logger, deliveryHandler: { id, result in
            reports.append(id, result)
        })
        return LibrdkafkaSender(producer, reports)
    }

    func send(_ m: OutgoingMessage, onAck: @escaping (Result<RecordMetadata, any Error>) -> Void) throws {
        let box = AckBox(onAck)
        try producer.produce(topic: m.topic, partition: m.partition, key: m.key, value: m.value,
                             headers: m.headers, timestamp: m.timestamp,
                             blockTimeoutMs: 1000) { result in
            switch result {
            case .success(let r): box.ack(.success(RecordMetadata(topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp)))
            case .failure(let e): box.ack(.failure(e))
            }
        }
    }

    func sendRecords(_ batch: ArraySlice<SourceSend>) throws -> Int {
        if batch.isEmpty { return 0 }
        var ids: [Int] = []
        ids.reserveCapacity(batch.count)
        inFlightLock.withLock { for item in batch { ids.append(inFlight.insert((item.receipt, item.message.topic))) } }
        var sent = 0
        do {
            for i in batch.indices {  // fields read in place: copying each (message, receipt) cost ~2 % of the thread
                try producer.produce(topic: batch[i].message.topic, partition: batch[i].message.partition,
                                     key: batch[i].message.key, value: batch[i].message.value,
                                     headers: batch[i].message.headers, timestamp: batch[i].message.timestamp,
                                     id: UInt64(ids[sent]), blockTimeoutMs: 1000)
                sent += 1
            }
        } catch {
            // Never handed to librdkafka: no report will come for these.
            inFlightLock.withLock { for id in ids[sent...] { _ = inFlight.remove(id) } }
            // Back-pressure (queue full): the caller serves reports and sends the rest again. Any other refusal is
            // thrown once nothing before it is left unreported, so the caller knows exactly what was taken.
            if error.code == .queueFull || sent > 0 { return sent }
            throw error
        }
        return sent
    }

    func poll(timeoutMs: Int) {
        producer.poll(timeoutMs: timeoutMs)
        settle()
    }

    func flush(timeoutMs: Int) -> Bool {
        let done = producer.flush(timeoutMs: timeoutMs)
        settle()
        return done
    }

    /// Reported but not yet settled records count as outstanding, so `flush` waits for their settlement too.
    var outstanding: Int { producer.outstanding + reports.count }

    func close() {
        _ = producer.close(timeoutMs: 5000)
        settle()
    }

    /// Hands the reports collected so far to the task: acknowledgements as one batch, failures one by one.
    private func settle() {
        let taken = reports.take()
        if taken.isEmpty { return }
        let receipts = inFlightLock.withLock { taken.map { inFlight.remove(Int($0.id)) } }
        var acks: [SourceRecordAck] = []
        acks.reserveCapacity(taken.count)
        for (report, sent) in zip(taken, receipts) {
            guard let (receipt, topic) = sent else { continue }
            switch report.result {
            case .success(let r):
                acks.append(SourceRecordAck(
                    receipt: receipt,
                    metadata: RecordMetadata(topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp),
                    holder: nil))
            case .failure(let e):
                onRecordFailure?(SourceRecordFailure(receipt: receipt, topic: topic, error: e))
            }
        }
        if !acks.isEmpty { onRecordAcks?(acks) }
    }
}
