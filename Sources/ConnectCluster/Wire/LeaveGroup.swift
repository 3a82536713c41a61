/// LeaveGroup (key 13), v0–v3: leaves at once so the group rebalances now instead of after `session.timeout.ms`.
/// v0–v2 name one member; v3 takes a batch of members (this client always sends its own id only).
public struct LeaveGroupRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.leaveGroup
    public static let implementedVersions: ClosedRange<Int16> = 0...3

    public var groupId: String
    public var memberId: String
    /// v3+.
    public var groupInstanceId: String?

    public init(groupId: String, memberId: String, groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }

    public func encode(version: Int16, into w: inout KafkaWireWriter) {
        w.string(groupId)
        if version >= 3 {
            w.array([(memberId, groupInstanceId)]) { w, m in
                w.string(m.0)
                w.nullableString(m.1)
            }
        } else {
            w.string(memberId)
        }
    }

    public struct MemberResponse: Sendable, Hashable {
        public var memberId: String
        public var groupInstanceId: String?
        public var errorCode: KafkaProtocolErrorCode
    }

    public struct Response: Sendable, Hashable {
        public var throttleTimeMs: Int32
        public var errorCode: KafkaProtocolErrorCode
        /// v3+: per-member results.
        public var members: [MemberResponse]
    }

    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var r = KafkaWireReader(bytes, context: "LeaveGroup v\(version) response")
        let throttle = version >= 1 ? try r.int32("throttle_time_ms") : 0
        let error = KafkaProtocolErrorCode(rawValue: try r.int16("error_code"))
        var members: [MemberResponse] = []
        if version >= 3 {
            members = try r.array("members", minElementSize: 6) { (r: inout KafkaWireReader) throws(KafkaWireError) in
                MemberResponse(
                    memberId: try r.string("members.member_id"),
                    groupInstanceId: try r.nullableString("members.group_instance_id"),
                    errorCode: KafkaProtocolErrorCode(rawValue: try r.int16("members.error_code")))
            }
        }
        try r.expectEnd()
        return Response(throttleTimeMs: throttle, errorCode: error, members: members)
    }
}
