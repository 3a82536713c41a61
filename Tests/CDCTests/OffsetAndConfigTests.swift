import SluiceAPI
import Testing
@testable import CDC

@Suite struct OffsetAndConfigTests {
    @Test func offsetRoundTrip() {
        let o = PostgresOffset(lsn: LSN(5), lsnProc: LSN(5), lsnCommit: LSN(9), txId: 3, timestampMicros: 77, messageType: "INSERT")
        #expect(o.json == ["lsn": .int(5), "lsn_proc": .int(5), "lsn_commit": .int(9), "txId": .int(3), "ts_usec": .int(77),
                           "messageType": .string("INSERT")])
        #expect(PostgresOffset(json: o.json) == o)
        #expect(o.position == StreamPosition(commitLSN: LSN(9), eventLSN: LSN(5)))
        let snap = PostgresOffset(lsn: LSN(5), snapshot: true, lastSnapshotRecord: false)
        #expect(snap.json["snapshot"] == .bool(true) && snap.json["last_snapshot_record"] == .bool(false))
        #expect(PostgresOffset(json: snap.json).isIncompleteSnapshot)
        // Debezium writes these keys too; a Debezium offset is read.
        let dbz: [String: JSONValue] = ["lsn_proc": .int(24_023_440), "lsn": .int(24_023_440), "txId": .int(555), "ts_usec": .int(1),
                                        "lsn_commit": .int(24_023_128), "messageType": .string("INSERT"), "transaction_id": .null]
        #expect(PostgresOffset(json: dbz).position == StreamPosition(commitLSN: LSN(24_023_128), eventLSN: LSN(24_023_440)))
    }

    @Test func configDefaults() throws {
        let c = try PostgresConnectorConfig(["topic.prefix": "srv", "database.hostname": "h", "database.dbname": "db"])
        #expect(c.slotName == "debezium" && c.publicationName == "dbz_publication" && c.autocreateMode == "all_tables")
        #expect(c.snapshotMode == "initial")
        #expect(c.parsed.int("database.port") == 5432 && c.parsed.int("snapshot.fetch.size") == 10240)
        #expect(c.parsed.int("max.batch.size") == 2048 && c.parsed.int("max.queue.size") == 8192)
        #expect(c.parsed.int("status.update.interval.ms") == 10000 && c.parsed.int("heartbeat.interval.ms") == 0)
        #expect(c.parsed.int("incremental.snapshot.chunk.size") == 1024)
        #expect(c.streamSettings.skippedOperations == ["t"] && c.streamSettings.tombstonesOnDelete)
        #expect(c.valueOptions == ValueConverterOptions())
        let keys = Set(PostgresConnectorConfig.definition.keys.map(\.name))
        for k in ["database.password", "plugin.name", "slot.drop.on.stop", "column.exclude.list", "message.key.columns",
                  "binary.handling.mode", "hstore.handling.mode", "interval.handling.mode", "provide.transaction.metadata",
                  "poll.interval.ms", "heartbeat.action.query", "signal.data.collection", "include.unknown.datatypes"] {
            #expect(keys.contains(k), "missing \(k)")
        }
    }

    @Test func configValidation() {
        #expect(throws: ConnectError.self) { try PostgresConnectorConfig([:]) }  // topic.prefix required
        #expect(throws: ConnectError.self) { try PostgresConnectorConfig(["topic.prefix": "s", "snapshot.mode": "sometimes"]) }
        #expect(throws: ConnectError.self) { try PostgresConnectorConfig(["topic.prefix": "s", "table.include.list": "a("]) }
        #expect((try? PostgresConnectorConfig(["topic.prefix": "s", "snapshot.mode": "never"]))?.snapshotMode == "no_data")
        let c = try? PostgresConnectorConfig(["topic.prefix": "s", "decimal.handling.mode": "string", "skipped.operations": "none"])
        #expect(c?.valueOptions.decimalMode == .string && c?.streamSettings.skippedOperations.isEmpty == true)
    }

    @Test func filters() {
        let f = TableFilter(schemaExclude: ["audit"], tableExclude: ["public\\.tmp_.*"], columnExclude: ["public\\.users\\.password"])
        #expect(f.includesTable(TableId(schema: "public", table: "users")))
        #expect(!f.includesTable(TableId(schema: "public", table: "tmp_1")))
        #expect(!f.includesTable(TableId(schema: "audit", table: "log")))
        #expect(!f.includesTable(TableId(schema: "pg_catalog", table: "pg_class")))
        #expect(!f.includesColumn(TableId(schema: "public", table: "users"), "password"))
        #expect(f.includesColumn(TableId(schema: "public", table: "users"), "name"))
        let inc = TableFilter(tableInclude: ["public\\.orders"])
        #expect(inc.includesTable(TableId(schema: "public", table: "orders")))
        #expect(!inc.includesTable(TableId(schema: "public", table: "orders2")))  // anchored
        #expect(TableFilter.keyColumns("public\\.t1:a,b;public\\.t2:c", for: TableId(schema: "public", table: "t2")) == ["c"])
        #expect(TableFilter.keyColumns("public\\.t1:a,b", for: TableId(schema: "public", table: "t2")) == nil)
    }
}
