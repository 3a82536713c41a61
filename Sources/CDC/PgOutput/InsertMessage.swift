/// `I`: a new row.
public struct InsertMessage: Sendable, Hashable {
    public var relationOID: UInt32
    public var newTuple: TupleData

    public init(relationOID: UInt32, newTuple: TupleData) {
        self.relationOID = relationOID
        self.newTuple = newTuple
    }

    static func decode(_ r: inout ByteReader) throws -> InsertMessage {
        let oid = try r.uint32("relation OID")
        let tag = try r.uint8("new tuple marker")
        guard tag == UInt8(ascii: "N") else {
            throw r.error(.unknownTag, "expected 'N' before the new tuple, found 0x\(String(tag, radix: 16))")
        }
        return InsertMessage(relationOID: oid, newTuple: try TupleData.decode(&r))
    }
}
