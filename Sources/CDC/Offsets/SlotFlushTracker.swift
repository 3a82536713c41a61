/// Decides which LSN may be confirmed to the replication slot, as a pure state machine.
///
/// The slot must never pass what is durable downstream: a transaction's end LSN is confirmed only once every record
/// emitted for it has had its offset persisted (the runtime says so by calling `SourceTask.commit()`; we then read
/// the persisted position). Transactions that produced no records (filtered tables, skipped operations) and idle
/// keepalives advance the slot as soon as everything before them is durable, so an idle or filtered database does
/// not pin WAL — Debezium needs heartbeats for that.
public struct SlotFlushTracker: Sendable {
    struct Completed: Sendable {
        var endLSN: LSN
        /// Position of the last record emitted for the transaction (nil: none emitted).
        var lastRecord: StreamPosition?
    }

    private var completed: [Completed] = []
    private var pendingHead = 0
    /// The highest position whose offset the runtime persisted.
    public private(set) var persisted: StreamPosition?
    /// The LSN last confirmed (or to confirm) to the server.
    public private(set) var flushLSN: LSN
    /// True between a Begin and its Commit.
    public private(set) var inTransaction = false
    /// Position of the last record emitted overall.
    public private(set) var lastEmitted: StreamPosition?

    public init(confirmed: LSN) { self.flushLSN = confirmed }

    public mutating func transactionBegan() { inTransaction = true }

    /// A record with this position was handed to the runtime.
    public mutating func recordEmitted(_ position: StreamPosition) {
        if lastEmitted.map({ position > $0 }) ?? true { lastEmitted = position }
    }

    /// A Commit arrived. `lastRecord` is the last emitted record of this transaction, if any.
    public mutating func transactionCommitted(endLSN: LSN, lastRecord: StreamPosition?) {
        inTransaction = false
        completed.append(Completed(endLSN: endLSN, lastRecord: lastRecord))
        advance()
    }

    /// The runtime persisted offsets up to `position` (nil when nothing of ours is stored yet).
    /// Returns the LSN to send as `flush` when it moved.
    @discardableResult
    public mutating func offsetsPersisted(_ position: StreamPosition?) -> LSN? {
        if let position, persisted.map({ position > $0 }) ?? true { persisted = position }
        let before = flushLSN
        advance()
        return flushLSN > before ? flushLSN : nil
    }

    /// The server reports its WAL end during an idle period. Safe to confirm when nothing is in flight.
    @discardableResult
    public mutating func idle(walEnd: LSN) -> LSN? {
        advance()
        guard !inTransaction, pendingHead == completed.count, allEmittedPersisted, walEnd > flushLSN else { return nil }
        flushLSN = walEnd
        return walEnd
    }

    var allEmittedPersisted: Bool {
        guard let lastEmitted else { return true }
        guard let persisted else { return false }
        return lastEmitted <= persisted
    }

    /// A new replication session starts: an open transaction will be sent again from its Begin.
    public mutating func sessionReset() { inTransaction = false }

    /// Pending transactions (not yet confirmable).
    public var pendingCount: Int { completed.count - pendingHead }

    private mutating func advance() {
        while pendingHead < completed.count {
            let c = completed[pendingHead]
            if let last = c.lastRecord {
                guard let persisted, last <= persisted else { break }
            }
            if c.endLSN > flushLSN { flushLSN = c.endLSN }
            pendingHead += 1
        }
        if pendingHead > 1024 {
            completed.removeFirst(pendingHead)
            pendingHead = 0
        }
    }
}
