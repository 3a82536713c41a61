/// `R`: describes a table before the first change to it in a session (and again after it changed shape).
public struct RelationMessage: Sendable, Hashable {
    /// How much of the old row UPDATE/DELETE carry (`REPLICA IDENTITY`).
    public enum ReplicaIdentity: UInt8, Sendable, Hashable {
        case `default` = 100  // 'd'
        case nothing = 110  // 'n'
        case full = 102  // 'f'
        case index = 105  // 'i'
    }

    public struct Column: Sendable, Hashable {
        /// Bit 1: the column is part of the replica identity key.
        public var flags: UInt8
        public var name: String
        public var typeOID: UInt32
        /// The type modifier (`atttypmod`): length, precision/scale; -1 when none.
        public var typeModifier: Int32

        public init(flags: UInt8, name: String, typeOID: UInt32, typeModifier: Int32) {
            self.flags = flags
            self.name = name
            self.typeOID = typeOID
            self.typeModifier = typeModifier
        }

        public var isKey: Bool { flags & 1 != 0 }
    }

    public var oid: UInt32
    /// The schema; pgoutput sends an empty string for `pg_catalog`.
    public var namespace: String
    public var name: String
    public var replicaIdentity: ReplicaIdentity
    public var columns: [Column]

    public init(oid: UInt32, namespace: String, name: String, replicaIdentity: ReplicaIdentity, columns: [Column]) {
        self.oid = oid
        self.namespace = namespace
        self.name = name
        self.replicaIdentity = replicaIdentity
        self.columns = columns
    }

    static func decode(_ r: inout ByteReader) throws -> RelationMessage {
        let oid = try r.uint32("relation OID")
        let ns = try r.cString("namespace")
        let name = try r.cString("relation name")
        let identByte = try r.uint8("replica identity")
        guard let ident = ReplicaIdentity(rawValue: identByte) else {
            throw r.error(.unknownTag, "unknown replica identity 0x\(String(identByte, radix: 16))")
        }
        let count = try r.int16("column count")
        if count < 0 { throw r.error(.invalidLength, "negative column count \(count)") }
        var columns: [Column] = []
        columns.reserveCapacity(min(Int(count), r.remaining / 10))
        for i in 0..<Int(count) {
            let flags = try r.uint8("flags of column \(i)")
            let colName = try r.cString("name of column \(i)")
            let type = try r.uint32("type OID of column \(i)")
            let mod = try r.int32("type modifier of column \(i)")
            columns.append(Column(flags: flags, name: colName, typeOID: type, typeModifier: mod))
        }
        return RelationMessage(oid: oid, namespace: ns, name: name, replicaIdentity: ident, columns: columns)
    }
}
