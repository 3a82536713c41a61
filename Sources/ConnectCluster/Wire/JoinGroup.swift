/// JoinGroup (key 11), v1–v5: joins (or rejoins) a group with this member's protocol metadata. The coordinator
/// answers once every member has joined (or the rebalance timeout passed); the elected leader gets every member's
/// metadata and computes the assignment.
public struct JoinGroupRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.joinGroup
    public static let implementedVersions: ClosedRange<Int16> = 1...5

    /// One protocol this member supports (for Connect: `default`, `compatible`, `sessioned`) with its metadata.
    public struct GroupProtocol: Sendable, Hashable {
        public var name: String
        public var metadata: [UInt8]
        public init(name: String, metadata: [UInt8]) {
            self.name = name
            self.metadata = metadata
        }
    }

    public var groupId: String
    public var sessionTimeoutMs: Int32
    /// v1+: how long the coordinator waits for members to rejoin during a rebalance.
    public var rebalanceTimeoutMs: Int32
    /// Empty on the first join.
    public var memberId: String
    /// v5+: static membership id; nil for dynamic members.
    public var groupInstanceId: String?
    public var protocolType: String
    public var protocols: [GroupProtocol]

    public init(
        groupId: String, sessionTimeoutMs: Int32, rebalanceTimeoutMs: Int32, memberId: String,
        groupInstanceId: String? = nil, protocolType: String, protocols: [GroupProtocol]
    ) {
        self.groupId = groupId
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.protocolType = protocolType
        self.protocols = protocols
    }

    public func encode(version: Int16, into w: inout KafkaWireWriter) {
        w.string(groupId)
        w.int32(sessionTimeoutMs)
        if version >= 1 { w.int32(rebalanceTimeoutMs) }
        w.string(memberId)
        if version >= 5 { w.nullableString(groupInstanceId) }
        w.string(protocolType)
        w.array(protocols) { w, p in
            w.string(p.name)
            w.bytes(p.metadata)
        }
    }

    /// A member as the leader sees it.
    public struct Member: Sendable, Hashable {
        public var memberId: String
        public var groupInstanceId: String?
        public var metadata: [UInt8]
        public init(memberId: String, groupInstanceId: String? = nil, metadata: [UInt8]) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.metadata = metadata
        }
    }

    public struct Response: Sendable, Hashable {
        public var throttleTimeMs: Int32
        public var errorCode: KafkaProtocolErrorCode
        public var generationId: Int32
        /// The protocol the coordinator selected (supported by every member).
        public var protocolName: String
        public var leader: String
        public var memberId: String
        /// Every member's metadata for the selected protocol; empty for followers.
        public var members: [Member]
    }

    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var r = KafkaWireReader(bytes, context: "JoinGroup v\(version) response")
        let throttle = version >= 2 ? try r.int32("throttle_time_ms") : 0
        let error = KafkaProtocolErrorCode(rawValue: try r.int16("error_code"))
        let generation = try r.int32("generation_id")
        let protocolName = try r.string("protocol_name")
        let leader = try r.string("leader")
        let memberId = try r.string("member_id")
        let members = try r.array("members", minElementSize: 6) { (r: inout KafkaWireReader) throws(KafkaWireError) in
            let id = try r.string("members.member_id")
            let instance = version >= 5 ? try r.nullableString("members.group_instance_id") : nil
            return Member(memberId: id, groupInstanceId: instance, metadata: try r.bytes("members.metadata"))
        }
        try r.expectEnd()
        return Response(
            throttleTimeMs: throttle, errorCode: error, generationId: generation, protocolName: protocolName,
            leader: leader, memberId: memberId, members: members)
    }
}
