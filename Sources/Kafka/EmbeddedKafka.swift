import CRdKafka
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An in-memory Kafka cluster: librdkafka's mock cluster, for the zero-setup default (`bootstrap.servers=embedded`),
/// `sluice kafka-embedded`, and tests.
///
/// It speaks the Kafka protocol on `127.0.0.1` (random ports; `kcat -b <bootstrapServers>` works) and supports
/// produce, fetch, consumer groups (classic protocol) and offset commits. It is for demos and tests, NOT storage:
/// - everything is in memory and gone when the process exits;
/// - librdkafka keeps at most 5 MiB or 100,000 batches per partition and silently drops older batches (the low
///   watermark moves), so a long-running or high-volume pipeline loses data;
/// - topics auto-create with 4 partitions on first use; `createTopic` picks another count;
/// - there are no admin APIs (CreateTopics, DescribeConfigs, DeleteTopics): `KafkaAdmin` falls back to this object's
///   `createTopic` when the cluster lives in the same process, and to auto-creation otherwise.
/// Real deployments point `bootstrap.servers` at Kafka.
public final class EmbeddedKafka: @unchecked Sendable {
    /// Comma-separated `127.0.0.1:port` list for `bootstrap.servers`.
    public let bootstrapServers: String

    private let handle: RdKafkaHandle
    /// The mock cluster; valid while `running` is true, which is checked under its lock before every use.
    private nonisolated(unsafe) let mockCluster: OpaquePointer
    private let running = Mutex<Bool>(true)

    /// In-process clusters by bootstrap address, so `KafkaAdmin` can create topics with exact partition counts.
    private static let registry = Mutex<[String: WeakBox]>([:])
    private final class WeakBox: @unchecked Sendable {
        weak var value: EmbeddedKafka?
        init(_ value: EmbeddedKafka) { self.value = value }
    }

    private init(handle: RdKafkaHandle, cluster: OpaquePointer, bootstrapServers: String) {
        self.handle = handle
        self.bootstrapServers = bootstrapServers
        self.mockCluster = cluster
    }

    deinit { stop() }

    /// Starts a cluster of `brokers` brokers on loopback. Returns once it accepts connections.
    public static func start(brokers: Int = 1, logger: Logger = Logger(label: "sluice.kafka.embedded")) throws(KafkaError)
        -> EmbeddedKafka
    {
        // The mock cluster hangs off an ordinary client handle that never talks to anything itself.
        let handle = try RdKafkaHandle.make(
            type: RD_KAFKA_PRODUCER, config: ["log_level": "3"], context: KafkaClientContext(logger: logger))
        guard let mc = rd_kafka_mock_cluster_new(handle.pointer, Int32(clamping: brokers)) else {
            throw KafkaError(code: .invalidState, message: "cannot start the embedded Kafka mock cluster (\(brokers) brokers)")
        }
        let servers = String(cString: rd_kafka_mock_cluster_bootstraps(mc))
        let embedded = EmbeddedKafka(handle: handle, cluster: mc, bootstrapServers: servers)
        registry.withLock { $0[servers] = WeakBox(embedded) }
        logger.info("embedded Kafka (librdkafka mock cluster, in memory) listening on \(servers)")
        return embedded
    }

    /// Creates `name` with exactly `partitions` partitions; succeeds quietly when it already exists.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        let mc = mockCluster
        let err: rd_kafka_resp_err_t? = running.withLock { running in
            guard running else { return nil }
            return rd_kafka_mock_topic_create(mc, name, Int32(clamping: partitions), Int32(clamping: replicationFactor))
        }
        guard let err else { throw KafkaError(code: .invalidState, message: "embedded Kafka is stopped; cannot create topic '\(name)'") }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
            throw KafkaError(err, "cannot create topic '\(name)' with \(partitions) partitions on embedded Kafka")
        }
    }

    /// Shuts the brokers down; clients still connected see the brokers as down. Idempotent.
    public func stop() {
        let mc = mockCluster
        let servers = bootstrapServers
        running.withLock { running in
            guard running else { return }
            running = false
            Self.registry.withLock { $0[servers] = nil }
            rd_kafka_mock_cluster_destroy(mc)
        }
    }

    /// The running in-process cluster serving `bootstrapServers`, if any.
    static func inProcess(_ bootstrapServers: String) -> EmbeddedKafka? {
        registry.withLock { $0[bootstrapServers]?.value }
    }

    /// Serves a standalone cluster until the process is killed: what `sluice kafka-embedded` runs.
    ///
    /// Prints the bootstrap address as one flushed line on stdout first, so a parent process can read it and hand it
    /// to workers and `kcat`.
    public static func runForever(
        brokers: Int = 1,
        logger: Logger = Logger(label: "sluice.kafka.embedded"),
        printer: (String) -> Void = { line in print(line); fflush(nil) }
    ) throws(KafkaError) -> Never {
        let embedded = try start(brokers: brokers, logger: logger)
        printer(embedded.bootstrapServers)
        while true {
            withExtendedLifetime(embedded) { _ = sleep(3600) }
        }
    }
}
