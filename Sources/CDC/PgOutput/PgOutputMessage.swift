/// One decoded pgoutput (proto_version 1) message: the payload of an XLogData frame.
public enum PgOutputMessage: Sendable, Hashable {
    case begin(BeginMessage)
    case commit(CommitMessage)
    case origin(OriginMessage)
    case relation(RelationMessage)
    case type(TypeMessage)
    case insert(InsertMessage)
    case update(UpdateMessage)
    case delete(DeleteMessage)
    case truncate(TruncateMessage)
    case message(LogicalMessage)

    /// Decodes exactly `bytes` as one message; throws `PgOutputError` for unknown tags, truncation or trailing bytes.
    /// Pure: no I/O and no state, so it is tested with hand-built byte transcripts and fuzzed.
    public static func parse(_ bytes: [UInt8]) throws -> PgOutputMessage { try parse(bytes[...]) }

    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> PgOutputMessage {
        var tagReader = ByteReader(bytes, context: "pgoutput message")
        let tag = try tagReader.uint8("message type")
        let body = bytes[(bytes.startIndex + 1)...]
        let message: PgOutputMessage
        var r: ByteReader
        switch tag {
        case UInt8(ascii: "B"):
            r = ByteReader(body, context: "Begin"); message = .begin(try .decode(&r))
        case UInt8(ascii: "C"):
            r = ByteReader(body, context: "Commit"); message = .commit(try .decode(&r))
        case UInt8(ascii: "O"):
            r = ByteReader(body, context: "Origin"); message = .origin(try .decode(&r))
        case UInt8(ascii: "R"):
            r = ByteReader(body, context: "Relation"); message = .relation(try .decode(&r))
        case UInt8(ascii: "Y"):
            r = ByteReader(body, context: "Type"); message = .type(try .decode(&r))
        case UInt8(ascii: "I"):
            r = ByteReader(body, context: "Insert"); message = .insert(try .decode(&r))
        case UInt8(ascii: "U"):
            r = ByteReader(body, context: "Update"); message = .update(try .decode(&r))
        case UInt8(ascii: "D"):
            r = ByteReader(body, context: "Delete"); message = .delete(try .decode(&r))
        case UInt8(ascii: "T"):
            r = ByteReader(body, context: "Truncate"); message = .truncate(try .decode(&r))
        case UInt8(ascii: "M"):
            r = ByteReader(body, context: "Message"); message = .message(try .decode(&r))
        default:
            throw PgOutputError(.unknownTag, "unknown pgoutput message type 0x\(String(tag, radix: 16))", offset: 0)
        }
        try r.expectEnd()
        return message
    }
}
