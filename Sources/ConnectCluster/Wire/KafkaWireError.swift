/// Why a Kafka wire-protocol exchange failed: bad bytes, a broker error code, or the connection.
public enum KafkaWireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message ended before `field` could be read.
    case truncated(context: String, field: String, offset: Int, needed: Int, available: Int)
    /// A field holds an impossible value.
    case malformed(context: String, field: String, offset: Int, reason: String)
    /// The decoder finished with bytes left over.
    case trailingBytes(context: String, count: Int)
    /// The response's correlation id matched no request in flight.
    case unexpectedCorrelationId(Int32)
    /// The connection could not be opened, was closed, or a request timed out.
    case connection(String)
    /// The broker answered with a non-zero error code.
    case broker(api: String, code: KafkaProtocolErrorCode, message: String?)
    /// No version of an API is supported by both the broker and this client.
    case unsupportedVersion(api: String, brokerRange: ClosedRange<Int16>?, clientVersions: [Int16])

    public var description: String {
        switch self {
        case .truncated(let context, let field, let offset, let needed, let available):
            return "\(context): truncated at byte \(offset) reading \(field) (needs \(needed) bytes, \(available) left)"
        case .malformed(let context, let field, let offset, let reason):
            return "\(context): malformed \(field) at byte \(offset): \(reason)"
        case .trailingBytes(let context, let count):
            return "\(context): \(count) unexpected trailing bytes"
        case .unexpectedCorrelationId(let id):
            return "response with unknown correlation id \(id)"
        case .connection(let message):
            return message
        case .broker(let api, let code, let message):
            return "\(api) failed: broker error \(code)" + (message.map { ": \($0)" } ?? "")
        case .unsupportedVersion(let api, let range, let client):
            let broker = range.map { "\($0.lowerBound)...\($0.upperBound)" } ?? "none"
            return "\(api): broker supports versions \(broker), this client implements \(client)"
        }
    }
}
