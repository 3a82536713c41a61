import CRdKafka
import Logging
import Synchronization

/// Topic administration for the runtime: create the topics connectors and the stores need, check them, delete them.
///
/// Synchronous: each call waits for the broker (bounded by `timeoutMs`), so call it from a dedicated thread, never from
/// the Swift concurrency cooperative pool. Thread-safe.
///
/// librdkafka's mock cluster (`EmbeddedKafka`) has no admin APIs; `createTopic` then falls back to the in-process
/// `EmbeddedKafka` (exact partition count) or to broker auto-creation (the broker's default count), and reports which.
public final class KafkaAdmin: @unchecked Sendable {
    /// What `createTopic` achieved.
    public enum CreateTopicOutcome: Sendable, Hashable {
        /// The broker created the topic as asked.
        case created
        /// The topic existed already (its settings were left alone).
        case alreadyExists
        /// The broker has no CreateTopics API (the mock cluster in another process): the topic was auto-created
        /// with the broker's default partition count, given here; configs were not applied.
        case autoCreated(partitions: Int)
    }

    private let handle: RdKafkaHandle
    private let bootstrapServers: String
    private let mockCluster = Mutex<Bool?>(nil)

    private init(handle: RdKafkaHandle, bootstrapServers: String) {
        self.handle = handle
        self.bootstrapServers = bootstrapServers
    }

    /// Creates an admin client from librdkafka configuration (`bootstrap.servers`, security settings).
    public static func make(config: [String: String], logger: Logger = Logger(label: "sluice.kafka.admin")) throws(KafkaError)
        -> KafkaAdmin
    {
        let handle = try RdKafkaHandle.make(type: RD_KAFKA_PRODUCER, config: config, context: KafkaClientContext(logger: logger))
        let servers = config["bootstrap.servers"] ?? config["metadata.broker.list"] ?? ""
        return KafkaAdmin(handle: handle, bootstrapServers: servers)
    }

    /// Creates a topic, tolerating one that already exists.
    ///
    /// - Parameter replicationFactor: -1 uses the broker's `default.replication.factor`.
    @discardableResult
    public func createTopic(
        name: String, partitions: Int, replicationFactor: Int = -1, configs: [String: String] = [:],
        timeoutMs: Int = 30_000
    ) throws(KafkaError) -> CreateTopicOutcome {
        if try isMockCluster(timeoutMs: timeoutMs) {
            return try createWithoutAdminAPI(name: name, partitions: partitions, timeoutMs: timeoutMs)
        }
        var errstr = [CChar](repeating: 0, count: 512)
        guard let newTopic = rd_kafka_NewTopic_new(name, Int32(clamping: partitions), Int32(clamping: replicationFactor), &errstr, errstr.count) else {
            throw KafkaError(code: .invalidArgument, message: "invalid topic '\(name)': \(cString(errstr))")
        }
        defer { rd_kafka_NewTopic_destroy(newTopic) }
        for (key, value) in configs.sorted(by: { $0.key < $1.key }) {
            let err = rd_kafka_NewTopic_set_config(newTopic, key, value)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "invalid config '\(key)' for topic '\(name)'") }
        }
        let outcome: Result<CreateTopicOutcome, KafkaError> = runAdmin(RD_KAFKA_ADMIN_OP_CREATETOPICS, timeoutMs, "create topic '\(name)'") { options, queue in
            var topics: [OpaquePointer?] = [newTopic]
            rd_kafka_CreateTopics(handle.pointer, &topics, 1, options, queue)
        } result: { event throws(KafkaError) in
            var count = 0
            guard let result = rd_kafka_event_CreateTopics_result(event),
                  let topics = rd_kafka_CreateTopics_result_topics(result, &count), count > 0 else { return .created }
            return try Self.topicResult(topics[0], name, "create topic")
        }
        switch outcome {
        case .success(let value): return value
        case .failure(let error) where error.code == .unsupportedFeature || error.code == .init(rawValue: 35):
            return try createWithoutAdminAPI(name: name, partitions: partitions, timeoutMs: timeoutMs)
        case .failure(let error): throw error
        }
    }

    private func createWithoutAdminAPI(name: String, partitions: Int, timeoutMs: Int) throws(KafkaError) -> CreateTopicOutcome {
        if let embedded = EmbeddedKafka.inProcess(bootstrapServers) {
            let existing = try? partitionCounts(timeoutMs: timeoutMs)[name]
            if existing != nil { return .alreadyExists }
            try embedded.createTopic(name, partitions: partitions)
            return .created
        }
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(timeoutMs))
        while true {
            // Asking for one topic's metadata makes an auto-creating broker create it; the first answer may still be
            // "leader not available", hence the loop.
            if let count = try? handle.partitionCounts(topic: name, timeoutMs: 2_000)[name] { return .autoCreated(partitions: count) }
            if ContinuousClock.now >= deadline {
                throw KafkaError(code: .timedOut, message: "topic '\(name)' was not auto-created within \(timeoutMs) ms (broker has no CreateTopics API)")
            }
            handle.context.logger.debug("waiting for auto-creation of topic '\(name)'")
        }
    }

    /// Deletes a topic. Throws `.unsupportedFeature` on the mock cluster.
    public func deleteTopic(name: String, timeoutMs: Int = 30_000) throws(KafkaError) {
        try refuseOnMock("delete topic '\(name)'", timeoutMs)
        guard let deleteTopic = rd_kafka_DeleteTopic_new(name) else {
            throw KafkaError(code: .invalidArgument, message: "invalid topic name '\(name)'")
        }
        defer { rd_kafka_DeleteTopic_destroy(deleteTopic) }
        let outcome: Result<CreateTopicOutcome, KafkaError> = runAdmin(RD_KAFKA_ADMIN_OP_DELETETOPICS, timeoutMs, "delete topic '\(name)'") { options, queue in
            var topics: [OpaquePointer?] = [deleteTopic]
            rd_kafka_DeleteTopics(handle.pointer, &topics, 1, options, queue)
        } result: { event throws(KafkaError) in
            var count = 0
            guard let result = rd_kafka_event_DeleteTopics_result(event),
                  let topics = rd_kafka_DeleteTopics_result_topics(result, &count), count > 0 else { return .created }
            return try Self.topicResult(topics[0], name, "delete topic")
        }
        _ = try outcome.get()
    }

    /// Every topic the cluster reports, with its partition count (internal topics included).
    public func partitionCounts(timeoutMs: Int = 10_000) throws(KafkaError) -> [String: Int] {
        try handle.partitionCounts(topic: nil, timeoutMs: Int32(clamping: timeoutMs))
    }

    /// The partition count of one topic, nil when it does not exist (never triggers auto-creation).
    public func partitionCount(topic: String, timeoutMs: Int = 10_000) throws(KafkaError) -> Int? {
        try partitionCounts(timeoutMs: timeoutMs)[topic]
    }

    /// The topic's configuration as the broker reports it (e.g. `cleanup.policy`, which Connect's internal topics
    /// need to be `compact`). Throws `.unsupportedFeature` on the mock cluster.
    public func describeTopicConfig(name: String, timeoutMs: Int = 30_000) throws(KafkaError) -> [String: String] {
        try refuseOnMock("describe config of topic '\(name)'", timeoutMs)
        guard let resource = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, name) else {
            throw KafkaError(code: .invalidArgument, message: "invalid topic name '\(name)'")
        }
        defer { rd_kafka_ConfigResource_destroy(resource) }
        let outcome: Result<[String: String], KafkaError> = runAdmin(RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeoutMs, "describe config of topic '\(name)'") { options, queue in
            var resources: [OpaquePointer?] = [resource]
            rd_kafka_DescribeConfigs(handle.pointer, &resources, 1, options, queue)
        } result: { event throws(KafkaError) in
            var count = 0
            guard let result = rd_kafka_event_DescribeConfigs_result(event),
                  let resources = rd_kafka_DescribeConfigs_result_resources(result, &count), count > 0,
                  let described = resources[0] else { return [:] }
            let err = rd_kafka_ConfigResource_error(described)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let text = rd_kafka_ConfigResource_error_string(described).map { String(cString: $0) } ?? ""
                throw KafkaError(code: .init(rawValue: Int32(err.rawValue)), message: "describe config of topic '\(name)' failed: \(text)")
            }
            var entryCount = 0
            var configs: [String: String] = [:]
            guard let entries = rd_kafka_ConfigResource_configs(described, &entryCount) else { return [:] }
            for index in 0..<entryCount {
                guard let entry = entries[index], let key = rd_kafka_ConfigEntry_name(entry) else { continue }
                configs[String(cString: key)] = rd_kafka_ConfigEntry_value(entry).map { String(cString: $0) } ?? ""
            }
            return configs
        }
        return try outcome.get()
    }

    /// The cluster id the brokers report (`kafka_cluster_id` of REST `/`), nil when unreachable within the timeout.
    public func clusterId(timeoutMs: Int = 10_000) -> String? {
        guard let id = rd_kafka_clusterid(handle.pointer, Int32(clamping: timeoutMs)) else { return nil }
        defer { rd_kafka_mem_free(handle.pointer, id) }
        return String(cString: id)
    }

    /// Whether the cluster is librdkafka's mock cluster, whose admin requests would only time out waiting for a
    /// controller (it reports broker 0, which does not exist). Recognised by its generated cluster id.
    public func isMockCluster(timeoutMs: Int = 10_000) throws(KafkaError) -> Bool {
        if let known = mockCluster.withLock({ $0 }) { return known }
        guard let id = rd_kafka_clusterid(handle.pointer, Int32(clamping: timeoutMs)) else {
            throw KafkaError(code: .timedOut, message: "cannot reach the Kafka cluster at '\(bootstrapServers)' within \(timeoutMs) ms")
        }
        let mock = String(cString: id).hasPrefix("mockCluster")
        rd_kafka_mem_free(handle.pointer, id)
        mockCluster.withLock { $0 = mock }
        return mock
    }

    private func refuseOnMock(_ what: String, _ timeoutMs: Int) throws(KafkaError) {
        if try isMockCluster(timeoutMs: timeoutMs) {
            throw KafkaError(code: .unsupportedFeature, message: "\(what): the embedded Kafka (librdkafka mock cluster) has no admin API for it")
        }
    }

    private static func topicResult(_ topic: OpaquePointer?, _ name: String, _ what: String) throws(KafkaError) -> CreateTopicOutcome {
        guard let topic else { return .created }
        let err = rd_kafka_topic_result_error(topic)
        if err == RD_KAFKA_RESP_ERR_NO_ERROR { return .created }
        if err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS { return .alreadyExists }
        let text = rd_kafka_topic_result_error_string(topic).map { String(cString: $0) } ?? ""
        throw KafkaError(code: .init(rawValue: Int32(err.rawValue)), message: "\(what) '\(name)' failed: \(text)")
    }

    /// Issues one admin request on a private queue and waits for its result event; frees everything it created.
    private func runAdmin<T>(
        _ op: rd_kafka_admin_op_t, _ timeoutMs: Int, _ what: String,
        issue: (OpaquePointer?, OpaquePointer?) -> Void,
        result: (OpaquePointer) throws(KafkaError) -> T
    ) -> Result<T, KafkaError> {
        guard let queue = rd_kafka_queue_new(handle.pointer) else {
            return .failure(KafkaError(code: .invalidState, message: "\(what): cannot create a result queue"))
        }
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle.pointer, op)
        defer { if let options { rd_kafka_AdminOptions_destroy(options) } }
        var errstr = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, Int32(clamping: timeoutMs), &errstr, errstr.count)
        if op != RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS {
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, Int32(clamping: timeoutMs), &errstr, errstr.count)
        }
        issue(options, queue)
        guard let event = rd_kafka_queue_poll(queue, Int32(clamping: timeoutMs + 5_000)) else {
            return .failure(KafkaError(code: .timedOut, message: "\(what): no answer within \(timeoutMs) ms"))
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            return .failure(KafkaError(code: .init(rawValue: Int32(err.rawValue)), message: "\(what) failed: \(text)"))
        }
        do throws(KafkaError) {
            return .success(try result(event))
        } catch {
            return .failure(error)
        }
    }
}
