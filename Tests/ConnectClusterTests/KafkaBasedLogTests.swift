import Foundation
import Kafka
import Synchronization
import Testing
@testable import ConnectCluster

@Suite struct KafkaBasedLogTests {
    final class Collected: Sendable {
        let messages = Mutex<[KafkaMessage]>([])
        func add(_ m: KafkaMessage) { messages.withLock { $0.append(m) } }
        var all: [KafkaMessage] { messages.withLock { $0 } }
    }

    @Test func writesAreReadBackByAFreshLogAndFollowed() throws {
        let kafka = try EmbeddedKafka.start()
        let admin = try KafkaAdmin.make(config: ["bootstrap.servers": kafka.bootstrapServers])
        let count = try ConnectTopics.ensure(admin: admin, name: "log-a", kind: .offset, partitions: 3)
        #expect(count == 3)
        let first = Collected()
        let log = KafkaBasedLog(topic: "log-a", bootstrapServers: kafka.bootstrapServers) { first.add($0) }
        try log.start(timeoutMs: 20_000)
        #expect(first.all.isEmpty)
        for i in 0..<20 { try log.sendAndWait(key: Array("key-\(i)".utf8), value: Array("v\(i)".utf8)) }
        try log.send(key: Array("key-x".utf8), value: nil)
        try log.readToEnd(timeoutMs: 10_000)
        #expect(first.all.count == 21)
        // Records are placed by murmur2 of the key, as Java's default partitioner does.
        for m in first.all { #expect(m.partition == KafkaPartitioner.partition(forKey: m.key!, partitionCount: 3)) }

        let second = Collected()
        let fresh = KafkaBasedLog(topic: "log-a", bootstrapServers: kafka.bootstrapServers) { second.add($0) }
        try fresh.start(timeoutMs: 20_000)
        #expect(Set(second.all.map { String(decoding: $0.key!, as: UTF8.self) }) == Set((0..<20).map { "key-\($0)" } + ["key-x"]))
        #expect(second.all.contains { $0.value == nil })
        // The fresh instance follows writes made by the first one.
        try log.sendAndWait(key: Array("late".utf8), value: [1])
        try fresh.readToEnd(timeoutMs: 10_000)
        #expect(second.all.last?.key == Array("late".utf8))
        log.stop()
        fresh.stop()
    }

    @Test func topicChecks() throws {
        #expect(throws: ConnectTopics.Misconfigured.self) {
            try ConnectTopics.check(name: "c", kind: .config, partitions: 2, cleanupPolicy: "compact", isMockCluster: false)
        }
        #expect(throws: ConnectTopics.Misconfigured.self) {
            try ConnectTopics.check(name: "o", kind: .offset, partitions: 25, cleanupPolicy: "delete", isMockCluster: false)
        }
        try ConnectTopics.check(name: "o", kind: .offset, partitions: 25, cleanupPolicy: "compact,delete", isMockCluster: false)
        try ConnectTopics.check(name: "c", kind: .config, partitions: 1, cleanupPolicy: "compact", isMockCluster: false)
        // The embedded cluster auto-creates topics with 4 partitions for other processes: tolerated there.
        try ConnectTopics.check(name: "c", kind: .config, partitions: 4, cleanupPolicy: nil, isMockCluster: true)
    }

    @Test func ensureCreatesTopicsWithTheRightPartitionCounts() throws {
        let kafka = try EmbeddedKafka.start()
        let admin = try KafkaAdmin.make(config: ["bootstrap.servers": kafka.bootstrapServers])
        #expect(try ConnectTopics.ensure(admin: admin, name: "new-config", kind: .config, partitions: 5) == 1)
        #expect(try ConnectTopics.ensure(admin: admin, name: "new-status", kind: .status, partitions: 5) == 5)
        #expect(try admin.partitionCount(topic: "new-status") == 5)
        try kafka.createTopic("existing-config", partitions: 4)
        #expect(try ConnectTopics.ensure(admin: admin, name: "existing-config", kind: .config, partitions: 1) == 4)
    }

    @Test func startOnMissingTopicFails() throws {
        let kafka = try EmbeddedKafka.start()
        let log = KafkaBasedLog(topic: "never-created", bootstrapServers: kafka.bootstrapServers) { _ in }
        #expect(throws: (any Error).self) { try log.start(timeoutMs: 5_000) }
    }
}
