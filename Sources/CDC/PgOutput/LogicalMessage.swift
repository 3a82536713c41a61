/// `M`: a message written with `pg_logical_emit_message` (needs `messages 'true'`). Debezium emits these as `op=m`
/// records on `<prefix>.message`.
public struct LogicalMessage: Sendable, Hashable {
    /// Bit 1: the message is transactional (sent inside Begin/Commit).
    public var flags: UInt8
    public var lsn: LSN
    public var prefix: String
    public var content: [UInt8]

    public init(flags: UInt8, lsn: LSN, prefix: String, content: [UInt8]) {
        self.flags = flags
        self.lsn = lsn
        self.prefix = prefix
        self.content = content
    }

    public var isTransactional: Bool { flags & 1 != 0 }

    static func decode(_ r: inout ByteReader) throws -> LogicalMessage {
        let flags = try r.uint8("flags")
        let lsn = try r.uint64("message LSN")
        let prefix = try r.cString("prefix")
        let length = try r.int32("content length")
        if length < 0 { throw r.error(.invalidLength, "negative content length \(length)") }
        let content = try r.bytes(Int(length), "content")
        return LogicalMessage(flags: flags, lsn: LSN(lsn), prefix: prefix, content: content)
    }
}
