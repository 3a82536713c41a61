/// `D`: a deleted row, identified by its key columns (`K`) or, under `REPLICA IDENTITY FULL`, the whole row (`O`).
public struct DeleteMessage: Sendable, Hashable {
    public var relationOID: UInt32
    public var oldTuple: UpdateMessage.OldTuple

    public init(relationOID: UInt32, oldTuple: UpdateMessage.OldTuple) {
        self.relationOID = relationOID
        self.oldTuple = oldTuple
    }

    static func decode(_ r: inout ByteReader) throws -> DeleteMessage {
        let oid = try r.uint32("relation OID")
        let tag = try r.uint8("old tuple marker")
        let t: TupleData
        switch tag {
        case UInt8(ascii: "K"):
            t = try TupleData.decode(&r)
            return DeleteMessage(relationOID: oid, oldTuple: .key(t))
        case UInt8(ascii: "O"):
            t = try TupleData.decode(&r)
            return DeleteMessage(relationOID: oid, oldTuple: .full(t))
        default:
            throw r.error(.unknownTag, "expected 'K' or 'O' tuple marker, found 0x\(String(tag, radix: 16))")
        }
    }
}
