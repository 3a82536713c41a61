/// `U`: a changed row. The old row is present only when the key changed (`K`, key columns) or under
/// `REPLICA IDENTITY FULL` (`O`, every column).
public struct UpdateMessage: Sendable, Hashable {
    public enum OldTuple: Sendable, Hashable {
        /// `K`: the old replica-identity key columns (other columns null).
        case key(TupleData)
        /// `O`: the complete old row.
        case full(TupleData)

        public var tuple: TupleData {
            switch self {
            case .key(let t), .full(let t): return t
            }
        }
    }

    public var relationOID: UInt32
    public var oldTuple: OldTuple?
    public var newTuple: TupleData

    public init(relationOID: UInt32, oldTuple: OldTuple?, newTuple: TupleData) {
        self.relationOID = relationOID
        self.oldTuple = oldTuple
        self.newTuple = newTuple
    }

    static func decode(_ r: inout ByteReader) throws -> UpdateMessage {
        let oid = try r.uint32("relation OID")
        var tag = try r.uint8("tuple marker")
        var old: OldTuple?
        if tag == UInt8(ascii: "K") || tag == UInt8(ascii: "O") {
            let t = try TupleData.decode(&r)
            old = tag == UInt8(ascii: "K") ? .key(t) : .full(t)
            tag = try r.uint8("new tuple marker")
        }
        guard tag == UInt8(ascii: "N") else {
            throw r.error(.unknownTag, "expected 'K', 'O' or 'N' tuple marker, found 0x\(String(tag, radix: 16))")
        }
        return UpdateMessage(relationOID: oid, oldTuple: old, newTuple: try TupleData.decode(&r))
    }
}
