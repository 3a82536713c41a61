/// ListOffsets (key 2), v1–v3: the earliest or latest offset of partitions. `KafkaBasedLog.readToEnd` reads up to
/// the latest offsets (high watermarks) it gets here; librdkafka's watermark query is not exposed by the Kafka module.
public struct ListOffsetsRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.listOffsets
    public static let implementedVersions: ClosedRange<Int16> = 1...3

    /// The special timestamps.
    public static let latest: Int64 = -1
    public static let earliest: Int64 = -2

    public var topic: String
    public var partitions: [Int32]
    public var timestamp: Int64

    public init(topic: String, partitions: [Int32], timestamp: Int64) {
        self.topic = topic
        self.partitions = partitions
        self.timestamp = timestamp
    }

    public func encode(version: Int16, into w: inout KafkaWireWriter) {
        w.int32(-1)  // replica_id: a consumer
        if version >= 2 { w.int8(0) }  // isolation_level: read_uncommitted
        w.array([topic]) { w, t in
            w.string(t)
            w.array(partitions) { w, p in
                w.int32(p)
                w.int64(timestamp)
            }
        }
    }

    public struct PartitionOffset: Sendable, Hashable {
        public var partition: Int32
        public var errorCode: KafkaProtocolErrorCode
        public var offset: Int64
    }

    public struct Response: Sendable, Hashable {
        /// By topic name.
        public var topics: [String: [PartitionOffset]]
    }

    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var r = KafkaWireReader(bytes, context: "ListOffsets v\(version) response")
        if version >= 2 { _ = try r.int32("throttle_time_ms") }
        let topics = try r.array("topics", minElementSize: 6) { (r: inout KafkaWireReader) throws(KafkaWireError) in
            let name = try r.string("topics.name")
            let partitions = try r.array("partitions", minElementSize: 22) { (r: inout KafkaWireReader) throws(KafkaWireError) in
                let partition = try r.int32("partitions.partition_index")
                let error = KafkaProtocolErrorCode(rawValue: try r.int16("partitions.error_code"))
                _ = try r.int64("partitions.timestamp")
                return PartitionOffset(partition: partition, errorCode: error, offset: try r.int64("partitions.offset"))
            }
            return (name, partitions)
        }
        try r.expectEnd()
        var byTopic: [String: [PartitionOffset]] = [:]
        for (name, partitions) in topics { byTopic[name, default: []] += partitions }
        return Response(topics: byTopic)
    }
}
