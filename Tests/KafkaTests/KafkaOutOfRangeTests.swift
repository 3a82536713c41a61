import Foundation
import Kafka
import Synchronization
import Testing

/// Records the broker dropped before a group read them are reported with the exact range, on the embedded broker
/// (which keeps 5 MiB per partition), and the consumer goes on from the earliest kept record without re-reading or
/// skipping anything on the other partitions.
@Suite struct KafkaOutOfRangeTests {
    static let kafka = try! EmbeddedKafka.start()

    @Test func resetRuleDecisions() {
        #expect(KafkaOffsetResetRule("earliest") == .earliest)
        #expect(KafkaOffsetResetRule("smallest") == .earliest)
        #expect(KafkaOffsetResetRule("LATEST") == .latest)
        #expect(KafkaOffsetResetRule(nil) == .latest)
        #expect(KafkaOffsetResetRule("none") == KafkaOffsetResetRule.none)
        #expect(KafkaOffsetResetRule("sideways") == nil)
        // No position yet: the rule's logical offset, silently.
        #expect(KafkaOffsetResetRule.earliest.decide(requested: -1001, low: -1, high: -1) == .startLogical(-2))
        #expect(KafkaOffsetResetRule.latest.decide(requested: -1001, low: -1, high: -1) == .startLogical(-1))
        #expect(KafkaOffsetResetRule.none.decide(requested: -1001, low: -1, high: -1) == .fail)
        // Below the low watermark: the earliest kept record, whatever the rule.
        #expect(KafkaOffsetResetRule.earliest.decide(requested: 10, low: 500, high: 900) == .resumeAt(500))
        #expect(KafkaOffsetResetRule.latest.decide(requested: 10, low: 500, high: 900) == .resumeAt(500))
        #expect(KafkaOffsetResetRule.none.decide(requested: 10, low: 500, high: 900) == .fail)
        // Beyond the end: the rule decides.
        #expect(KafkaOffsetResetRule.earliest.decide(requested: 950, low: 500, high: 900) == .resumeAt(500))
        #expect(KafkaOffsetResetRule.latest.decide(requested: 950, low: 500, high: 900) == .resumeAt(900))
        let lost = KafkaOffsetOutOfRange(topic: "t", partition: 0, requestedOffset: 10, lowWatermark: 500, highWatermark: 900, resumedAt: 500)
        #expect(lost.skipped == 490)
        let beyond = KafkaOffsetOutOfRange(topic: "t", partition: 0, requestedOffset: 950, lowWatermark: 500, highWatermark: 900, resumedAt: 500)
        #expect(beyond.skipped == 0)
    }

    @Test(arguments: ["range", "cooperative-sticky"])
    func droppedRecordsAreReportedWithTheirRange(strategy: String) throws {
        let topic = TestNames.unique("oor")
        let group = TestNames.unique("g")
        try Self.kafka.createTopic(topic, partitions: 2)
        // Partition 0 gets ~12 MiB (the broker keeps 5 MiB), partition 1 a few records that must all arrive once.
        try produce(topic: topic, partition: 0, count: 120_000, size: 100)
        try produce(topic: topic, partition: 1, count: 300, size: 20)
        let committer = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: group))
        let wm0 = try committer.watermarks(topic: topic, partition: 0)
        #expect(wm0.low > 10, "the broker dropped the oldest batches")
        #expect(wm0.high == 120_000)
        // The group had read partition 0 up to offset 10 and partition 1 up to 100 when it stopped.
        try commitAsGroup(committer, topic: topic, [0: 10, 1: 100])

        let events = Mutex<[KafkaOffsetOutOfRange]>([])
        var config = groupConsumerConfig(Self.kafka, group: group)
        config["partition.assignment.strategy"] = strategy
        let consumer = try KafkaConsumer.make(config: config, outOfRangeHandler: { e in events.withLock { $0.append(e) } })
        defer { consumer.close() }
        try consumer.subscribe(topics: [topic])
        let expected = Int(wm0.high - wm0.low) + 200
        let messages = try pollUntil(consumer, count: expected, timeoutMs: 60_000)
        let reported = events.withLock { $0 }
        #expect(reported.count == 1)
        #expect(reported.first?.topic == topic && reported.first?.partition == 0)
        #expect(reported.first?.requestedOffset == 10)
        #expect(reported.first?.resumedAt == wm0.low)
        #expect(reported.first?.skipped == wm0.low - 10)
        let p0 = messages.filter { $0.partition == 0 }.map(\.offset)
        let p1 = messages.filter { $0.partition == 1 }.map(\.offset)
        #expect(p0 == Array(wm0.low..<wm0.high), "everything kept on partition 0, once, in order")
        #expect(p1 == Array(100..<300), "partition 1 neither re-read nor skipped by the reset of partition 0")
    }

    /// Four fresh partitions report "no offset" one after the other; each reset must not undo the previous ones.
    @Test(arguments: ["range", "cooperative-sticky"])
    func withoutACommittedOffsetTheRuleAppliesSilently(strategy: String) throws {
        let topic = TestNames.unique("oor-fresh")
        try Self.kafka.createTopic(topic, partitions: 4)
        try produce(topic: topic, partition: 0, count: 80_000, size: 100)
        for p: Int32 in 1...3 { try produce(topic: topic, partition: p, count: 50, size: 10) }
        let events = Mutex<[KafkaOffsetOutOfRange]>([])
        var config = groupConsumerConfig(Self.kafka, group: TestNames.unique("g"))
        config["partition.assignment.strategy"] = strategy
        let consumer = try KafkaConsumer.make(config: config, outOfRangeHandler: { e in events.withLock { $0.append(e) } })
        defer { consumer.close() }
        let wm = try consumer.watermarks(topic: topic, partition: 0)
        try consumer.subscribe(topics: [topic])
        let messages = try pollUntil(consumer, count: Int(wm.high - wm.low) + 150, timeoutMs: 60_000)
        #expect(messages.filter { $0.partition == 0 }.map(\.offset) == Array(wm.low..<wm.high))
        for p: Int32 in 1...3 { #expect(messages.filter { $0.partition == p }.map(\.offset) == Array(0..<50)) }
        #expect(events.withLock { $0 }.isEmpty, "starting at the earliest kept record is not a loss")
    }

    // MARK: - Helpers

    func produce(topic: String, partition: Int32, count: Int, size: Int) throws {
        let producer = try KafkaProducer.make(config: [
            "bootstrap.servers": Self.kafka.bootstrapServers, "linger.ms": "20", "batch.num.messages": "10000",
        ])
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        for i in 0..<count {
            try producer.produce(topic: topic, partition: partition, key: nil, value: value, id: UInt64(i))
            if i % 1000 == 0 { producer.poll(timeoutMs: 0) }
        }
        #expect(producer.flush(timeoutMs: 30_000))
        _ = producer.close(timeoutMs: 5_000)
    }

    /// Commits as a member of the group (the mock broker refuses commits from outside a group that exists).
    func commitAsGroup(_ consumer: KafkaConsumer, topic: String, _ offsets: [Int32: Int64]) throws {
        try consumer.subscribe(topics: [topic])
        let all = Set(offsets.keys.map { KafkaTopicPartition(topic: topic, partition: $0) })
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while try Set(consumer.assignment()) != all, ContinuousClock.now < deadline {
            try consumer.pause(try consumer.assignment())
            _ = try consumer.poll(maxMessages: 1, timeoutMs: 200)
        }
        try consumer.commit(offsets: offsets.map { KafkaPartitionOffset(topic: topic, partition: $0.key, offset: $0.value) })
        consumer.close()
    }
}
