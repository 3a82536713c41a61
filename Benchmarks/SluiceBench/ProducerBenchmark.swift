import Kafka
import Synchronization

/// Producer throughput into the embedded Kafka (issue target: >= 400,000 records/s of 200-byte values).
///
/// Measures the path a source task uses: `produce(..., id:)` with one producer-wide delivery handler, lz4, linger 20 ms,
/// 16 partitions, timed from the first `produce` until the last delivery report (acks=all, idempotent).
enum ProducerBenchmark {
    static func run(records: Int) -> String {
        do {
            let kafka = try EmbeddedKafka.start(brokers: 1)
            defer { kafka.stop() }
            let topic = "bench-producer"
            try kafka.createTopic(topic, partitions: 16)
            let acked = Atomic<Int>(0)
            let failed = Atomic<Int>(0)
            let producer = try KafkaProducer.make(
                config: [
                    "bootstrap.servers": kafka.bootstrapServers,
                    "linger.ms": "20",
                    "compression.type": "lz4",
                    "batch.num.messages": "10000",
                    "queue.buffering.max.messages": "500000",
                ],
                deliveryHandler: { _, result in
                    switch result {
                    case .success: acked.add(1, ordering: .relaxed)
                    case .failure: failed.add(1, ordering: .relaxed)
                    }
                }
            )
            // 200-byte values that vary per record, like serialized JSON rows (not a constant run lz4 folds to nothing).
            var value = [UInt8](repeating: 0, count: 200)
            for i in 0..<200 { value[i] = UInt8(ascii: "a") &+ UInt8(i % 26) }
            let start = ContinuousClock.now
            for i in 0..<records {
                var n = i
                for position in 0..<8 {
                    value[position] = UInt8(ascii: "0") &+ UInt8(n % 10)
                    n /= 10
                }
                try producer.produce(topic: topic, key: nil, value: value, id: UInt64(i))
                if i & 1023 == 0 { producer.poll(timeoutMs: 0) }
            }
            let flushed = producer.flush(timeoutMs: 120_000)
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let ok = acked.load(ordering: .relaxed)
            let rate = Double(ok) / seconds
            let mb = rate * 200 / 1_000_000
            return "producer (embedded Kafka, 16 partitions, lz4, linger 20 ms, acks=all, idempotent): "
                + "\(ok)/\(records) records of 200 B acknowledged in \(format(seconds)) s = \(Int(rate)) records/s, "
                + "\(format(mb)) MB/s\(flushed ? "" : " (flush timed out)")\(failed.load(ordering: .relaxed) > 0 ? ", \(failed.load(ordering: .relaxed)) failed" : "")"
        } catch {
            return "producer benchmark failed: \(error)"
        }
    }

    private static func format(_ value: Double) -> String {
        let scaled = Int((value * 100).rounded())
        let fraction = scaled % 100
        return "\(scaled / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
