/// A transport failure: every kind is worth retrying (another node, or the same one a moment later). The message
/// names the peer (`host:port`) and what went wrong, never credentials.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case connect, io, timeout, protocolError }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
