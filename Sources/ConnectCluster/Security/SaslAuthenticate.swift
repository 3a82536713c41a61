/// SaslAuthenticate (key 36) v0–v1: one SASL token each way. v1 adds the session lifetime to the response.
public struct SaslAuthenticateRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.saslAuthenticate
    public static let implementedVersions: ClosedRange<Int16> = 0...1

    public var authBytes: [UInt8]

    public init(authBytes: [UInt8]) { self.authBytes = authBytes }

    public func encode(version: Int16, into writer: inout KafkaWireWriter) {
        writer.bytes(authBytes)
    }

    public struct Response: Sendable, Hashable {
        public var errorCode: KafkaProtocolErrorCode
        public var errorMessage: String?
        public var authBytes: [UInt8]
        /// v1: how long the broker keeps the session (0: no limit).
        public var sessionLifetimeMs: Int64
    }

    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var reader = KafkaWireReader(bytes, context: "SaslAuthenticate v\(version) response")
        let error = KafkaProtocolErrorCode(rawValue: try reader.int16("error_code"))
        let message = try reader.nullableString("error_message")
        let auth = try reader.nullableBytes("auth_bytes") ?? []
        let lifetime = version >= 1 ? try reader.int64("session_lifetime_ms") : 0
        try reader.expectEnd()
        return Response(errorCode: error, errorMessage: message, authBytes: auth, sessionLifetimeMs: lifetime)
    }
}
