/// `T`: one TRUNCATE statement over one or more tables.
public struct TruncateMessage: Sendable, Hashable {
    /// Bit 1: CASCADE; bit 2: RESTART IDENTITY.
    public var options: UInt8
    public var relationOIDs: [UInt32]

    public init(options: UInt8, relationOIDs: [UInt32]) {
        self.options = options
        self.relationOIDs = relationOIDs
    }

    public var isCascade: Bool { options & 1 != 0 }
    public var restartsIdentity: Bool { options & 2 != 0 }

    static func decode(_ r: inout ByteReader) throws -> TruncateMessage {
        let count = try r.int32("relation count")
        if count < 0 { throw r.error(.invalidLength, "negative relation count \(count)") }
        let options = try r.uint8("options")
        if Int(count) > r.remaining / 4 {
            throw r.error(.truncated, "\(count) relation OIDs announced but only \(r.remaining) bytes remain")
        }
        var oids: [UInt32] = []
        oids.reserveCapacity(Int(count))
        for i in 0..<Int(count) { oids.append(try r.uint32("relation OID \(i)")) }
        return TruncateMessage(options: options, relationOIDs: oids)
    }
}
