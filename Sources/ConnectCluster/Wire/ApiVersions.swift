/// ApiVersions (key 18), v0–v2: which versions of each API the broker accepts, so the client picks the highest
/// version both sides implement instead of hard-coding one broker's.
public struct ApiVersionsRequest: KafkaRequest, Hashable {
    public static let apiKey = KafkaApiKey.apiVersions
    public static let implementedVersions: ClosedRange<Int16> = 0...2

    public init() {}

    /// v0–v2 requests have an empty body.
    public func encode(version: Int16, into writer: inout KafkaWireWriter) {}

    public struct Response: Sendable, Hashable {
        public var errorCode: KafkaProtocolErrorCode
        /// Supported version range by api key.
        public var versions: [Int16: ClosedRange<Int16>]
        public var throttleTimeMs: Int32

        public init(errorCode: KafkaProtocolErrorCode, versions: [Int16: ClosedRange<Int16>], throttleTimeMs: Int32 = 0) {
            self.errorCode = errorCode
            self.versions = versions
            self.throttleTimeMs = throttleTimeMs
        }

        /// The highest version of `api` both the broker and this client implement.
        public func negotiate<R: KafkaRequest>(_ type: R.Type) throws(KafkaWireError) -> Int16 {
            let client = R.implementedVersions
            guard let broker = versions[R.apiKey.rawValue], broker.overlaps(client) else {
                throw KafkaWireError.unsupportedVersion(
                    api: "\(R.apiKey)", brokerRange: versions[R.apiKey.rawValue], clientVersions: Array(client))
            }
            return min(broker.upperBound, client.upperBound)
        }
    }

    /// A broker that does not support the requested version answers in v0 layout with UNSUPPORTED_VERSION;
    /// callers then retry with v0.
    public static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response {
        var reader = KafkaWireReader(bytes, context: "ApiVersions v\(version) response")
        let error = KafkaProtocolErrorCode(rawValue: try reader.int16("error_code"))
        let entries: [(Int16, Int16, Int16)] = try reader.array("api_keys", minElementSize: 6) { (r: inout KafkaWireReader) throws(KafkaWireError) in
            (try r.int16("api_key"), try r.int16("min_version"), try r.int16("max_version"))
        }
        var throttle: Int32 = 0
        if version >= 1 && reader.remaining > 0 { throttle = try reader.int32("throttle_time_ms") }
        try reader.expectEnd()
        var versions: [Int16: ClosedRange<Int16>] = [:]
        for (key, low, high) in entries where low <= high { versions[key] = low...high }
        return Response(errorCode: error, versions: versions, throttleTimeMs: throttle)
    }
}
