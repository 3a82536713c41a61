import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole topic from the beginning, without a consumer group: what tests (and `kcat -C -e`-style checks) need.
///
/// Assigns every partition at its earliest offset and polls until `count` records arrived or the timeout passed.
/// Synchronous and blocking: not for the cooperative pool.
public enum TopicReader {
    /// Returns the records read (fewer than `count` if the timeout passed first), each partition in offset order.
    ///
    /// - Parameter config: extra librdkafka settings (security, etc.); `bootstrap.servers` is set from the argument.
    public static func read(
        bootstrapServers: String, topic: String, count: Int, timeoutMs: Int = 15_000,
        config: [String: String] = [:], logger: Logger = Logger(label: "sluice.kafka.reader")
    ) throws(KafkaError) -> [KafkaMessage] {
        var settings = config
        settings["bootstrap.servers"] = bootstrapServers
        settings["auto.offset.reset"] = "earliest"
        let consumer = try KafkaConsumer.make(config: settings, logger: logger)
        defer { consumer.close() }
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(timeoutMs))
        var partitions = 0
        while partitions == 0 {
            partitions = (try? consumer.partitionCount(topic: topic, timeoutMs: 1_000)) ?? 0
            if partitions == 0 {
                if ContinuousClock.now >= deadline { return [] }
                usleep(100_000)
            }
        }
        try consumer.assign((0..<partitions).map {
            KafkaPartitionOffset(topic: topic, partition: Int32($0), offset: KafkaPartitionOffset.beginning)
        })
        var messages: [KafkaMessage] = []
        while messages.count < count {
            let remaining = ContinuousClock.now.duration(to: deadline)
            if remaining <= .zero { break }
            let ms = Int(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)
            messages += try consumer.poll(maxMessages: count - messages.count, timeoutMs: min(max(ms, 1), 500))
        }
        return messages
    }
}
