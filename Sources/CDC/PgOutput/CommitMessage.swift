/// `C`: the transaction begun by the last `BeginMessage` committed.
public struct CommitMessage: Sendable, Hashable {
    public var flags: UInt8
    /// The LSN of the commit record.
    public var commitLSN: LSN
    /// The end of the commit record: the position to confirm once the transaction is durable downstream.
    public var endLSN: LSN
    /// Commit time, microseconds since 2000-01-01 UTC.
    public var commitTimestamp: Int64

    public init(flags: UInt8 = 0, commitLSN: LSN, endLSN: LSN, commitTimestamp: Int64) {
        self.flags = flags
        self.commitLSN = commitLSN
        self.endLSN = endLSN
        self.commitTimestamp = commitTimestamp
    }

    static func decode(_ r: inout ByteReader) throws -> CommitMessage {
        let flags = try r.uint8("flags")
        let commit = try r.uint64("commit LSN")
        let end = try r.uint64("end LSN")
        let ts = try r.int64("commit timestamp")
        return CommitMessage(flags: flags, commitLSN: LSN(commit), endLSN: LSN(end), commitTimestamp: ts)
    }
}
