/// Metadata (key 3), v1–v5: brokers and partition leaders of some topics. `KafkaBasedLog` needs it to send
/// ListOffsets to each partition's leader (the end offsets that `readToEnd` waits for).
public struct MetadataRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.metadata
    public static let implementedVersions: ClosedRange<Int16> = 1...5

    /// nil = every topic.
    public var topics: [String]?
    /// v4+: whether asking may auto-create the topics (false: the caller creates them deliberately).
    public var allowAutoTopicCreation: Bool

    public init(topics: [String]?, allowAutoTopicCreation: Bool = false) {
        self.topics = topics
        self.allowAutoTopicCreation = allowAutoTopicCreation
    }

    public func encode(version: Int16, into w: inout KafkaWireWriter) {
        w.nullableArray(topics) { w, t in w.string(t) }
        if version >= 4 { w.int8(allowAutoTopicCreation ? 1 : 0) }
    }

    public struct Broker: Sendable, Hashable {
        public var nodeId: Int32
        public var host: String
        public var port: Int32
    }

    public struct Partition: Sendable, Hashable {
        public var errorCode: KafkaProtocolErrorCode
        public var partition: Int32
        public var leader: Int32
    }

    public struct Topic: Sendable, Hashable {
        public var errorCode: KafkaProtocolErrorCode
        public var name: String
        public var partitions: [Partition]
    }

    public struct Response: Sendable, Hashable {
        public var brokers: [Broker]
        public var topics: [Topic]
    }

    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var r = KafkaWireReader(bytes, context: "Metadata v\(version) response")
        if version >= 3 { _ = try r.int32("throttle_time_ms") }
        let brokers = try r.array("brokers", minElementSize: 12) { (r: inout KafkaWireReader) throws(KafkaWireError) in
            let broker = Broker(nodeId: try r.int32("brokers.node_id"), host: try r.string("brokers.host"), port: try r.int32("brokers.port"))
            _ = try r.nullableString("brokers.rack")
            return broker
        }
        if version >= 2 { _ = try r.nullableString("cluster_id") }
        _ = try r.int32("controller_id")
        let topics = try r.array("topics", minElementSize: 9) { (r: inout KafkaWireReader) throws(KafkaWireError) in
            let error = KafkaProtocolErrorCode(rawValue: try r.int16("topics.error_code"))
            let name = try r.string("topics.name")
            _ = try r.int8("topics.is_internal")
            let partitions = try r.array("partitions", minElementSize: 18) { (r: inout KafkaWireReader) throws(KafkaWireError) in
                let p = Partition(
                    errorCode: KafkaProtocolErrorCode(rawValue: try r.int16("partitions.error_code")),
                    partition: try r.int32("partitions.partition_index"), leader: try r.int32("partitions.leader_id"))
                _ = try r.array("partitions.replica_nodes", minElementSize: 4) { (r: inout KafkaWireReader) throws(KafkaWireError) in try r.int32("replica") }
                _ = try r.array("partitions.isr_nodes", minElementSize: 4) { (r: inout KafkaWireReader) throws(KafkaWireError) in try r.int32("isr") }
                if version >= 5 {
                    _ = try r.array("partitions.offline_replicas", minElementSize: 4) { (r: inout KafkaWireReader) throws(KafkaWireError) in try r.int32("offline") }
                }
                return p
            }
            return Topic(errorCode: error, name: name, partitions: partitions)
        }
        try r.expectEnd()
        return Response(brokers: brokers, topics: topics)
    }
}
