import Foundation
import Kafka
import Synchronization
import Testing

/// The runtime's sink loop relies on these rebalance semantics: revocation reaches the handler while the partitions
/// are still owned (so a synchronous commit there works, including during `close()`), and a joining member takes
/// over part of the assignment.
@Suite struct KafkaRebalanceTests {
    static let kafka = try! EmbeddedKafka.start()

    @Test func commitInsideRevokeHandlerDuringCloseIsKept() throws {
        let topic = TestNames.unique("revoke-commit")
        let group = TestNames.unique("group")
        try Self.kafka.createTopic(topic, partitions: 2)
        _ = try produceStrings(Self.kafka, topic: topic, records: (0..<6).map { (key: nil, value: "v\($0)") }, partition: 0)

        let consumer = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: group))
        let box = UncheckedBox(consumer)
        let revokedCommitError = Mutex<String?>("handler not called")
        consumer.setRebalanceHandler { event in
            guard case .revoked(let partitions) = event else { return }
            do {
                #expect(Set(partitions) == [KafkaTopicPartition(topic: topic, partition: 0), KafkaTopicPartition(topic: topic, partition: 1)])
                try box.value.commit(offsets: [KafkaPartitionOffset(topic: topic, partition: 0, offset: 4)])
                revokedCommitError.withLock { $0 = nil }
            } catch {
                revokedCommitError.withLock { $0 = "\(error)" }
            }
        }
        try consumer.subscribe(topics: [topic])
        #expect(try pollUntil(consumer, count: 6).count == 6)
        consumer.close()
        #expect(revokedCommitError.withLock { $0 } == nil)

        let checker = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: group))
        defer { checker.close() }
        let tp0 = KafkaTopicPartition(topic: topic, partition: 0)
        #expect(try checker.committed([tp0, KafkaTopicPartition(topic: topic, partition: 1)]) == [tp0: 4])
    }

    @Test func joiningMemberTakesOverPartitions() throws {
        let topic = TestNames.unique("share")
        let group = TestNames.unique("group")
        try Self.kafka.createTopic(topic, partitions: 4)
        let firstEvents = Mutex<[KafkaRebalanceEvent]>([])
        let first = try KafkaConsumer.make(
            config: groupConsumerConfig(Self.kafka, group: group),
            rebalanceHandler: { event in firstEvents.withLock { $0.append(event) } })
        defer { first.close() }
        try first.subscribe(topics: [topic])
        _ = try pollUntil(first, count: 1, timeoutMs: 5_000)
        #expect(try first.assignment().count == 4)

        let second = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: group))
        defer { second.close() }
        try second.subscribe(topics: [topic])
        // Both members must keep polling for the rebalance to complete.
        let deadline = ContinuousClock.now.advanced(by: .seconds(25))
        while ContinuousClock.now < deadline {
            _ = try first.poll(maxMessages: 10, timeoutMs: 100)
            _ = try second.poll(maxMessages: 10, timeoutMs: 100)
            if try first.assignment().count == 2 && second.assignment().count == 2 { break }
        }
        let a = try first.assignment(), b = try second.assignment()
        #expect(a.count == 2 && b.count == 2)
        #expect(Set(a).isDisjoint(with: Set(b)))
        let events = firstEvents.withLock { $0 }
        #expect(events.count >= 3)
        if case .revoked(let revoked) = events[1] { #expect(revoked.count == 4) } else { Issue.record("expected revoke, got \(events)") }
    }

    /// Sink tasks may rewind on assignment (`SinkTaskContext.offset`): a seek inside the assigned handler applies.
    @Test func seekInsideAssignedHandlerApplies() throws {
        let topic = TestNames.unique("assign-seek")
        try Self.kafka.createTopic(topic, partitions: 1)
        _ = try produceStrings(Self.kafka, topic: topic, records: (0..<5).map { (key: nil, value: "v\($0)") })
        let consumer = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: TestNames.unique("group")))
        defer { consumer.close() }
        let box = UncheckedBox(consumer)
        let seekError = Mutex<String?>("handler not called")
        consumer.setRebalanceHandler { event in
            guard case .assigned(let partitions) = event else { return }
            do {
                try box.value.seek(partitions.map { KafkaPartitionOffset(topic: $0.topic, partition: $0.partition, offset: 3) })
                seekError.withLock { $0 = nil }
            } catch {
                seekError.withLock { $0 = "\(error)" }
            }
        }
        try consumer.subscribe(topics: [topic])
        let messages = try pollUntil(consumer, count: 2)
        #expect(seekError.withLock { $0 } == nil)
        #expect(messages.map(\.offset) == [3, 4])
    }

    /// The runtime edits a sink group's offsets (KIP-875 PATCH) from a consumer that never joins the group.
    @Test func nonMemberCanCommitAndReadGroupOffsets() throws {
        let topic = TestNames.unique("alter")
        let group = TestNames.unique("group")
        try Self.kafka.createTopic(topic, partitions: 2)
        let tp0 = KafkaTopicPartition(topic: topic, partition: 0), tp1 = KafkaTopicPartition(topic: topic, partition: 1)
        let editor = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: group))
        try editor.commit(offsets: [KafkaPartitionOffset(topic: topic, partition: 0, offset: 7), KafkaPartitionOffset(topic: topic, partition: 1, offset: 2)])
        editor.close()
        let reader = try KafkaConsumer.make(config: groupConsumerConfig(Self.kafka, group: group))
        defer { reader.close() }
        #expect(try reader.committed([tp0, tp1]) == [tp0: 7, tp1: 2])
    }

    /// A member that joined its group but was never polled (what a paused sink task used to be) gets the join's
    /// assignment delivered inside `close()`: the rebalance callback runs while the group is terminating, and must
    /// neither trap nor hand the handler a revocation of partitions it never saw (issue #13). With the eager
    /// protocol librdkafka 2.0.2 then drops the assignment without a revoke callback; cooperative revokes it.
    @Test(arguments: ["range,roundrobin", "cooperative-sticky"])
    func closeOfAMemberThatJoinedButNeverPolledDoesNotTrap(strategy: String) throws {
        let topic = TestNames.unique("never-polled")
        try Self.kafka.createTopic(topic, partitions: 2)
        let events = Mutex<[KafkaRebalanceEvent]>([])
        var config = groupConsumerConfig(Self.kafka, group: TestNames.unique("group"))
        config["partition.assignment.strategy"] = strategy
        let consumer = try KafkaConsumer.make(config: config, rebalanceHandler: { event in events.withLock { $0.append(event) } })
        try consumer.subscribe(topics: [topic])
        // The join and sync complete on librdkafka's threads; the assignment waits in the queue nobody polls.
        Thread.sleep(forTimeInterval: 4)
        consumer.close()
        let seen = events.withLock { $0 }
        let assigned = seen.reduce(into: Set<KafkaTopicPartition>()) { if case .assigned(let p) = $1 { $0.formUnion(p) } }
        let revoked = seen.reduce(into: Set<KafkaTopicPartition>()) { if case .revoked(let p) = $1 { $0.formUnion(p) } }
        #expect(assigned.count == 2, "the join completed while nobody polled: \(seen)")
        #expect(revoked.isSubset(of: assigned), "events during close: \(seen)")
        #expect(throws: KafkaError.self) { try consumer.poll(maxMessages: 1, timeoutMs: 0) }
    }

    @Test func cooperativeProtocolIsReadFromTheAssignors() {
        #expect(!KafkaConsumer.isCooperative([:]))
        #expect(!KafkaConsumer.isCooperative(["partition.assignment.strategy": "range,roundrobin"]))
        #expect(KafkaConsumer.isCooperative(["partition.assignment.strategy": "cooperative-sticky"]))
        #expect(KafkaConsumer.isCooperative(["group.protocol": "consumer"]))
    }
}
