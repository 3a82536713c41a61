import SluiceAPI
import Testing
@testable import CDC

/// The processor side of incremental snapshots over hand-built transcripts: signals reach the task, a close marker
/// emits the chunk's surviving rows as `op=r` with `snapshot=incremental`, and offsets carry the progress.
@Suite struct IncrementalStreamTests {
    static let signalRelation = RelationMessage(oid: 16500, namespace: "public", name: "debezium_signal", replicaIdentity: .default, columns: [
        .init(flags: 1, name: "id", typeOID: PgTypeOID.varchar, typeModifier: 46),
        .init(flags: 0, name: "type", typeOID: PgTypeOID.varchar, typeModifier: 36),
        .init(flags: 0, name: "data", typeOID: PgTypeOID.varchar, typeModifier: 2052),
    ])

    func t(_ s: String?) -> TupleColumn { s.map { .text(Array($0.utf8)) } ?? .null }

    func processor() -> ChangeStreamProcessor {
        var s = StreamSettings(serverName: "srv", database: "db")
        s.signalTable = TableId(schema: "public", table: "debezium_signal")
        s.filter = TableFilter(tableInclude: ["public\\.orders"])
        return ChangeStreamProcessor(settings: s, catalog: ChangeStreamProcessorTests.catalog, resumeFrom: nil, confirmedFlush: LSN(100))
    }

    func signal(_ id: String, _ type: String, _ data: String? = nil) -> PgOutputMessage {
        .insert(InsertMessage(relationOID: 16500, newTuple: TupleData([t(id), t(type), t(data)])))
    }

    func order(_ id: String, _ note: String) -> TupleData { TupleData([t(id), t(note), t("1.00")]) }

    func transaction(_ p: inout ChangeStreamProcessor, commit: UInt64, _ messages: [PgOutputMessage]) throws -> [SourceRecord] {
        var out = try p.process(.begin(BeginMessage(finalLSN: LSN(commit), commitTimestamp: 0, xid: UInt32(commit))), lsn: LSN(commit - 50), nowMicros: 7_000_000)
        for (i, m) in messages.enumerated() { out += try p.process(m, lsn: LSN(commit - 40 + UInt64(i)), nowMicros: 7_000_000) }
        out += try p.process(.commit(CommitMessage(commitLSN: LSN(commit), endLSN: LSN(commit + 8), commitTimestamp: 0)), lsn: LSN(commit), nowMicros: 7_000_000)
        return out
    }

    @Test func closeMarkerEmitsSurvivingRowsAsIncrementalReads() throws {
        var p = processor()
        _ = try p.process(.relation(Self.signalRelation), lsn: LSN(150), nowMicros: 0)
        _ = try p.process(.relation(ChangeStreamProcessorTests.ordersRelation), lsn: LSN(150), nowMicros: 0)
        // The user's signal: not captured as a record (the signal table is not in table.include.list), queued for the task.
        let none = try transaction(&p, commit: 200, [signal("s1", "execute-snapshot", #"{"data-collections": ["public.orders"]}"#)])
        #expect(none.isEmpty)
        #expect(p.pendingSignals.map(\.id) == ["s1"])
        // The task resolves the table, reads a chunk of three rows between its markers.
        p.incremental.add([.init(id: "public.orders")])
        let table = try #require(try p.table(for: ChangeStreamProcessorTests.ordersRelation))
        p.incremental.beginChunk(id: "c1")
        p.incremental.maximumKey = ["3"]
        p.incremental.chunkRead(table: table, rows: ["1", "2", "3"].map { .init(key: [$0], tuple: order($0, "snap")) })
        // A change committed before the window opened is streamed; the chunk row (read later) still follows it.
        let early = try transaction(&p, commit: 300, [.update(UpdateMessage(relationOID: 16384, oldTuple: nil, newTuple: order("1", "early")))])
        #expect(early.map(\.op) == ["u"])
        #expect(early[0].sourceOffset["incremental_snapshot_collections"] != nil, "offsets carry the running snapshot")
        let recs = try transaction(&p, commit: 400, [
            signal("c1-open", "snapshot-window-open"),
            .update(UpdateMessage(relationOID: 16384, oldTuple: nil, newTuple: order("2", "newer"))),
            .delete(DeleteMessage(relationOID: 16384, oldTuple: .key(TupleData([t("3"), .null, .null])))),
            signal("c1-close", "snapshot-window-close"),
        ])
        #expect(recs.map(\.op) == ["u", "d", nil, "r"])
        let read = recs[3]
        #expect(read.after?["id"] == .int32(1) && read.after?["note"] == .string("snap"))
        let source = try #require(read.value.structValue?["source"]?.structValue)
        #expect(source["snapshot"] == .string("incremental") && source["txId"] == .int64(400))
        #expect(source["ts_ms"] == .int64(7000))
        #expect(read.sourceOffset["lsn_commit"] == .int(400))
        #expect(read.sourceOffset["incremental_snapshot_primary_key"] == .string(#"["1"]"#))
        #expect(read.sourceOffset["incremental_snapshot_maximum_key"] == .string(#"["3"]"#))
        #expect(p.incremental.needsChunk)
        // The slot is not confirmed past the close marker's transaction until the reads are persisted.
        #expect(p.tracker.flushLSN < LSN(408))
        // A stale marker from another chunk (e.g. written before a restart) changes nothing.
        #expect(try transaction(&p, commit: 500, [signal("c0-close", "snapshot-window-close")]).isEmpty)
        #expect(p.pendingSignals.map(\.id) == ["s1"])
    }

    @Test func truncateInTheWindowDropsTheBufferedRows() throws {
        var p = processor()
        _ = try p.process(.relation(Self.signalRelation), lsn: LSN(150), nowMicros: 0)
        _ = try p.process(.relation(ChangeStreamProcessorTests.ordersRelation), lsn: LSN(150), nowMicros: 0)
        p.incremental.add([.init(id: "public.orders")])
        let table = try #require(try p.table(for: ChangeStreamProcessorTests.ordersRelation))
        p.incremental.beginChunk(id: "c1")
        p.incremental.chunkRead(table: table, rows: ["1", "2"].map { .init(key: [$0], tuple: order($0, "snap")) })
        let recs = try transaction(&p, commit: 400, [
            signal("c1-open", "snapshot-window-open"),
            .truncate(TruncateMessage(options: 0, relationOIDs: [16384])),
            signal("c1-close", "snapshot-window-close"),
        ])
        #expect(recs.isEmpty, "truncates are skipped by default, and no read of a truncated row follows")
    }

    @Test func signalsOfDeliveredTransactionsAreNotRepeated() throws {
        var s = StreamSettings(serverName: "srv", database: "db")
        s.signalTable = TableId(schema: "public", table: "debezium_signal")
        var stored = PostgresOffset(lsn: LSN(170), lsnProc: LSN(170), lsnCommit: LSN(200))
        stored.incremental = IncrementalSnapshotOffset(collections: [.init(id: "public.orders")], primaryKey: ["40"], maximumKey: ["90"])
        var p = ChangeStreamProcessor(settings: s, catalog: ChangeStreamProcessorTests.catalog, resumeFrom: stored, confirmedFlush: LSN(100))
        #expect(p.incremental.needsChunk && p.incremental.lastKey == ["40"])
        _ = try p.process(.relation(Self.signalRelation), lsn: LSN(150), nowMicros: 0)
        _ = try transaction(&p, commit: 200, [signal("old", "execute-snapshot", #"{"data-collections": ["public.x"]}"#)])
        #expect(p.pendingSignals.isEmpty)
        _ = try transaction(&p, commit: 300, [signal("new", "log", #"{"message": "m"}"#)])
        #expect(p.pendingSignals.map(\.id) == ["new"])
        #expect(p.heartbeat(nowMillis: 1).sourceOffset["incremental_snapshot_primary_key"] == .string(#"["40"]"#))
    }
}
