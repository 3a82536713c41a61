/// `r`: what the client tells the server about its progress. `flush` is what moves the slot's `confirmed_flush_lsn`,
/// so it must only ever carry an LSN whose changes are durable downstream (offsets persisted).
public struct StandbyStatusUpdate: Sendable, Hashable {
    public var written: LSN
    public var flushed: LSN
    public var applied: LSN
    /// Client clock, microseconds since 2000-01-01.
    public var clockTime: Int64
    public var replyRequested: Bool

    public init(written: LSN, flushed: LSN, applied: LSN, clockTime: Int64, replyRequested: Bool = false) {
        self.written = written
        self.flushed = flushed
        self.applied = applied
        self.clockTime = clockTime
        self.replyRequested = replyRequested
    }

    /// The 34-byte CopyData payload.
    public var bytes: [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "r")]
        out.reserveCapacity(34)
        for v in [written.rawValue, flushed.rawValue, applied.rawValue, UInt64(bitPattern: clockTime)] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
        }
        out.append(replyRequested ? 1 : 0)
        return out
    }
}
