/// SyncGroup (key 14), v0–v3: the leader sends every member's assignment, every member (leader included) gets its
/// own back. Followers send an empty assignment list.
public struct SyncGroupRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.syncGroup
    public static let implementedVersions: ClosedRange<Int16> = 0...3

    public struct Assignment: Sendable, Hashable {
        public var memberId: String
        public var assignment: [UInt8]
        public init(memberId: String, assignment: [UInt8]) {
            self.memberId = memberId
            self.assignment = assignment
        }
    }

    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    /// v3+.
    public var groupInstanceId: String?
    public var assignments: [Assignment]

    public init(groupId: String, generationId: Int32, memberId: String, groupInstanceId: String? = nil, assignments: [Assignment]) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.assignments = assignments
    }

    public func encode(version: Int16, into w: inout KafkaWireWriter) {
        w.string(groupId)
        w.int32(generationId)
        w.string(memberId)
        if version >= 3 { w.nullableString(groupInstanceId) }
        w.array(assignments) { w, a in
            w.string(a.memberId)
            w.bytes(a.assignment)
        }
    }

    public struct Response: Sendable, Hashable {
        public var throttleTimeMs: Int32
        public var errorCode: KafkaProtocolErrorCode
        /// This member's assignment bytes (empty when the leader assigned it nothing or on error).
        public var assignment: [UInt8]
    }

    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var r = KafkaWireReader(bytes, context: "SyncGroup v\(version) response")
        let throttle = version >= 1 ? try r.int32("throttle_time_ms") : 0
        let error = KafkaProtocolErrorCode(rawValue: try r.int16("error_code"))
        let assignment = try r.nullableBytes("assignment") ?? []
        try r.expectEnd()
        return Response(throttleTimeMs: throttle, errorCode: error, assignment: assignment)
    }
}
