import Foundation
import Kafka
import Logging
import SluiceAPI

/// The worker's Kafka clients over librdkafka. Java client keys from worker and connector configs
/// (`producer.*`, `consumer.override.*`, ...) are translated by `KafkaConfigMapper`; keys librdkafka does not know
/// are logged once and dropped rather than failing the task.
struct LibrdkafkaClientFactory: KafkaClientFactory {
    let logger: Logger

    func makeSender(props: [String: String], clientId: String) throws -> any KafkaSender {
        var mapped = KafkaConfigMapper.producerConfig(fromJava: props)
        logDropped(mapped.dropped, clientId)
        mapped.config["client.id"] = mapped.config["client.id"] ?? clientId
        // Connect's defaults for source producers; users override with producer.* keys.
        if mapped.config["linger.ms"] == nil { mapped.config["linger.ms"] = "5" }
        if mapped.config["compression.type"] == nil && mapped.config["compression.codec"] == nil { mapped.config["compression.type"] = "lz4" }
        // Java's buffer.memory default (32 MiB) instead of librdkafka's 1 GiB queue: a source task that outruns the
        // broker blocks at 32 MiB of unsent records instead of growing the worker's memory.
        if mapped.config["queue.buffering.max.kbytes"] == nil { mapped.config["queue.buffering.max.kbytes"] = "32768" }
        // Java's default partitioner places keyed records by murmur2 of the key; librdkafka's own default
        // (crc32) would put the same key in a different partition than a Java producer or Kafka Connect does.
        if mapped.config["partitioner"] == nil { mapped.config["partitioner"] = "murmur2_random" }
        return try LibrdkafkaSender.make(config: mapped.config, logger: logger)
    }

    func makeReceiver(props: [String: String], groupId: String, clientId: String, listener: any RebalanceListener) throws -> any KafkaReceiver {
        var mapped = KafkaConfigMapper.consumerConfig(fromJava: props)
        logDropped(mapped.dropped, clientId)
        mapped.config["group.id"] = groupId
        mapped.config["client.id"] = mapped.config["client.id"] ?? clientId
        // librdkafka prefetches up to 64 MiB per consumer by default; a sink task needs far less to stay busy.
        if mapped.config["queued.max.messages.kbytes"] == nil { mapped.config["queued.max.messages.kbytes"] = "16384" }
        let box = ListenerBox(listener)
        let consumer = try KafkaConsumer.make(config: mapped.config, logger: logger, rebalanceHandler: { event in
            switch event {
            case .assigned(let tps): box.listener?.partitionsAssigned(tps.map { TopicPartition($0.topic, $0.partition) })
            case .revoked(let tps): box.listener?.partitionsRevoked(tps.map { TopicPartition($0.topic, $0.partition) })
            }
        }, outOfRangeHandler: { e in
            // The consumer applies auto.offset.reset itself so that records it jumps over are reported, not just
            // logged by librdkafka as a WARN line.
            box.listener?.offsetOutOfRange(OffsetOutOfRange(
                partition: TopicPartition(e.topic, e.partition), requestedOffset: e.requestedOffset,
                lowWatermark: e.lowWatermark, highWatermark: e.highWatermark, resumedAt: e.resumedAt, skipped: e.skipped))
        })
        return LibrdkafkaReceiver(consumer)
    }

    func createTopic(props: [String: String], name: String, partitions: Int, replicationFactor: Int, configs: [String: String]) throws {
        let admin = try KafkaAdmin.make(config: KafkaConfigMapper.adminConfig(fromJava: props).config, logger: logger)
        try admin.createTopic(name: name, partitions: partitions, replicationFactor: replicationFactor, configs: configs)
    }

    func committedOffsets(props: [String: String], groupId: String, topics: [String]) throws -> [TopicPartition: Int64] {
        if topics.isEmpty { return [:] }
        let adminConfig = KafkaConfigMapper.adminConfig(fromJava: props).config
        let admin = try KafkaAdmin.make(config: adminConfig, logger: logger)
        var partitions: [KafkaTopicPartition] = []
        for t in topics {
            for p in 0..<(try admin.partitionCount(topic: t) ?? 0) { partitions.append(KafkaTopicPartition(topic: t, partition: Int32(p))) }
        }
        var config = KafkaConfigMapper.consumerConfig(fromJava: props).config
        config["group.id"] = groupId
        let consumer = try KafkaConsumer.make(config: config, logger: logger)
        defer { consumer.close() }
        var out: [TopicPartition: Int64] = [:]
        for (tp, off) in try consumer.committed(partitions) { out[TopicPartition(tp.topic, tp.partition)] = off }
        return out
    }

    /// Rewrites a stopped sink's group offsets by joining the group as its only member and committing as such.
    /// (Commits from outside a group that has existed are refused by librdkafka's mock broker, and joining works
    /// the same against a real broker while the connector is STOPPED and its group empty.)
    func alterCommittedOffsets(props: [String: String], groupId: String, _ offsets: [TopicPartition: Int64?]) throws {
        // Resetting a group that never committed anything (DELETE /offsets of a sink that read nothing) has nothing
        // to change; subscribing to no topics would fail with a 500.
        if offsets.isEmpty { return }
        var config = KafkaConfigMapper.consumerConfig(fromJava: props).config
        config["group.id"] = groupId
        let consumer = try KafkaConsumer.make(config: config, logger: logger)
        defer { consumer.close() }
        // A removed offset becomes the partition's earliest offset: the group then starts from the beginning, as it
        // would with no committed offset under Connect's auto.offset.reset=earliest.
        var set: [KafkaPartitionOffset] = []
        for (tp, off) in offsets {
            let value = try off ?? consumer.watermarks(topic: tp.topic, partition: tp.partition).low
            set.append(KafkaPartitionOffset(topic: tp.topic, partition: tp.partition, offset: value))
        }
        let wanted = Set(offsets.keys.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) })
        try consumer.subscribe(topics: Array(Set(offsets.keys.map(\.topic))).sorted())
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while Set((try? consumer.assignment()) ?? []).isSuperset(of: wanted) == false {
            if ContinuousClock.now >= deadline {
                throw RestError(409, "Could not join consumer group \(groupId) to change its offsets; is another consumer still using it?")
            }
            try consumer.pause(Array(wanted.intersection((try? consumer.assignment()) ?? [])))
            _ = try consumer.poll(maxMessages: 1, timeoutMs: 200)
        }
        try consumer.commit(offsets: set, async: false)
    }

    private func logDropped(_ dropped: [String: String], _ clientId: String) {
        if !dropped.isEmpty {
            logger.debug("Kafka client \(clientId): ignoring Java-only settings \(dropped.keys.sorted().joined(separator: ", "))")
        }
    }
}

/// Holds the sink task weakly so the consumer's callback does not keep it alive.
final class ListenerBox: @unchecked Sendable {
    weak var listener: (any RebalanceListener)?
    init(_ l: any RebalanceListener) { listener = l }
}

final class LibrdkafkaReceiver: KafkaReceiver {
    let consumer: KafkaConsumer
    init(_ c: KafkaConsumer) { consumer = c }

    func subscribe(topics: [String]) throws { try consumer.subscribe(topics: topics) }
    func subscribe(pattern: String) throws { try consumer.subscribe(pattern: pattern) }

    func poll(maxMessages: Int, timeoutMs: Int) throws -> [IncomingMessage] {
        try consumer.poll(maxMessages: maxMessages, timeoutMs: timeoutMs).map(Self.incoming)
    }

    func pollBatch(maxMessages: Int, timeoutMs: Int) throws -> PolledBatch {
        let batch = try consumer.pollBatch(maxMessages: maxMessages, timeoutMs: timeoutMs)
        return PolledBatch(count: batch.count) { batch.messages().map(Self.incoming) }
    }

    static func incoming(_ m: KafkaMessage) -> IncomingMessage {
        IncomingMessage(topic: m.topic, partition: m.partition, offset: m.offset, key: m.key, value: m.value,
                        headers: m.headers, timestamp: m.timestamp,
                        timestampType: LibrdkafkaReceiver.timestampType(m.timestampType))
    }

    static func timestampType(_ t: KafkaTimestampType) -> SinkRecord.TimestampType {
        switch t {
        case .createTime: return .createTime
        case .logAppendTime: return .logAppendTime
        default: return .noTimestampType
        }
    }

    func commit(_ offsets: [TopicPartition: Int64], sync: Bool) throws {
        try consumer.commit(offsets: offsets.map { KafkaPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value) }, async: !sync)
    }

    func seek(_ partition: TopicPartition, to offset: Int64) throws {
        try consumer.seek([KafkaPartitionOffset(topic: partition.topic, partition: partition.partition, offset: offset)])
    }

    func pause(_ partitions: [TopicPartition]) { try? consumer.pause(partitions.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) }) }
    func resume(_ partitions: [TopicPartition]) { try? consumer.resume(partitions.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) }) }
    var assignment: [TopicPartition] { ((try? consumer.assignment()) ?? []).map { TopicPartition($0.topic, $0.partition) } }
    func close() { consumer.close() }
}
