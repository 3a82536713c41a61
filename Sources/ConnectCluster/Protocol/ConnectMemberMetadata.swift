/// A worker's JoinGroup metadata in Kafka Connect's layout (`ConnectProtocol` / `IncrementalCooperativeConnectProtocol`):
///
///     version:int16  url:string  config-offset:int64  [v1+] allocation:nullable bytes (a serialized ConnectAssignment)
///
/// The leader learns every worker's REST URL, how far each has read the config topic, and (v1+) what each runs now.
public struct ConnectMemberMetadata: Hashable, Sendable {
    public var version: ConnectProtocolVersion
    /// The worker's advertised REST URL (`http://host:port/`).
    public var url: String
    /// The config-topic offset this worker has read up to.
    public var configOffset: Int64
    /// v1+: the connectors and tasks the worker currently runs (nil = none / v0).
    public var allocation: ConnectAssignment?

    public init(version: ConnectProtocolVersion, url: String, configOffset: Int64, allocation: ConnectAssignment? = nil) {
        self.version = version
        self.url = url
        self.configOffset = configOffset
        self.allocation = allocation
    }

    /// The metadata bytes for JoinGroup. An empty allocation is written as null, as Kafka does.
    public func encode() -> [UInt8] {
        var w = KafkaWireWriter()
        w.int16(version.rawValue)
        w.string(url)
        w.int64(configOffset)
        if version >= .compatible {
            if let allocation, !allocation.isEmpty {
                w.nullableBytes(allocation.encode())
            } else {
                w.nullableBytes(nil)
            }
        }
        return w.bytes
    }

    /// Decodes metadata from JoinGroup, throwing on garbage. Versions above 2 are read as 2 (their extra trailing
    /// fields ignored), as Kafka tolerates newer versions; a missing v1 allocation reads as none.
    public static func decode(_ bytes: [UInt8]) throws(KafkaWireError) -> ConnectMemberMetadata {
        var r = KafkaWireReader(bytes, context: "Connect member metadata")
        let rawVersion = try r.int16("version")
        guard rawVersion >= 0 else {
            throw KafkaWireError.malformed(context: r.context, field: "version", offset: 0, reason: "unsupported version \(rawVersion)")
        }
        let version = ConnectProtocolVersion(rawValue: min(rawVersion, 2))!
        let url = try r.string("url")
        let offset = try r.int64("config-offset")
        var allocation: ConnectAssignment?
        if version >= .compatible && r.remaining > 0, let raw = try r.nullableBytes("allocation") {
            allocation = try ConnectAssignment.decode(raw)
        }
        if rawVersion <= 2 { try r.expectEnd() }
        return ConnectMemberMetadata(version: version, url: url, configOffset: offset, allocation: allocation)
    }
}
