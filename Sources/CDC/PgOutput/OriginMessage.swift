/// `O`: the transaction was replicated from another node (replication origin).
public struct OriginMessage: Sendable, Hashable {
    public var commitLSN: LSN
    public var name: String

    public init(commitLSN: LSN, name: String) {
        self.commitLSN = commitLSN
        self.name = name
    }

    static func decode(_ r: inout ByteReader) throws -> OriginMessage {
        let lsn = try r.uint64("origin commit LSN")
        let name = try r.cString("origin name")
        return OriginMessage(commitLSN: LSN(lsn), name: name)
    }
}
