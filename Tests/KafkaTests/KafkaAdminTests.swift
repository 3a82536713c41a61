import Foundation
import Kafka
import Testing

@Suite struct KafkaAdminTests {
    static let kafka = try! EmbeddedKafka.start()

    @Test func createTopicWithPartitionsThenToleratesExisting() throws {
        let admin = try KafkaAdmin.make(config: ["bootstrap.servers": Self.kafka.bootstrapServers])
        let topic = TestNames.unique("admin")
        #expect(try admin.partitionCount(topic: topic) == nil)
        #expect(try admin.createTopic(name: topic, partitions: 6, replicationFactor: 1, configs: ["cleanup.policy": "compact"]) == .created)
        #expect(try admin.partitionCount(topic: topic) == 6)
        #expect(try admin.createTopic(name: topic, partitions: 3) == .alreadyExists)
        #expect(try admin.partitionCount(topic: topic) == 6)
        #expect(try admin.partitionCounts()[topic] == 6)
    }

    /// A mock cluster that is not this process's (as with `sluice kafka-embedded`) has no CreateTopics API: the topic
    /// is auto-created with the broker default. Addressing our cluster as `localhost` hides it from the in-process path.
    @Test func createTopicFallsBackToAutoCreationWithoutAdminAPI() throws {
        let remote = Self.kafka.bootstrapServers.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        let admin = try KafkaAdmin.make(config: ["bootstrap.servers": remote])
        let topic = TestNames.unique("auto")
        #expect(try admin.createTopic(name: topic, partitions: 6) == .autoCreated(partitions: 4))
        #expect(try admin.partitionCount(topic: topic) == 4)
    }

    /// librdkafka's mock cluster does not implement DescribeConfigs/DeleteTopics: the error says so and is typed.
    @Test func unsupportedAdminCallsReportUnsupportedFeature() throws {
        let admin = try KafkaAdmin.make(config: ["bootstrap.servers": Self.kafka.bootstrapServers])
        let topic = TestNames.unique("cfg")
        try Self.kafka.createTopic(topic, partitions: 1)
        let describe = #expect(throws: KafkaError.self) { _ = try admin.describeTopicConfig(name: topic, timeoutMs: 5_000) }
        #expect(describe?.code == .unsupportedFeature)
        #expect(describe?.message.contains(topic) == true)
        let delete = #expect(throws: KafkaError.self) { try admin.deleteTopic(name: topic, timeoutMs: 5_000) }
        #expect(delete?.code == .unsupportedFeature)
        #expect(delete?.message.contains(topic) == true)
    }

    @Test func embeddedClusterStopsCleanly() throws {
        let kafka = try EmbeddedKafka.start(brokers: 3)
        #expect(kafka.bootstrapServers.split(separator: ",").count == 3)
        #expect(kafka.bootstrapServers.hasPrefix("127.0.0.1:"))
        try kafka.createTopic("t", partitions: 2)
        kafka.stop()
        kafka.stop()
        #expect(throws: KafkaError.self) { try kafka.createTopic("u", partitions: 1) }
    }
}
