/// `B`: a transaction starts. Its changes follow, up to the matching `CommitMessage`.
public struct BeginMessage: Sendable, Hashable {
    /// The LSN of the commit record (where the transaction ends in WAL).
    public var finalLSN: LSN
    /// Commit time, microseconds since 2000-01-01 UTC.
    public var commitTimestamp: Int64
    public var xid: UInt32

    public init(finalLSN: LSN, commitTimestamp: Int64, xid: UInt32) {
        self.finalLSN = finalLSN
        self.commitTimestamp = commitTimestamp
        self.xid = xid
    }

    static func decode(_ r: inout ByteReader) throws -> BeginMessage {
        let lsn = try r.uint64("final LSN")
        let ts = try r.int64("commit timestamp")
        let xid = try r.uint32("xid")
        return BeginMessage(finalLSN: LSN(lsn), commitTimestamp: ts, xid: xid)
    }
}
