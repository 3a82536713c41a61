import SluiceAPI

/// The source offset stored with every record, in Debezium's key names, plus the partition `{"server": prefix}`.
///
/// Position semantics (Sluice's, documented because resume correctness rests on them): `lsn_commit` is the commit
/// LSN of the transaction the event belongs to and `lsn_proc` (= `lsn`) the event's own LSN. Transactions arrive in
/// commit order and changes within one in LSN order, so `(lsn_commit, lsn_proc)` totally orders streamed events.
public struct PostgresOffset: Sendable, Hashable {
    public var lsn: LSN?
    public var lsnProc: LSN?
    public var lsnCommit: LSN?
    public var txId: Int64?
    /// Commit (or snapshot read) time, microseconds since the Unix epoch.
    public var timestampMicros: Int64?
    /// `INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`, `MESSAGE`, `HEARTBEAT`... (Debezium's `messageType`).
    public var messageType: String?
    /// Present while a snapshot is in progress.
    public var snapshot: Bool
    public var lastSnapshotRecord: Bool
    /// Tables whose snapshot completed (Sluice extension, lets an interrupted snapshot resume per table).
    public var snapshotCompletedTables: [String]?
    /// Progress of a running incremental snapshot (`incremental_snapshot_*` keys).
    public var incremental: IncrementalSnapshotOffset?

    public init(lsn: LSN? = nil, lsnProc: LSN? = nil, lsnCommit: LSN? = nil, txId: Int64? = nil, timestampMicros: Int64? = nil,
                messageType: String? = nil, snapshot: Bool = false, lastSnapshotRecord: Bool = false) {
        self.lsn = lsn
        self.lsnProc = lsnProc
        self.lsnCommit = lsnCommit
        self.txId = txId
        self.timestampMicros = timestampMicros
        self.messageType = messageType
        self.snapshot = snapshot
        self.lastSnapshotRecord = lastSnapshotRecord
    }

    public static func partition(serverName: String) -> [String: JSONValue] { ["server": .string(serverName)] }

    /// The streaming position of this offset.
    public var position: StreamPosition? {
        guard let lsnCommit, let proc = lsnProc ?? lsn else { return nil }
        return StreamPosition(commitLSN: lsnCommit, eventLSN: proc)
    }

    /// True when the offset was written by a snapshot that did not finish (the snapshot must be redone).
    public var isIncompleteSnapshot: Bool { snapshot && !lastSnapshotRecord }

    public var json: [String: JSONValue] {
        // Sized for every key up front: one allocation per record instead of growing through several.
        var o = [String: JSONValue](minimumCapacity: snapshot || incremental != nil ? 16 : 6)
        if let lsn { o["lsn"] = .int(lsn.int64Value) }
        if let lsnProc { o["lsn_proc"] = .int(lsnProc.int64Value) }
        if let lsnCommit { o["lsn_commit"] = .int(lsnCommit.int64Value) }
        if let txId { o["txId"] = .int(txId) }
        if let timestampMicros { o["ts_usec"] = .int(timestampMicros) }
        if let messageType { o["messageType"] = .string(messageType) }
        if snapshot {
            o["snapshot"] = .bool(true)
            o["last_snapshot_record"] = .bool(lastSnapshotRecord)
        }
        incremental?.write(into: &o)
        return o
    }

    /// Reads a stored offset (Debezium's or ours); unknown keys are ignored.
    public init(json o: [String: JSONValue]) {
        func lsn(_ k: String) -> LSN? { o[k]?.int64Value.map { LSN(UInt64(bitPattern: $0)) } }
        self.lsn = lsn("lsn")
        self.lsnProc = lsn("lsn_proc")
        self.lsnCommit = lsn("lsn_commit")
        self.txId = o["txId"]?.int64Value
        self.timestampMicros = o["ts_usec"]?.int64Value
        self.messageType = o["messageType"]?.stringValue
        self.snapshot = o["snapshot"]?.boolValue ?? (o["snapshot"]?.stringValue == "true")
        self.lastSnapshotRecord = o["last_snapshot_record"]?.boolValue ?? false
        self.incremental = IncrementalSnapshotOffset(json: o)
    }
}

/// A totally ordered position in the change stream: (commit LSN of the transaction, LSN of the change).
public struct StreamPosition: Sendable, Hashable, Comparable {
    public var commitLSN: LSN
    public var eventLSN: LSN
    public init(commitLSN: LSN, eventLSN: LSN) {
        self.commitLSN = commitLSN
        self.eventLSN = eventLSN
    }
    public static func < (a: StreamPosition, b: StreamPosition) -> Bool {
        a.commitLSN != b.commitLSN ? a.commitLSN < b.commitLSN : a.eventLSN < b.eventLSN
    }
}
