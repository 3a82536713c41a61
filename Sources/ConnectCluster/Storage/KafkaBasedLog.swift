import Foundation
import Kafka
import Logging
import Synchronization

/// A Kafka topic used as a replicated log, as Kafka Connect's `KafkaBasedLog`: a producer to append, and a consumer
/// assigned ALL partitions (no consumer group) that reads the topic from the beginning and then follows it on its
/// own thread, handing every record to `consume` in partition order.
///
/// `start` returns once everything already in the topic has been consumed; `readToEnd` is the barrier the stores
/// use before answering "what is the latest state" (it waits until the follower reached the end offsets the
/// brokers report at the time of the call). Never call `readToEnd` from inside `consume` (it would wait for itself).
public final class KafkaBasedLog: @unchecked Sendable {
    /// Called on the follower thread for each record, in offset order per partition.
    public typealias Consume = @Sendable (KafkaMessage) -> Void

    public let topic: String
    private let bootstrapServers: String
    private let clientConfig: [String: String]
    private let logger: Logger
    private let consume: Consume
    private let offsets: KafkaOffsetQuery
    /// A security setting the offset queries cannot honour, thrown by `start`.
    private let securityError: KafkaWireError?
    private let lock = NSCondition()
    /// Next offset to consume per partition (guarded by `lock`).
    private var positions: [Int32: Int64] = [:]
    private var followerError: (any Error)?
    private var stopped = false
    private var producer: KafkaProducer?
    private var consumer: KafkaConsumer?
    private var follower: Thread?
    private let followerDone = DispatchSemaphore(value: 0)
    /// The topic's partition count, known after `start`.
    public private(set) var partitionCount = 0

    /// - Parameter clientConfig: extra librdkafka settings for both producer and consumer (security etc.).
    public init(
        topic: String, bootstrapServers: String, clientConfig: [String: String] = [:],
        logger: Logger = Logger(label: "sluice.cluster.log"), consume: @escaping Consume
    ) {
        self.topic = topic
        self.bootstrapServers = bootstrapServers
        self.clientConfig = clientConfig
        self.logger = logger
        self.consume = consume
        // The offset queries speak Kafka's protocol directly, secured like the librdkafka clients.
        do {
            self.offsets = KafkaOffsetQuery(bootstrapServers: bootstrapServers, security: try KafkaWireSecurity(librdkafka: clientConfig))
            self.securityError = nil
        } catch {
            self.offsets = KafkaOffsetQuery(bootstrapServers: bootstrapServers)
            self.securityError = error
        }
    }

    deinit { stop() }

    /// Opens the producer and consumer, reads the existing topic to its end, then keeps following it.
    /// The topic must exist (see `ConnectTopics.ensure`).
    public func start(timeoutMs: Int = 60_000) throws {
        if let securityError { throw securityError }
        guard let count = try offsets.partitionCount(topic: topic), count > 0 else {
            throw KafkaWireError.broker(api: "start log on topic '\(topic)'", code: KafkaProtocolErrorCode(rawValue: 3), message: "the topic does not exist")
        }
        var settings = clientConfig
        settings["bootstrap.servers"] = bootstrapServers
        var consumerSettings = settings
        consumerSettings["auto.offset.reset"] = "earliest"
        if consumerSettings["fetch.wait.max.ms"] == nil { consumerSettings["fetch.wait.max.ms"] = "50" }
        var producerSettings = settings
        if producerSettings["linger.ms"] == nil { producerSettings["linger.ms"] = "0" }
        let producer = try KafkaProducer.make(config: producerSettings, logger: logger)
        let consumer = try KafkaConsumer.make(config: consumerSettings, logger: logger)
        try consumer.assign((0..<count).map { KafkaPartitionOffset(topic: topic, partition: Int32($0), offset: KafkaPartitionOffset.beginning) })
        lock.lock()
        self.producer = producer
        self.consumer = consumer
        partitionCount = count
        stopped = false
        lock.unlock()
        let thread = Thread { [self] in follow(consumer: consumer, producer: producer) }
        thread.name = "sluice-log-\(topic)"
        follower = thread
        thread.start()
        try readToEnd(timeoutMs: timeoutMs)
    }

    /// Appends a record. With a key and no partition, the partition is Java's default (murmur2 of the key), so
    /// records land where a Java worker would put them. `completion` runs once the broker acknowledged it (or failed).
    public func send(
        key: [UInt8]?, value: [UInt8]?, partition: Int32? = nil,
        completion: @escaping KafkaProducer.Completion = { _ in }
    ) throws {
        let (producer, count) = lockedProducer()
        guard let producer else { throw KafkaError(code: .invalidState, message: "log on topic '\(topic)' is not started") }
        var target = partition
        if target == nil, let key, count > 0 { target = KafkaPartitioner.partition(forKey: key, partitionCount: count) }
        try producer.produce(topic: topic, partition: target, key: key, value: value, completion: completion)
    }

    /// Appends a record and waits until the broker acknowledged it: the write is durable when this returns.
    public func sendAndWait(key: [UInt8]?, value: [UInt8]?, partition: Int32? = nil, timeoutMs: Int = 30_000) throws {
        let outcome = Mutex<Result<KafkaDeliveryReport, KafkaError>?>(nil)
        try send(key: key, value: value, partition: partition) { result in outcome.withLock { $0 = result } }
        let (producer, _) = lockedProducer()
        _ = producer?.flush(timeoutMs: timeoutMs)
        guard let result = outcome.withLock({ $0 }) else {
            throw KafkaError(code: .timedOut, message: "write to topic '\(topic)' not acknowledged within \(timeoutMs) ms")
        }
        _ = try result.get()
    }

    /// Waits until every record sent so far was acknowledged (or failed: each `send` completion reports which);
    /// throws on timeout.
    public func flush(timeoutMs: Int = 30_000) throws {
        let (producer, _) = lockedProducer()
        guard let producer else { throw KafkaError(code: .invalidState, message: "log on topic '\(topic)' is not started") }
        if !producer.flush(timeoutMs: timeoutMs) {
            throw KafkaError(code: .timedOut, message: "writes to topic '\(topic)' not acknowledged within \(timeoutMs) ms")
        }
    }

    /// Waits until every record acknowledged before this call has been consumed (handed to `consume`).
    public func readToEnd(timeoutMs: Int = 30_000) throws {
        let marks = try offsets.watermarks(topic: topic)
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let error = followerError { throw error }
            if stopped { throw KafkaError(code: .invalidState, message: "log on topic '\(topic)' stopped") }
            let behind = marks.filter { partition, mark in mark.high > mark.low && (positions[partition] ?? 0) < mark.high }
            if behind.isEmpty { return }
            if !lock.wait(until: deadline) {
                let detail = behind.map { "\(topic)-\($0.key) at \(positions[$0.key] ?? 0) of \($0.value.high)" }.sorted().joined(separator: ", ")
                throw KafkaError(code: .timedOut, message: "reading topic '\(topic)' to its end took over \(timeoutMs) ms (\(detail))")
            }
        }
    }

    /// Flushes pending writes, stops following and closes the clients. Idempotent.
    public func stop() {
        lock.lock()
        let wasRunning = !stopped && follower != nil
        stopped = true
        let consumer = self.consumer
        let producer = self.producer
        lock.broadcast()
        lock.unlock()
        guard wasRunning else { return }
        _ = producer?.close(timeoutMs: 10_000)
        consumer?.wakeup()
        followerDone.wait()
        consumer?.close()
        offsets.close()
        lock.lock()
        self.consumer = nil
        self.producer = nil
        follower = nil
        lock.unlock()
    }

    private func lockedProducer() -> (KafkaProducer?, Int) {
        lock.lock()
        defer { lock.unlock() }
        return (producer, partitionCount)
    }

    private func follow(consumer: KafkaConsumer, producer: KafkaProducer) {
        defer { followerDone.signal() }
        while true {
            lock.lock()
            let stop = stopped
            lock.unlock()
            if stop { return }
            do {
                let messages = try consumer.poll(maxMessages: 1_000, timeoutMs: 100)
                for message in messages { consume(message) }
                producer.poll(timeoutMs: 0)
                guard !messages.isEmpty else { continue }
                lock.lock()
                for message in messages { positions[message.partition] = max(positions[message.partition] ?? 0, message.offset + 1) }
                lock.broadcast()
                lock.unlock()
            } catch {
                logger.error("following topic '\(topic)' failed: \(error)")
                lock.lock()
                followerError = error
                lock.broadcast()
                lock.unlock()
                return
            }
        }
    }
}
