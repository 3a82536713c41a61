import SluiceAPI
import Testing
@testable import CDC

/// Streams hand-built pgoutput transcripts through the processor and checks the Debezium records.
@Suite struct ChangeStreamProcessorTests {
    static let ordersRelation = RelationMessage(oid: 16384, namespace: "public", name: "orders", replicaIdentity: .default, columns: [
        .init(flags: 1, name: "id", typeOID: PgTypeOID.int4, typeModifier: -1),
        .init(flags: 0, name: "note", typeOID: PgTypeOID.text, typeModifier: -1),
        .init(flags: 0, name: "amount", typeOID: PgTypeOID.numeric, typeModifier: (10 << 16 | 2) + 4),
    ])
    static let catalog = StaticCatalog(tables: [TableId(schema: "public", table: "orders"): .init(primaryKey: ["id"], notNull: ["id"])])

    func processor(_ configure: (inout StreamSettings) -> Void = { _ in }, resume: PostgresOffset? = nil) -> ChangeStreamProcessor {
        var s = StreamSettings(serverName: "dbserver1", database: "inventory")
        configure(&s)
        return ChangeStreamProcessor(settings: s, catalog: Self.catalog, resumeFrom: resume, confirmedFlush: LSN(100))
    }

    func t(_ s: String?) -> TupleColumn { s.map { .text(Array($0.utf8)) } ?? .null }

    /// Begin + relation + the given changes + commit; returns all records.
    func run(_ p: inout ChangeStreamProcessor, xid: UInt32 = 700, commit: UInt64 = 1000, _ changes: [PgOutputMessage]) throws -> [SourceRecord] {
        var out: [SourceRecord] = []
        out += try p.process(.begin(BeginMessage(finalLSN: LSN(commit), commitTimestamp: 0, xid: xid)), lsn: LSN(commit - 100), nowMicros: 5_000_000)
        out += try p.process(.relation(Self.ordersRelation), lsn: LSN(commit - 100), nowMicros: 5_000_000)
        for (i, c) in changes.enumerated() {
            out += try p.process(c, lsn: LSN(commit - 99 + UInt64(i)), nowMicros: 5_000_000)
        }
        out += try p.process(.commit(CommitMessage(commitLSN: LSN(commit), endLSN: LSN(commit + 8), commitTimestamp: 0)), lsn: LSN(commit), nowMicros: 5_000_000)
        return out
    }

    @Test func insertEnvelope() throws {
        var p = processor()
        let recs = try run(&p, [.insert(InsertMessage(relationOID: 16384, newTuple: TupleData([t("1"), t("hello"), t("9.50")])))])
        #expect(recs.count == 1)
        let r = recs[0]
        #expect(r.topic == "dbserver1.public.orders")
        #expect(r.sourcePartition == ["server": .string("dbserver1")])
        #expect(r.keySchema?.name == "dbserver1.public.orders.Key")
        #expect(r.keySchema?.fields.map(\.name) == ["id"])
        #expect(r.keySchema?.fields[0].schema == .int32)  // NOT NULL primary key → required
        #expect(r.key == .structure(Struct(schema: r.keySchema!, values: [.int32(1)])))
        let env = try #require(r.valueSchema)
        #expect(env.name == "dbserver1.public.orders.Envelope" && env.version == 2)
        #expect(env.fields.map(\.name) == ["before", "after", "source", "transaction", "op", "ts_ms", "ts_us", "ts_ns"])
        #expect(env.field("after")?.schema.name == "dbserver1.public.orders.Value")
        #expect(env.field("after")?.schema.isOptional == true)
        #expect(env.field("transaction")?.schema.name == "event.block")
        let v = try #require(r.value.structValue)
        #expect(v["op"] == .string("c"))
        #expect(v["before"] == .null)
        #expect(v["ts_ms"] == .int64(5000) && v["ts_us"] == .int64(5_000_000) && v["ts_ns"] == .int64(5_000_000_000))
        let after = try #require(v["after"]?.structValue)
        #expect(after["id"] == .int32(1) && after["note"] == .string("hello"))
        #expect(after["amount"] == .decimal(ConnectDecimal(unscaled: 950, scale: 2)))
        let source = try #require(v["source"]?.structValue)
        #expect(source.schema.name == "io.debezium.connector.postgresql.Source")
        #expect(source.schema.fields.map(\.name) == ["version", "connector", "name", "ts_ms", "snapshot", "db", "sequence",
                                                     "ts_us", "ts_ns", "schema", "table", "txId", "lsn", "xmin"])
        #expect(source["connector"] == .string("postgresql") && source["name"] == .string("dbserver1"))
        #expect(source["db"] == .string("inventory") && source["schema"] == .string("public") && source["table"] == .string("orders"))
        #expect(source["snapshot"] == .string("false") && source["txId"] == .int64(700) && source["lsn"] == .int64(901))
        #expect(source["ts_ms"] == .int64(946_684_800_000))  // commit timestamp 0 = 2000-01-01
        #expect(source["sequence"] == .string("[null,\"901\"]"))
        #expect(r.sourceOffset["lsn_proc"] == .int(901) && r.sourceOffset["lsn_commit"] == .int(1000) && r.sourceOffset["txId"] == .int(700))
        #expect(r.sourceOffset["ts_usec"] == .int(946_684_800_000_000))
    }

    @Test func deleteIsFollowedByTombstone() throws {
        var p = processor()
        let recs = try run(&p, [.delete(DeleteMessage(relationOID: 16384, oldTuple: .key(TupleData([t("7"), .null, .null]))))])
        #expect(recs.count == 2)
        let v = try #require(recs[0].value.structValue)
        #expect(v["op"] == .string("d"))
        let before = try #require(v["before"]?.structValue)
        #expect(before["id"] == .int32(7) && before["note"] == .null)
        #expect(recs[1].value == .null && recs[1].valueSchema == nil && recs[1].key == recs[0].key)

        var noTomb = processor { $0.tombstonesOnDelete = false }
        #expect(try run(&noTomb, [.delete(DeleteMessage(relationOID: 16384, oldTuple: .key(TupleData([t("7"), .null, .null]))))]).count == 1)
    }

    @Test func updateWithPrimaryKeyChangeSplits() throws {
        var p = processor()
        let recs = try run(&p, [.update(UpdateMessage(relationOID: 16384, oldTuple: .key(TupleData([t("1"), .null, .null])),
                                                      newTuple: TupleData([t("2"), t("x"), t("1.00")])))])
        #expect(recs.count == 3)
        #expect(recs[0].value.structValue?["op"] == .string("d"))
        #expect(recs[0].headers.last("__debezium.newkey")?.value == recs[2].key)
        #expect(recs[1].value == .null && recs[1].key == recs[0].key)
        #expect(recs[2].value.structValue?["op"] == .string("c"))
        #expect(recs[2].headers.last("__debezium.oldkey")?.value == recs[0].key)
    }

    /// REPLICA IDENTITY FULL without a primary key: pgoutput flags every column as key, but Debezium gives the table a
    /// null key and a plain update (no delete + tombstone + create).
    @Test func replicaIdentityFullWithoutPrimaryKeyHasNullKeyAndPlainUpdates() throws {
        let rel = RelationMessage(oid: 16390, namespace: "public", name: "nopk", replicaIdentity: .full, columns: [
            .init(flags: 1, name: "a", typeOID: PgTypeOID.int4, typeModifier: -1),
            .init(flags: 1, name: "b", typeOID: PgTypeOID.text, typeModifier: -1),
        ])
        var p = ChangeStreamProcessor(settings: StreamSettings(serverName: "dbserver1", database: "inventory"),
                                      catalog: StaticCatalog(), resumeFrom: nil, confirmedFlush: LSN(100))
        _ = try p.process(.begin(BeginMessage(finalLSN: LSN(1000), commitTimestamp: 0, xid: 700)), lsn: LSN(900), nowMicros: 0)
        _ = try p.process(.relation(rel), lsn: LSN(900), nowMicros: 0)
        let recs = try p.process(.update(UpdateMessage(relationOID: 16390, oldTuple: .full(TupleData([t("2"), t("b")])),
                                                       newTuple: TupleData([t("2"), t("bb")]))), lsn: LSN(901), nowMicros: 0)
        #expect(recs.count == 1)
        #expect(recs[0].key == .null && recs[0].keySchema == nil)
        #expect(recs[0].value.structValue?["op"] == .string("u"))
        #expect(recs[0].value.structValue?["before"]?.structValue?["b"] == .string("b"))
    }

    @Test func updateDefaultIdentityHasNoBeforeAndToastPlaceholder() throws {
        var p = processor()
        let recs = try run(&p, [.update(UpdateMessage(relationOID: 16384, oldTuple: nil, newTuple: TupleData([t("1"), .unchangedToast, t("2.00")])))])
        #expect(recs.count == 1)
        let v = try #require(recs[0].value.structValue)
        #expect(v["op"] == .string("u") && v["before"] == .null)
        #expect(v["after"]?.structValue?["note"] == .string("__debezium_unavailable_value"))
    }

    @Test func fullIdentityFillsToastFromOldRow() throws {
        var p = processor()
        let recs = try run(&p, [.update(UpdateMessage(relationOID: 16384, oldTuple: .full(TupleData([t("1"), t("big text"), t("1.00")])),
                                                      newTuple: TupleData([t("1"), .unchangedToast, t("2.00")])))])
        let v = try #require(recs[0].value.structValue)
        #expect(v["before"]?.structValue?["amount"] == .decimal(ConnectDecimal(unscaled: 100, scale: 2)))
        #expect(v["after"]?.structValue?["note"] == .string("big text"))
    }

    @Test func truncateSkippedByDefault() throws {
        var p = processor()
        #expect(try run(&p, [.truncate(TruncateMessage(options: 0, relationOIDs: [16384]))]).isEmpty)
        var q = processor { $0.skippedOperations = [] }
        let recs = try run(&q, [.truncate(TruncateMessage(options: 0, relationOIDs: [16384]))])
        #expect(recs.count == 1 && recs[0].key == .null && recs[0].value.structValue?["op"] == .string("t"))
    }

    @Test func filteredTablesProduceNothingButAdvanceTheSlot() throws {
        var p = processor { $0.filter = TableFilter(tableInclude: ["public\\.other"]) }
        let recs = try run(&p, [.insert(InsertMessage(relationOID: 16384, newTuple: TupleData([t("1"), t("a"), t("1")])))])
        #expect(recs.isEmpty)
        #expect(p.tracker.offsetsPersisted(nil) == nil)  // already advanced at commit
        #expect(p.tracker.flushLSN == LSN(1008))
    }

    @Test func transactionMetadata() throws {
        var p = processor { $0.provideTransactionMetadata = true }
        let recs = try run(&p, [
            .insert(InsertMessage(relationOID: 16384, newTuple: TupleData([t("1"), t("a"), t("1")]))),
            .insert(InsertMessage(relationOID: 16384, newTuple: TupleData([t("2"), t("b"), t("2")]))),
        ])
        #expect(recs.map(\.topic) == ["dbserver1.transaction", "dbserver1.public.orders", "dbserver1.public.orders", "dbserver1.transaction"])
        #expect(recs[0].value.structValue?["status"] == .string("BEGIN"))
        let block = recs[2].value.structValue?["transaction"]?.structValue
        // Debezium 3.0's id is `<xid>:<lsn of the record>`: BEGIN, each event and END each have their own.
        #expect(recs[0].value.structValue?["id"] == .string("700:900"))
        #expect(block?["id"] == .string("700:902") && block?["total_order"] == .int64(2) && block?["data_collection_order"] == .int64(2))
        let end = try #require(recs[3].value.structValue)
        #expect(end["id"] == .string("700:1000"))
        #expect(end["status"] == .string("END") && end["event_count"] == .int64(2))
        #expect(end["data_collections"] == .array([.structure(Struct(schema: DebeziumSchemas.eventCountPerCollection,
                                                                        values: [.string("public.orders"), .int64(2)]))]))
    }

    /// A primary-key change is a delete and a create: two events in the transaction's order and count, as in Debezium.
    @Test func primaryKeyChangeCountsTwoEvents() throws {
        var p = processor { $0.provideTransactionMetadata = true }
        let recs = try run(&p, [
            .update(UpdateMessage(relationOID: 16384, oldTuple: .key(TupleData([t("1"), .null, .null])),
                                  newTuple: TupleData([t("10"), t("a"), t("1")]))),
            .insert(InsertMessage(relationOID: 16384, newTuple: TupleData([t("2"), t("b"), t("2")]))),
        ])
        // BEGIN, delete, tombstone, create, insert, END
        #expect(recs.count == 6)
        let orders = recs.compactMap { $0.value.structValue?["transaction"]?.structValue?["total_order"] }
        #expect(orders == [.int64(1), .int64(2), .int64(3)])
        #expect(recs[5].value.structValue?["event_count"] == .int64(3))
        // The tombstone carries the delete's `__debezium.newkey` header.
        #expect(recs[2].value == .null && recs[2].headers.items.map(\.key) == ["__debezium.newkey"])
    }

    /// Logical messages as Debezium 3.0.7 writes them: a non-transactional one is its own commit (`sequence[0]` is its
    /// LSN, also for the events after it); a transactional one is an event of its transaction; content follows
    /// `binary.handling.mode`.
    @Test func logicalMessagesSequenceTransactionAndContent() throws {
        var p = processor {
            $0.provideTransactionMetadata = true
            $0.valueOptions.binaryMode = .hex
        }
        let loose = try p.process(.message(LogicalMessage(flags: 0, lsn: LSN(500), prefix: "pfx", content: Array("hi".utf8))),
                                  lsn: LSN(500), nowMicros: 0)
        let source = try #require(loose.first?.value.structValue?["source"]?.structValue)
        #expect(source["sequence"] == .string("[\"500\",\"500\"]"))
        #expect(loose.first?.value.structValue?["message"]?.structValue?["content"] == .string("6869"))
        #expect(loose.first?.valueSchema?.fields.map(\.name) == ["op", "ts_ms", "source", "transaction", "message"])
        let recs = try run(&p, [.message(LogicalMessage(flags: 1, lsn: LSN(901), prefix: "pfx", content: []))])
        let message = try #require(recs.first { $0.topic == "dbserver1.message" }?.value.structValue)
        #expect(message["source"]?.structValue?["sequence"] == .string("[\"500\",\"901\"]"))
        #expect(message["transaction"]?.structValue?["total_order"] == .int64(1))
        #expect(recs.last?.value.structValue?["event_count"] == .int64(1))
    }

    @Test func resumeSkipsDeliveredChanges() throws {
        // The stored offset says the first change (lsn 901) of transaction 1000 was delivered.
        let stored = PostgresOffset(lsn: LSN(901), lsnProc: LSN(901), lsnCommit: LSN(1000), txId: 700)
        var p = processor(resume: stored)
        let changes: [PgOutputMessage] = [
            .insert(InsertMessage(relationOID: 16384, newTuple: TupleData([t("1"), t("a"), t("1")]))),
            .insert(InsertMessage(relationOID: 16384, newTuple: TupleData([t("2"), t("b"), t("2")]))),
        ]
        let recs = try run(&p, commit: 1000, changes)
        #expect(recs.count == 1 && recs[0].sourceOffset["lsn_proc"] == .int(902))
        // An older transaction replayed by the server is skipped entirely; a newer one passes.
        var q = processor(resume: stored)
        #expect(try run(&q, commit: 900, changes).isEmpty)
        #expect(try run(&q, xid: 701, commit: 2000, changes).count == 2)
    }

    @Test func heartbeatShape() throws {
        var p = processor()
        _ = try run(&p, [.insert(InsertMessage(relationOID: 16384, newTuple: TupleData([t("1"), t("a"), t("1")])))])
        let hb = p.heartbeat(nowMillis: 1234)
        #expect(hb.topic == "__debezium-heartbeat.dbserver1")
        #expect(hb.keySchema?.name == "io.debezium.connector.common.ServerNameKey")
        #expect(hb.key.structValue?["serverName"] == .string("dbserver1"))
        #expect(hb.valueSchema?.name == "io.debezium.connector.common.Heartbeat")
        #expect(hb.value.structValue?["ts_ms"] == .int64(1234))
        #expect(hb.sourceOffset["lsn_proc"] == .int(901))
    }

    @Test func changeBeforeRelationIsAnError() {
        var p = processor()
        #expect(throws: ConnectError.self) {
            _ = try p.process(.insert(InsertMessage(relationOID: 1, newTuple: TupleData([]))), lsn: LSN(1), nowMicros: 0)
        }
    }

    @Test func topicSanitizing() {
        #expect(TopicNames.sanitize("srv.my schema.tåble$1") == "srv.my_schema.t_ble_1")
        #expect(TopicNames(prefix: "srv").heartbeat == "__debezium-heartbeat.srv")
        #expect(TopicNames(prefix: "srv").transaction == "srv.transaction")
    }
}
