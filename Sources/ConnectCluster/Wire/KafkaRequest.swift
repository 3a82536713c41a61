/// The Kafka APIs this client speaks, by their protocol `api_key`.
public enum KafkaApiKey: Int16, Sendable, CaseIterable {
    case listOffsets = 2
    case metadata = 3
    case findCoordinator = 10
    case joinGroup = 11
    case heartbeat = 12
    case leaveGroup = 13
    case syncGroup = 14
    case saslHandshake = 17
    case apiVersions = 18
    case saslAuthenticate = 36
}

/// A request body with its response decoder, both pure functions of (version, bytes).
///
/// Only classic (non-flexible) versions are implemented: they are accepted by librdkafka 2.0.2's mock cluster and by
/// current Kafka brokers, and need no tagged fields.
public protocol KafkaRequest: Sendable {
    associatedtype Response: Sendable
    static var apiKey: KafkaApiKey { get }
    /// Versions this client can encode and decode, ascending.
    static var implementedVersions: ClosedRange<Int16> { get }
    /// Appends the request body (everything after the request header).
    func encode(version: Int16, into writer: inout KafkaWireWriter)
    /// Decodes a response body (everything after the correlation id), consuming exactly its bytes.
    static func decodeResponse(_ bytes: [UInt8], version: Int16) throws(KafkaWireError) -> Response
}

/// Request header v1 (`api_key, api_version, correlation_id, client_id`), the header of every non-flexible request.
public enum KafkaRequestHeader {
    /// A full frame: int32 size, header, body.
    public static func frame<R: KafkaRequest>(
        _ request: R, version: Int16, correlationId: Int32, clientId: String?
    ) -> [UInt8] {
        var writer = KafkaWireWriter(capacity: 128)
        writer.int32(0)  // size, patched below
        writer.int16(R.apiKey.rawValue)
        writer.int16(version)
        writer.int32(correlationId)
        writer.nullableString(clientId)
        request.encode(version: version, into: &writer)
        var bytes = writer.bytes
        let size = UInt32(bytes.count - 4)
        bytes[0] = UInt8(truncatingIfNeeded: size >> 24)
        bytes[1] = UInt8(truncatingIfNeeded: size >> 16)
        bytes[2] = UInt8(truncatingIfNeeded: size >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: size)
        return bytes
    }
}
