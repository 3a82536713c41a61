/// SaslHandshake (key 17) v1: names the SASL mechanism; the broker answers with the mechanisms it enables. v1 means
/// the exchange itself then travels in SaslAuthenticate requests (v0's raw, unframed tokens are not implemented).
public struct SaslHandshakeRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.saslHandshake
    public static let implementedVersions: ClosedRange<Int16> = 1...1

    public var mechanism: String

    public init(mechanism: String) { self.mechanism = mechanism }

    public func encode(version: Int16, into writer: inout KafkaWireWriter) {
        writer.string(mechanism)
    }

    public struct Response: Sendable, Hashable {
        public var errorCode: KafkaProtocolErrorCode
        /// The mechanisms the broker's listener enables (for the error message when ours is not among them).
        public var mechanisms: [String]
    }

    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var reader = KafkaWireReader(bytes, context: "SaslHandshake v\(version) response")
        let error = KafkaProtocolErrorCode(rawValue: try reader.int16("error_code"))
        let mechanisms = try reader.array("mechanisms", minElementSize: 2) { (r: inout KafkaWireReader) throws(KafkaWireError) in
            try r.string("mechanism")
        }
        try reader.expectEnd()
        return Response(errorCode: error, mechanisms: mechanisms)
    }
}
