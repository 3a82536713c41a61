/// Heartbeat (key 12), v0–v3: keeps the membership alive between rebalances; `REBALANCE_IN_PROGRESS` in the answer
/// is how a member learns it must rejoin.
public struct HeartbeatRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.heartbeat
    public static let implementedVersions: ClosedRange<Int16> = 0...3

    public var groupId: String
    public var generationId: Int32
    public var memberId: String
    /// v3+.
    public var groupInstanceId: String?

    public init(groupId: String, generationId: Int32, memberId: String, groupInstanceId: String? = nil) {
        self.groupId = groupId
        self.generationId = generationId
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
    }

    public func encode(version: Int16, into w: inout KafkaWireWriter) {
        w.string(groupId)
        w.int32(generationId)
        w.string(memberId)
        if version >= 3 { w.nullableString(groupInstanceId) }
    }

    public struct Response: Sendable, Hashable {
        public var throttleTimeMs: Int32
        public var errorCode: KafkaProtocolErrorCode
    }

    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var r = KafkaWireReader(bytes, context: "Heartbeat v\(version) response")
        let throttle = version >= 1 ? try r.int32("throttle_time_ms") : 0
        let error = KafkaProtocolErrorCode(rawValue: try r.int16("error_code"))
        try r.expectEnd()
        return Response(throttleTimeMs: throttle, errorCode: error)
    }
}
