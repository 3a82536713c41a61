import SluiceAPI

/// The stream side of incremental snapshots: signal rows, window markers, and evicting buffered chunk rows that a
/// streamed change made stale.
extension ChangeStreamProcessor {
    /// An insert into the signal table. Window markers drive the snapshot here (a close marker emits the chunk's
    /// remaining rows as reads, positioned at the marker so the slot is confirmed past it only once they are
    /// persisted); other signals are queued for the task. Signals of already delivered transactions are ignored.
    mutating func signal(_ tuple: TupleData, lsn: LSN, nowMicros: Int64) throws -> [SourceRecord] {
        guard var t = tx, !t.skipped, let signal = Signal(tuple: tuple) else { return [] }
        let pos = StreamPosition(commitLSN: t.commitLSN, eventLSN: lsn)
        if resume.skips(pos) { return [] }
        let action: Signal.Action
        do { action = try signal.action() } catch {
            pendingSignals.append(signal)  // the task logs why it is ignored
            return []
        }
        switch action {
        case .windowOpen(let id):
            incremental.windowOpened(id)
            return []
        case .windowClose(let id):
            guard let closed = incremental.windowClosed(id), let table = closed.table, !closed.rows.isEmpty else { return [] }
            var out: [SourceRecord] = []
            out.reserveCapacity(closed.rows.count)
            for row in closed.rows {
                let source = SourceInfo(version: settings.version, serverName: settings.serverName, database: settings.database,
                                        timestampMicros: nowMicros, snapshot: .incremental, schema: table.id.schema,
                                        table: table.id.table, txId: Int64(t.xid), lsn: lsn, lastCommitLSN: lastCommitLSN)
                var off = offset(pos, t, "INSERT")
                off.incremental = incremental.offset(sent: row.key)
                out += try builder.records(for: .read(after: row.tuple), table: table, source: source, offset: off.json,
                                           nowMicros: nowMicros)
            }
            currentOffset = offset(pos, t, "INSERT")
            t.lastRecord = pos
            tx = t
            tracker.recordEmitted(pos)
            return out
        default:
            pendingSignals.append(signal)
            return []
        }
    }

    /// A streamed change inside an open window: its keys (old and new) are no longer snapshotted from the chunk.
    mutating func evictFromWindow(_ table: TableSchema, _ change: ChangeEventBuilder.Change) {
        var tuples: [TupleData] = []
        switch change {
        case .read(let after), .insert(let after): tuples = [after]
        case .update(let before, let after): tuples = [after] + (before.map { [$0.tuple] } ?? [])
        case .delete(let before): tuples = [before.tuple]
        }
        for tuple in tuples {
            if let key = table.chunkKey(tuple) { incremental.observed(table.id, key: key) }
        }
    }
}
