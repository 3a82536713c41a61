import Synchronization

/// Asks the brokers for partitions' earliest and latest offsets (Metadata to find each partition's leader, then
/// ListOffsets to the leaders), keeping one connection per broker between calls.
///
/// Blocking; call from a dedicated thread (see `KafkaBrokerConnection`). Thread-safe.
public final class KafkaOffsetQuery: Sendable {
    /// One partition's offsets.
    public struct Watermarks: Hashable, Sendable {
        /// The first offset still stored.
        public var low: Int64
        /// The offset the next record will get (last offset + 1).
        public var high: Int64
    }

    private let bootstrapServers: String
    private let clientId: String
    private let timeoutMs: Int
    private let security: KafkaWireSecurity
    private let state = Mutex<State>(State())

    private struct State {
        var connections: [String: KafkaBrokerConnection] = [:]
        var versions: [String: [KafkaApiKey: Int16]] = [:]
    }

    public init(bootstrapServers: String, clientId: String = "sluice-offsets", timeoutMs: Int = 30_000, security: KafkaWireSecurity = .plaintext) {
        self.security = security
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
        self.timeoutMs = timeoutMs
    }

    deinit { close() }

    /// Closes the cached connections.
    public func close() {
        let connections = state.withLock { state in
            defer { state.connections.removeAll() }
            return Array(state.connections.values)
        }
        for c in connections { c.close() }
    }

    /// The number of partitions of `topic`, nil when it does not exist. Asks for every topic's metadata, because
    /// brokers with auto-creation (the mock cluster ignores `allow_auto_topic_creation`) create a topic asked for
    /// by name.
    public func partitionCount(topic: String) throws(KafkaWireError) -> Int? {
        let metadata = try metadata(nil)
        guard let t = metadata.topics.first(where: { $0.name == topic }), t.errorCode == .none else { return nil }
        return t.partitions.count
    }

    /// Every partition's watermarks; throws when the topic does not exist or a leader cannot answer.
    public func watermarks(topic: String) throws(KafkaWireError) -> [Int32: Watermarks] {
        let metadata = try metadata(topic)
        guard let t = metadata.topics.first(where: { $0.name == topic }) else {
            throw KafkaWireError.broker(api: "Metadata for topic '\(topic)'", code: KafkaProtocolErrorCode(rawValue: 3), message: "topic not found")
        }
        guard t.errorCode == .none else { throw KafkaWireError.broker(api: "Metadata for topic '\(topic)'", code: t.errorCode, message: nil) }
        var byLeader: [Int32: [Int32]] = [:]
        for p in t.partitions { byLeader[p.leader, default: []].append(p.partition) }
        var result: [Int32: Watermarks] = [:]
        for (leader, partitions) in byLeader {
            guard let broker = metadata.brokers.first(where: { $0.nodeId == leader }) else {
                throw KafkaWireError.broker(api: "Metadata for topic '\(topic)'", code: KafkaProtocolErrorCode(rawValue: 5), message: "partitions \(partitions) have no leader")
            }
            let (connection, versions) = try connect(host: broker.host, port: Int(broker.port))
            let version = versions[.listOffsets] ?? 1
            let low = try listOffsets(connection, version, topic, partitions, ListOffsetsRequest.earliest)
            let high = try listOffsets(connection, version, topic, partitions, ListOffsetsRequest.latest)
            for p in partitions { result[p] = Watermarks(low: low[p] ?? 0, high: high[p] ?? 0) }
        }
        return result
    }

    private func listOffsets(
        _ connection: KafkaBrokerConnection, _ version: Int16, _ topic: String, _ partitions: [Int32], _ timestamp: Int64
    ) throws(KafkaWireError) -> [Int32: Int64] {
        let response = try connection.send(
            ListOffsetsRequest(topic: topic, partitions: partitions, timestamp: timestamp), version: version, timeoutMs: timeoutMs)
        var offsets: [Int32: Int64] = [:]
        for p in response.topics[topic] ?? [] {
            guard p.errorCode == .none else {
                throw KafkaWireError.broker(api: "ListOffsets for \(topic)-\(p.partition)", code: p.errorCode, message: nil)
            }
            offsets[p.partition] = p.offset
        }
        return offsets
    }

    private func metadata(_ topic: String?) throws(KafkaWireError) -> MetadataRequest.Response {
        var lastError = KafkaWireError.connection("no bootstrap servers in '\(bootstrapServers)'")
        for server in KafkaBootstrapAddress.parse(bootstrapServers) {
            do {
                let (connection, versions) = try connect(host: server.host, port: server.port)
                return try connection.send(MetadataRequest(topics: topic.map { [$0] }), version: versions[.metadata] ?? 1, timeoutMs: timeoutMs)
            } catch {
                lastError = error
                drop(host: server.host, port: server.port)
            }
        }
        throw lastError
    }

    private func connect(host: String, port: Int) throws(KafkaWireError) -> (KafkaBrokerConnection, [KafkaApiKey: Int16]) {
        let key = "\(host):\(port)"
        if let cached = state.withLock({ s in s.connections[key].map { ($0, s.versions[key] ?? [:]) } }), !cached.0.isBroken {
            return cached
        }
        let connection = try KafkaBrokerConnection.connect(host: host, port: port, clientId: clientId, timeoutMs: timeoutMs, security: security)
        let response = try connection.apiVersions(timeoutMs: timeoutMs)
        let versions: [KafkaApiKey: Int16] = [
            .metadata: try response.negotiate(MetadataRequest.self),
            .listOffsets: try response.negotiate(ListOffsetsRequest.self),
        ]
        let replaced = state.withLock { s in
            defer { s.connections[key] = connection; s.versions[key] = versions }
            return s.connections[key]
        }
        replaced?.close()
        return (connection, versions)
    }

    private func drop(host: String, port: Int) {
        let old = state.withLock { $0.connections.removeValue(forKey: "\(host):\(port)") }
        old?.close()
    }
}
