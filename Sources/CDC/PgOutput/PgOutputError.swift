/// A malformed or truncated pgoutput / replication-protocol message.
///
/// A struct with an extensible `Code` (not a frozen enum) so new failure kinds never break callers. Decoding errors are
/// not retriable: the same bytes always fail the same way.
public struct PgOutputError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The message ended before a field could be read.
        public static let truncated = Code("truncated")
        /// Bytes were left over after the message was fully decoded.
        public static let trailingBytes = Code("trailingBytes")
        /// A tag byte (message type, tuple kind, column kind) is not one the protocol defines.
        public static let unknownTag = Code("unknownTag")
        /// A length or count is negative or impossible.
        public static let invalidLength = Code("invalidLength")
        /// A string is not NUL-terminated or not UTF-8.
        public static let invalidString = Code("invalidString")
    }

    public var code: Code
    public var message: String
    /// Byte offset in the message where the problem was found.
    public var offset: Int

    public init(_ code: Code, _ message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String { "pgoutput \(code) at byte \(offset): \(message)" }
}
