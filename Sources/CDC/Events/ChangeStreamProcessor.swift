import SluiceAPI

/// The pure core of streaming: pgoutput messages in, Debezium records out, with the relation cache, transaction
/// state, resume filtering and slot-flush bookkeeping. The only outside calls go to the `CatalogSource`, once per
/// relation; everything else is deterministic and tested with transcripts.
public struct ChangeStreamProcessor: Sendable {
    public let settings: StreamSettings
    let catalog: any CatalogSource
    let builder: ChangeEventBuilder
    let aux: AuxiliaryRecords
    let converter: PgValueConverter
    public private(set) var registry = PgTypeRegistry()
    /// Relation OID → schema, or nil when the table is filtered out.
    private var tables: [UInt32: TableSchema?] = [:]
    public var resume: ResumeFilter
    public var tracker: SlotFlushTracker
    /// Incremental snapshot progress (DBLog windows); the task reads a chunk whenever `incremental.needsChunk`.
    public var incremental: IncrementalSnapshotState
    /// Signals other than window markers, for the task to execute (it resolves table names against the catalog).
    public var pendingSignals: [Signal] = []
    /// Relation OID of `signal.data.collection`, once its Relation message arrived.
    var signalOID: UInt32?

    struct OpenTransaction {
        var xid: UInt32
        var commitLSN: LSN
        var commitMicros: Int64
        var totalOrder: Int64 = 0
        var perTable: [(String, Int64)] = []
        var lastRecord: StreamPosition?
        var skipped: Bool
    }
    var tx: OpenTransaction?
    /// Commit LSN of the last completed transaction (`sequence[0]`).
    public private(set) var lastCommitLSN: LSN?
    /// The offset of the latest position seen, for heartbeats.
    public internal(set) var currentOffset: PostgresOffset

    public init(settings: StreamSettings, catalog: any CatalogSource, resumeFrom stored: PostgresOffset?, confirmedFlush: LSN) {
        self.settings = settings
        self.catalog = catalog
        self.builder = ChangeEventBuilder(serverName: settings.serverName, tombstonesOnDelete: settings.tombstonesOnDelete)
        self.aux = AuxiliaryRecords(serverName: settings.serverName)
        self.converter = PgValueConverter(options: settings.valueOptions)
        self.resume = ResumeFilter(stored: stored?.isIncompleteSnapshot == true ? nil : stored?.position)
        self.tracker = SlotFlushTracker(confirmed: confirmedFlush)
        self.currentOffset = stored ?? PostgresOffset(lsn: confirmedFlush)
        self.lastCommitLSN = stored?.lsnCommit
        self.incremental = IncrementalSnapshotState(restoring: stored?.incremental)
    }

    /// Processes one message that arrived at WAL position `lsn` (the XLogData start); returns the records to emit.
    public mutating func process(_ message: PgOutputMessage, lsn: LSN, nowMicros: Int64) throws -> [SourceRecord] {
        switch message {
        case .begin(let b):
            tracker.transactionBegan()
            tx = OpenTransaction(xid: b.xid, commitLSN: b.finalLSN, commitMicros: PgTimestamp.unixMicros(fromPg: b.commitTimestamp),
                                 skipped: resume.skipsTransaction(commitLSN: b.finalLSN))
            if settings.provideTransactionMetadata, let t = tx, !t.skipped {
                let pos = StreamPosition(commitLSN: t.commitLSN, eventLSN: lsn)
                guard !resume.skips(pos) else { return [] }
                tx?.lastRecord = pos
                tracker.recordEmitted(pos)
                return [aux.transactionBegin(id: txID(t, lsn), commitMillis: t.commitMicros / 1000, offset: offset(pos, t, "BEGIN").json)]
            }
            return []
        case .commit(let c):
            var out: [SourceRecord] = []
            if var t = tx {
                // Debezium ends every transaction it began, also those without a captured change (event_count 0).
                if settings.provideTransactionMetadata, !t.skipped, t.lastRecord != nil {
                    let pos = StreamPosition(commitLSN: t.commitLSN, eventLSN: c.endLSN)
                    if !resume.skips(pos) {
                        out.append(aux.transactionEnd(id: txID(t, lsn), eventCount: t.totalOrder,
                                                      collections: JavaHashMapOrder.sorted(t.perTable),
                                                      commitMillis: t.commitMicros / 1000, offset: offset(pos, t, "COMMIT").json))
                        t.lastRecord = pos
                        tracker.recordEmitted(pos)
                    }
                }
                tracker.transactionCommitted(endLSN: c.endLSN, lastRecord: t.lastRecord)
            } else {
                tracker.transactionCommitted(endLSN: c.endLSN, lastRecord: nil)
            }
            // Debezium's `sequence[0]` is the position the Commit message arrived at (its XLogData start), not the
            // commit record's own LSN.
            lastCommitLSN = lsn
            tx = nil
            return out
        case .origin:
            return []
        case .type(let t):
            if registry[t.oid] == nil {
                registry.register((try? catalog.type(oid: t.oid)) ?? nil ?? PgType(oid: t.oid, name: t.name, kind: .other))
            }
            return []
        case .relation(let r):
            try register(r)
            return []
        case .insert(let m):
            let reads = m.relationOID == signalOID ? try signal(m.newTuple, lsn: lsn, nowMicros: nowMicros) : []
            return try reads + change(m.relationOID, op: "c", lsn: lsn, nowMicros: nowMicros) { .insert(after: m.newTuple) }
        case .update(let m):
            return try change(m.relationOID, op: "u", lsn: lsn, nowMicros: nowMicros) { .update(before: m.oldTuple, after: m.newTuple) }
        case .delete(let m):
            return try change(m.relationOID, op: "d", lsn: lsn, nowMicros: nowMicros) { .delete(before: m.oldTuple) }
        case .truncate(let m):
            // Rows buffered from a truncated table are gone: no read may follow the truncate (emitted or not).
            for oid in m.relationOIDs { if let table = tables[oid] ?? nil, tx?.skipped == false { incremental.truncated(table.id) } }
            guard !settings.skippedOperations.contains("t") else { return [] }
            var out: [SourceRecord] = []
            for oid in m.relationOIDs {
                out += try change(oid, op: "t", lsn: lsn, nowMicros: nowMicros) { nil }
            }
            return out
        case .message(let m):
            let commit = tx?.commitLSN ?? m.lsn
            let pos = StreamPosition(commitLSN: commit, eventLSN: lsn)
            if tx?.skipped == true || resume.skips(pos) { return [] }
            // A non-transactional message is its own commit for Debezium: `sequence[0]` becomes its LSN, for it and
            // for the events after it.
            if tx == nil { lastCommitLSN = lsn }
            let source = SourceInfo(version: settings.version, serverName: settings.serverName, database: settings.database,
                                    timestampMicros: tx?.commitMicros ?? nowMicros, snapshot: .false, schema: "", table: "",
                                    txId: tx.map { Int64($0.xid) }, lsn: lsn, lastCommitLSN: lastCommitLSN)
            var off = PostgresOffset(lsn: lsn, lsnProc: lsn, lsnCommit: commit, txId: tx.map { Int64($0.xid) },
                                     timestampMicros: tx?.commitMicros ?? nowMicros, messageType: "MESSAGE")
            off.incremental = incremental.offset()
            currentOffset = off
            tx?.lastRecord = pos
            tracker.recordEmitted(pos)
            // A transactional message is an event of its transaction (Debezium counts it, under a data collection
            // of its own, named here after the message prefix).
            var block: ChangeEventBuilder.TransactionBlock?
            if settings.provideTransactionMetadata, var t = tx {
                tx = nil
                t.totalOrder += 1
                let name = m.prefix
                var collectionOrder: Int64 = 1
                if let i = t.perTable.firstIndex(where: { $0.0 == name }) {
                    t.perTable[i].1 += 1
                    collectionOrder = t.perTable[i].1
                } else {
                    t.perTable.append((name, 1))
                }
                block = ChangeEventBuilder.TransactionBlock(id: txID(t, lsn), totalOrder: t.totalOrder, dataCollectionOrder: collectionOrder)
                tx = t
            }
            return [aux.logicalMessage(m, source: source, offset: off.json, nowMillis: nowMicros / 1000,
                                       binaryMode: settings.valueOptions.binaryMode, transaction: block)]
        }
    }

    /// Debezium's `messageType` offset value for an `op` code.
    static func messageType(_ op: String) -> String {
        switch op {
        case "c": return "INSERT"
        case "u": return "UPDATE"
        case "d": return "DELETE"
        case "t": return "TRUNCATE"
        default: return op
        }
    }

    /// `process` appending to the poll's batch; row changes (the hot path) build no intermediate arrays.
    public mutating func process(_ message: PgOutputMessage, lsn: LSN, nowMicros: Int64, into batch: inout [SourceRecord]) throws {
        switch message {
        case .insert(let m) where m.relationOID != signalOID:
            try change(m.relationOID, op: "c", lsn: lsn, nowMicros: nowMicros, into: &batch) { .insert(after: m.newTuple) }
        case .update(let m):
            try change(m.relationOID, op: "u", lsn: lsn, nowMicros: nowMicros, into: &batch) { .update(before: m.oldTuple, after: m.newTuple) }
        case .delete(let m):
            try change(m.relationOID, op: "d", lsn: lsn, nowMicros: nowMicros, into: &batch) { .delete(before: m.oldTuple) }
        default:
            batch += try process(message, lsn: lsn, nowMicros: nowMicros)
        }
    }

    /// Debezium's transaction id: `<xid>:<lsn>` with the LSN of the record carrying it (BEGIN, each event and END
    /// each have their own), as Debezium 3.0 writes it.
    func txID(_ t: OpenTransaction, _ lsn: LSN) -> String { "\(t.xid):\(lsn.rawValue)" }

    func offset(_ pos: StreamPosition, _ t: OpenTransaction, _ type: String) -> PostgresOffset {
        var o = PostgresOffset(lsn: pos.eventLSN, lsnProc: pos.eventLSN, lsnCommit: pos.commitLSN, txId: Int64(t.xid),
                               timestampMicros: t.commitMicros, messageType: type)
        o.incremental = incremental.offset()
        return o
    }

    mutating func register(_ r: RelationMessage) throws {
        let id = TableId(schema: r.namespace.isEmpty ? "pg_catalog" : r.namespace, table: r.name)
        if id == settings.signalTable { signalOID = r.oid }
        guard settings.filter.includesTable(id) else { tables[r.oid] = .some(nil); return }
        for c in r.columns { try ensureType(c.typeOID) }
        let info = try catalog.tableInfo(id)
        let filter = settings.filter
        tables[r.oid] = TableSchema(
            relation: r, prefix: settings.serverName, registry: registry, converter: converter, catalog: info,
            keyColumns: TableFilter.keyColumns(settings.messageKeyColumns, for: id),
            includeColumn: { filter.includesColumn(id, $0) })
    }

    mutating func ensureType(_ oid: UInt32) throws {
        guard registry[oid] == nil || registry[oid]?.kind == .other else { return }
        guard let t = try catalog.type(oid: oid) else { return }
        registry.register(t)
        switch t.kind {
        case .array(let e): try ensureType(e)
        case .domain(let b, _): try ensureType(b)
        default: break
        }
    }

    /// Adds table schemas for snapshot reads (the snapshot sees tables before any Relation message).
    public mutating func table(for relation: RelationMessage) throws -> TableSchema? {
        if tables[relation.oid] == nil { try register(relation) }
        return tables[relation.oid] ?? nil
    }

    mutating func change(_ oid: UInt32, op: String, lsn: LSN, nowMicros: Int64,
                         _ make: () -> ChangeEventBuilder.Change?) throws -> [SourceRecord] {
        var out: [SourceRecord] = []
        try change(oid, op: op, lsn: lsn, nowMicros: nowMicros, into: &out, make)
        return out
    }

    mutating func change(_ oid: UInt32, op: String, lsn: LSN, nowMicros: Int64, into batch: inout [SourceRecord],
                         _ make: () -> ChangeEventBuilder.Change?) throws {
        guard let entry = tables[oid] else {
            throw ConnectError(.connect, "pgoutput sent a change for relation \(oid) before its Relation message")
        }
        guard let table = entry, var t = tx, !t.skipped, !settings.skippedOperations.contains(op) else { return }
        let pos = StreamPosition(commitLSN: t.commitLSN, eventLSN: lsn)
        if resume.skips(pos) { return }
        let changeValue = make()
        if incremental.watches(table.id), let changeValue { evictFromWindow(table, changeValue) }
        tx = nil  // `t` is the only owner of `perTable` while it changes (no copy-on-write copy per event)
        t.totalOrder += 1
        var block: ChangeEventBuilder.TransactionBlock?
        if settings.provideTransactionMetadata {
            // Per-table counts only feed the transaction block and the END record: not kept without metadata.
            let name = table.id.description
            var collectionOrder: Int64 = 1
            if let i = t.perTable.firstIndex(where: { $0.0 == name }) {
                t.perTable[i].1 += 1
                collectionOrder = t.perTable[i].1
            } else {
                t.perTable.append((name, 1))
            }
            block = ChangeEventBuilder.TransactionBlock(id: txID(t, lsn), totalOrder: t.totalOrder, dataCollectionOrder: collectionOrder)
        }
        let source = SourceInfo(version: settings.version, serverName: settings.serverName, database: settings.database,
                                timestampMicros: t.commitMicros, snapshot: .false, schema: table.id.schema, table: table.id.table,
                                txId: Int64(t.xid), lsn: lsn, lastCommitLSN: lastCommitLSN)
        let off = offset(pos, t, Self.messageType(op))
        currentOffset = off
        t.lastRecord = pos
        tx = t
        tracker.recordEmitted(pos)
        guard let changeValue else {
            batch.append(builder.truncateRecord(table: table, source: source, offset: off.json, transaction: block, nowMicros: nowMicros))
            return
        }
        let events = try builder.records(for: changeValue, table: table, source: source, offset: off.json, transaction: block,
                                         nowMicros: nowMicros, into: &batch)
        // A primary-key change is two events (delete, create): Debezium counts both in the transaction's order.
        if events > 1, var t = tx {
            tx = nil
            t.totalOrder += Int64(events - 1)
            if let i = t.perTable.firstIndex(where: { $0.0 == table.id.description }) { t.perTable[i].1 += Int64(events - 1) }
            tx = t
        }
    }

    /// Forgets the open transaction after the replication session was lost: the server resends it from Begin.
    public mutating func resetSession() {
        tx = nil
        tracker.sessionReset()
    }

    /// A heartbeat carrying the current offset.
    public func heartbeat(nowMillis: Int64) -> SourceRecord {
        var o = currentOffset
        o.incremental = incremental.offset()
        return aux.heartbeat(offset: o.json, nowMillis: nowMillis)
    }
}
