/// FindCoordinator (key 10), v0–v2: which broker is the group coordinator for a group id. Every group request
/// (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) must go to that broker.
public struct FindCoordinatorRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.findCoordinator
    public static let implementedVersions: ClosedRange<Int16> = 0...2

    /// The group id.
    public var key: String
    /// 0 = group, 1 = transaction (v1+).
    public var keyType: Int8

    public init(groupId: String) {
        key = groupId
        keyType = 0
    }

    public func encode(version: Int16, into writer: inout KafkaWireWriter) {
        writer.string(key)
        if version >= 1 { writer.int8(keyType) }
    }

    public struct Response: Sendable, Hashable {
        public var throttleTimeMs: Int32
        public var errorCode: KafkaProtocolErrorCode
        public var errorMessage: String?
        public var nodeId: Int32
        public var host: String
        public var port: Int32
    }

    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var r = KafkaWireReader(bytes, context: "FindCoordinator v\(version) response")
        let throttle = version >= 1 ? try r.int32("throttle_time_ms") : 0
        let error = KafkaProtocolErrorCode(rawValue: try r.int16("error_code"))
        let message = version >= 1 ? try r.nullableString("error_message") : nil
        let node = try r.int32("node_id")
        let host = try r.string("host")
        let port = try r.int32("port")
        try r.expectEnd()
        return Response(throttleTimeMs: throttle, errorCode: error, errorMessage: message, nodeId: node, host: host, port: port)
    }
}
