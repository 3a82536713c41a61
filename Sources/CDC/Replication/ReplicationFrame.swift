/// One CopyData message the server sends during `START_REPLICATION` (CopyBoth mode).
public enum ReplicationFrame: Sendable, Hashable {
    /// `w`: WAL data; for logical replication the payload is one pgoutput message.
    case xLogData(XLogData)
    /// `k`: the server's keepalive; when `replyRequested` it wants a standby status update now.
    case keepalive(PrimaryKeepalive)

    /// Decodes one CopyData payload exactly; throws `PgOutputError` on anything else.
    public static func parse(_ bytes: [UInt8]) throws -> ReplicationFrame {
        var r = ByteReader(bytes, context: "CopyData")
        let tag = try r.uint8("frame type")
        switch tag {
        case UInt8(ascii: "w"):
            let start = try r.uint64("XLogData start LSN")
            let end = try r.uint64("XLogData end LSN")
            let time = try r.int64("XLogData send time")
            let payload = bytes[(r.offset)...]
            return .xLogData(XLogData(start: LSN(start), end: LSN(end), sendTime: time, payload: payload))
        case UInt8(ascii: "k"):
            let end = try r.uint64("keepalive end LSN")
            let time = try r.int64("keepalive send time")
            let reply = try r.uint8("keepalive reply flag")
            try r.expectEnd()
            return .keepalive(PrimaryKeepalive(walEnd: LSN(end), sendTime: time, replyRequested: reply != 0))
        default:
            throw PgOutputError(.unknownTag, "CopyData: unknown replication frame type 0x\(String(tag, radix: 16))", offset: 0)
        }
    }
}

/// `w` frame header and payload.
public struct XLogData: Sendable, Hashable {
    /// The WAL position where this message starts.
    public var start: LSN
    /// The current end of WAL on the server.
    public var end: LSN
    /// Server clock, microseconds since 2000-01-01.
    public var sendTime: Int64
    public var payload: ArraySlice<UInt8>

    public init(start: LSN, end: LSN, sendTime: Int64, payload: ArraySlice<UInt8>) {
        self.start = start
        self.end = end
        self.sendTime = sendTime
        self.payload = payload
    }
}

/// `k` frame.
public struct PrimaryKeepalive: Sendable, Hashable {
    public var walEnd: LSN
    public var sendTime: Int64
    public var replyRequested: Bool

    public init(walEnd: LSN, sendTime: Int64, replyRequested: Bool) {
        self.walEnd = walEnd
        self.sendTime = sendTime
        self.replyRequested = replyRequested
    }
}
