import Foundation
import Kafka
import Synchronization

/// Helpers shared by the Kafka tests: unique names, polling loops, and a thread-safe collector.
enum TestNames {
    static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// Consumer settings that keep group tests fast on the mock cluster (short sessions, clean leave on close).
func groupConsumerConfig(_ kafka: EmbeddedKafka, group: String) -> [String: String] {
    [
        "bootstrap.servers": kafka.bootstrapServers,
        "group.id": group,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "500",
        // Not lowering topic.metadata.refresh.interval.ms on purpose: with librdkafka 2.0.2 against the mock cluster,
        // frequent refreshes are seen as "subscribed topic metadata changed" and force extra 5 s rejoins.
    ]
}

/// Polls until `count` records arrived or `timeoutMs` passed.
func pollUntil(_ consumer: KafkaConsumer, count: Int, timeoutMs: Int = 20_000) throws -> [KafkaMessage] {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(timeoutMs))
    var messages: [KafkaMessage] = []
    while messages.count < count && ContinuousClock.now < deadline {
        messages += try consumer.poll(maxMessages: count - messages.count, timeoutMs: 200)
    }
    return messages
}

/// Produces string records and waits for every delivery report; returns the reports in produce order.
func produceStrings(
    _ kafka: EmbeddedKafka, topic: String, records: [(key: String?, value: String)], partition: Int32? = nil
) throws -> [KafkaDeliveryReport] {
    let reports = Mutex<[Int: KafkaDeliveryReport]>([:])
    let producer = try KafkaProducer.make(
        config: ["bootstrap.servers": kafka.bootstrapServers, "linger.ms": "5"],
        deliveryHandler: { id, result in
            if case .success(let report) = result { reports.withLock { $0[Int(id)] = report } }
        }
    )
    for (index, record) in records.enumerated() {
        try producer.produce(
            topic: topic, partition: partition, key: record.key.map { Array($0.utf8) }, value: Array(record.value.utf8),
            id: UInt64(index))
    }
    _ = producer.flush(timeoutMs: 10_000)
    return reports.withLock { dict in (0..<records.count).compactMap { dict[$0] } }
}

extension KafkaMessage {
    var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
    var valueString: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}
