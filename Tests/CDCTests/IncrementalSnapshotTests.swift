import SluiceAPI
import Testing
@testable import CDC

/// The pure parts of incremental snapshots: signal parsing, the chunk buffer, the window state machine, the offset
/// encoding, and the processor's handling of markers and evictions over hand-built transcripts.
@Suite struct IncrementalSnapshotTests {
    func t(_ s: String?) -> TupleColumn { s.map { .text(Array($0.utf8)) } ?? .null }
    func row(_ id: String, _ note: String) -> ChunkBuffer.Row { .init(key: [id], tuple: TupleData([t(id), t(note), t("1.00")])) }

    // MARK: signals

    @Test func executeSnapshotSignalParses() throws {
        let s = Signal(id: "ad-hoc-1", type: "execute-snapshot", data: """
            {"data-collections": ["public.t", "inv\\\\..*"], "type": "INCREMENTAL",
             "additional-conditions": [{"data-collection": "public.t", "filter": "color = 'blue'"}]}
            """)
        #expect(try s.action() == .executeSnapshot(collections: ["public.t", "inv\\..*"], conditions: ["public.t": "color = 'blue'"]))
        let old = Signal(id: "2", type: "execute-snapshot", data: #"{"data-collections": ["public.t"], "additional-condition": "id > 5"}"#)
        #expect(try old.action() == .executeSnapshot(collections: ["public.t"], conditions: ["*": "id > 5"]))
    }

    @Test func malformedSignalsNameTheProblem() {
        func message(_ s: Signal) -> String {
            do { _ = try s.action(); return "" } catch { return error.message }
        }
        #expect(message(Signal(id: "x", type: "execute-snapshot", data: "{not json")).contains("not valid JSON"))
        #expect(message(Signal(id: "x", type: "execute-snapshot", data: #"{"data-collections": []}"#)).contains("at least one table"))
        #expect(message(Signal(id: "x", type: "execute-snapshot", data: #"{"data-collections": ["a.b"], "type": "blocking"}"#))
            .contains("'blocking' is not supported"))
        #expect(message(Signal(id: "x", type: "frobnicate", data: nil)).contains("unknown signal type 'frobnicate'"))
        #expect(message(Signal(id: "sig-9", type: "execute-snapshot", data: "[1]")).contains("signal 'sig-9'"))
    }

    @Test func otherSignalsParse() throws {
        #expect(try Signal(id: "a", type: "stop-snapshot", data: #"{"type": "incremental"}"#).action() == .stopSnapshot(collections: []))
        #expect(try Signal(id: "a", type: "stop-snapshot", data: #"{"data-collections": ["public.t"]}"#).action()
            == .stopSnapshot(collections: ["public.t"]))
        #expect(try Signal(id: "c1-open", type: "snapshot-window-open", data: nil).action() == .windowOpen(chunkID: "c1"))
        #expect(try Signal(id: "c1-close", type: "snapshot-window-close", data: nil).action() == .windowClose(chunkID: "c1"))
        #expect(try Signal(id: "l", type: "log", data: #"{"message": "hi"}"#).action() == .log(message: "hi"))
        #expect(try Signal(id: "p", type: "pause-snapshot", data: nil).action() == .pauseSnapshot)
        #expect(Signal(tuple: TupleData([t("id"), .null, .null])) == nil)
        #expect(Signal(tuple: TupleData([t("id"), t("log"), .null])) == Signal(id: "id", type: "log", data: nil))
    }

    // MARK: buffer and state machine

    @Test func chunkBufferKeepsKeyOrderAndEvicts() {
        var b = ChunkBuffer([row("1", "a"), row("2", "b"), row("3", "c")])
        let evicted = [b.evict(["2"]), b.evict(["2"]), b.evict(["9"])]
        #expect(evicted == [true, false, false])
        b.append(row("1", "a2"))
        #expect(b.count == 2 && b.contains(["1"]) && !b.contains(["2"]))
        #expect(b.drain().map(\.key) == [["1"], ["3"]])
        #expect(b.isEmpty)
    }

    static let table: TableSchema = {
        let converter = PgValueConverter(options: ValueConverterOptions())
        return TableSchema(relation: ChangeStreamProcessorTests.ordersRelation, prefix: "srv", registry: PgTypeRegistry(),
                           converter: converter, catalog: .init(primaryKey: ["id"], notNull: ["id"]))
    }()

    @Test func windowEvictsOnlyWhileOpenAndOnlyItsTable() {
        var s = IncrementalSnapshotState()
        #expect(!s.running && !s.needsChunk)
        s.add([.init(id: "public.orders")])
        #expect(s.needsChunk)
        s.beginChunk(id: "c1")
        s.chunkRead(table: Self.table, rows: [row("1", "a"), row("2", "b"), row("3", "c")])
        #expect(s.lastKey == ["3"] && !s.needsChunk)
        s.observed(Self.table.id, key: ["1"])  // before the window opened: the SELECT may not have seen it; keep
        let wrongOpened = s.windowOpened("other")
        let opened = s.windowOpened("c1")
        #expect(!wrongOpened && opened)
        s.observed(TableId(schema: "public", table: "else"), key: ["2"])
        s.observed(Self.table.id, key: ["2"])
        let wrongClosed = s.windowClosed("other")
        #expect(wrongClosed == nil)
        let closed = s.windowClosed("c1")
        #expect(closed?.rows.map(\.key) == [["1"], ["3"]])
        #expect(closed?.table?.id == Self.table.id)
        #expect(s.needsChunk && s.chunkID == nil && s.rowsInTable == 2)
        s.beginChunk(id: "c2")
        s.tableFinished()
        #expect(!s.running && s.offset() == nil)
    }

    @Test func stopPauseResumeAndRestore() {
        var s = IncrementalSnapshotState()
        s.add([.init(id: "public.a"), .init(id: "public.b")])
        s.add([.init(id: "public.a")])
        #expect(s.collections.map(\.id) == ["public.a", "public.b"])
        s.beginChunk(id: "c1")
        s.chunkRead(table: Self.table, rows: [row("5", "x")])
        s.maximumKey = ["9"]
        #expect(s.offset() == IncrementalSnapshotOffset(collections: [.init(id: "public.a"), .init(id: "public.b")],
                                                        primaryKey: ["5"], maximumKey: ["9"]))
        #expect(s.offset(sent: ["4"])?.primaryKey == ["4"])
        s.pause()
        s.windowOpened("c1")
        _ = s.windowClosed("c1")
        #expect(!s.needsChunk)
        s.resume()
        #expect(s.needsChunk)
        s.beginChunk(id: "c2")
        s.stop(["public.a"])  // the table in progress: its chunk is dropped, the next table starts from its first row
        #expect(s.collections.map(\.id) == ["public.b"] && s.lastKey == nil && s.maximumKey == nil && s.needsChunk)
        let stale = s.windowClosed("c2")
        #expect(stale == nil)
        s.stop([])
        #expect(!s.running && !s.needsChunk)

        let restored = IncrementalSnapshotState(restoring: IncrementalSnapshotOffset(collections: [.init(id: "public.a")],
                                                                                    primaryKey: ["7"], maximumKey: ["9"]))
        #expect(restored.running && restored.needsChunk && restored.lastKey == ["7"] && restored.maximumKey == ["9"])
    }

    @Test func offsetUsesDebeziumKeysAndRoundTrips() throws {
        let o = IncrementalSnapshotOffset(collections: [.init(id: "public.t", condition: "v > 1")], primaryKey: ["1", "a\"b"],
                                          maximumKey: ["9", "z"])
        var json: [String: JSONValue] = ["lsn": .int(5)]
        o.write(into: &json)
        let collections = try #require(json["incremental_snapshot_collections"]?.stringValue)
        #expect(collections == #"[{"incremental_snapshot_collections_id":"public.t","incremental_snapshot_collections_additional_condition":"v > 1","incremental_snapshot_collections_surrogate_key":null}]"#)
        #expect(json["incremental_snapshot_primary_key"] == .string(#"["1","a\"b"]"#))
        #expect(IncrementalSnapshotOffset(json: json) == o)
        #expect(PostgresOffset(json: json).incremental == o)
        // Debezium's own (hex Java serialization) keys cannot be read: the table starts over instead of skipping rows.
        json["incremental_snapshot_primary_key"] = .string("aced0005757200135b4c6a6176612e6c616e67")
        let foreign = try #require(IncrementalSnapshotOffset(json: json))
        #expect(foreign.unreadableKey && foreign.primaryKey == nil && foreign.maximumKey == nil)
        #expect(IncrementalSnapshotOffset(json: ["lsn": .int(5)]) == nil)
    }
}
