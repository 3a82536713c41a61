import Foundation
import Kafka
import Synchronization
import Testing

@Suite struct KafkaConsumerTests {
    static let kafka = try! EmbeddedKafka.start()

    @Test func secondMemberResumesFromCommittedOffset() throws {
        let topic = TestNames.unique("commit")
        let group = TestNames.unique("group")
        try Self.kafka.createTopic(topic, partitions: 1)
        _ = try produceStrings(Self.kafka, topic: topic, records: (0..<10).map { (key: "k\($0)", value: "v\($0)") })

        let events = Mutex<[KafkaRebalanceEvent]>([])
        let first = try KafkaConsumer.make(
            config: groupConsumerConfig(Self.kafka, group: group),
            rebalanceHandler: { event in events.withLock { $0.append(event) } })
        try first.subscribe(topics: [topic])
        let read = try pollUntil(first, count: 10)
        #expect(read.map(\.valueString) == (0..<10).map { "v\($0)" })
        let tp = KafkaTopicPartition(topic: topic, partition: 0)
        #expect(try first.assignment() == [tp])
        // Processed the first six: commit next offset 6.
        try first.commit(offsets: [KafkaPartitionOffset(topic: topic, partition: 0, offset: 6)])
        #expect(try first.committed([tp]) == [tp: 6])
        first.close()
        #expect(events.withLock { $0 } == [.assigned([tp]), .revoked([tp])])

        let second = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: group))
        defer { second.close() }
        try second.subscribe(topics: [topic])
        let rest = try pollUntil(second, count: 4)
        #expect(rest.map(\.offset) == [6, 7, 8, 9])
        #expect(rest.map(\.keyString) == ["k6", "k7", "k8", "k9"])
    }

    @Test func patternSubscriptionMatchesOnlyMatchingTopics() throws {
        let base = TestNames.unique("pat")
        let matching = ["\(base)-orders", "\(base)-customers"]
        let other = "\(base)x-other"
        for topic in matching + [other] {
            try Self.kafka.createTopic(topic, partitions: 2)
            _ = try produceStrings(Self.kafka, topic: topic, records: [(key: nil, value: topic)])
        }
        let consumer = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: TestNames.unique("g")))
        defer { consumer.close() }
        try consumer.subscribe(pattern: "\(base)-.*")  // the wrapper adds librdkafka's '^'
        let messages = try pollUntil(consumer, count: 2)
        // Give a wrongly matched topic a chance to show up before asserting it did not.
        let extra = try consumer.poll(maxMessages: 10, timeoutMs: 1_000)
        #expect(Set((messages + extra).map(\.topic)) == Set(matching))
        #expect(Set((messages + extra).compactMap(\.valueString)) == Set(matching))
    }

    @Test func seekPauseAndResumeOnAssignedPartitions() throws {
        let topic = TestNames.unique("seek")
        try Self.kafka.createTopic(topic, partitions: 1)
        _ = try produceStrings(Self.kafka, topic: topic, records: (0..<5).map { (key: nil, value: "v\($0)") })
        let consumer = try KafkaConsumer.make(config: ["bootstrap.servers": Self.kafka.bootstrapServers])
        defer { consumer.close() }
        let tp = KafkaTopicPartition(topic: topic, partition: 0)
        try consumer.assign([KafkaPartitionOffset(topic: topic, partition: 0, offset: 3)])
        #expect(try pollUntil(consumer, count: 2).map(\.offset) == [3, 4])
        try consumer.seek([KafkaPartitionOffset(topic: topic, partition: 0, offset: 1)])
        #expect(try pollUntil(consumer, count: 1).map(\.offset) == [1])
        try consumer.pause([tp])
        #expect(try consumer.poll(maxMessages: 10, timeoutMs: 700).isEmpty)
        try consumer.resume([tp])
        #expect(try pollUntil(consumer, count: 3).map(\.offset) == [2, 3, 4])
    }

    @Test func wakeupReturnsBlockedPollEarly() throws {
        let consumer = try KafkaConsumer.make(config: ["bootstrap.servers": Self.kafka.bootstrapServers])
        defer { consumer.close() }
        try consumer.assign([KafkaPartitionOffset(topic: TestNames.unique("idle"), partition: 0, offset: KafkaPartitionOffset.end)])
        let box = UncheckedBox(consumer)
        let waker = Thread { usleep(300_000); box.value.wakeup() }
        let start = ContinuousClock.now
        waker.start()
        _ = try consumer.poll(maxMessages: 10, timeoutMs: 10_000)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func closedConsumerRefusesPoll() throws {
        let consumer = try KafkaConsumer.make(config: ["bootstrap.servers": Self.kafka.bootstrapServers])
        consumer.close()
        consumer.close()
        let error = #expect(throws: KafkaError.self) { _ = try consumer.poll(maxMessages: 1, timeoutMs: 10) }
        #expect(error?.code == .invalidState)
    }
}

final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
