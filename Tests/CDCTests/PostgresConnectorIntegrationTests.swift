import Foundation
import SQL
import SluiceAPI
import Testing
import TestSupport
@testable import CDC

/// The task against a real PostgreSQL 15 (wal_level=logical), called as the runtime would.
@Suite struct PostgresConnectorIntegrationTests {
    @Test func snapshotThenStreamInsertUpdateDeleteTruncate() throws {
        let f = try CDCFixture("stream")
        defer { f.dropSlot() }
        try f.sql.execute("CREATE TABLE orders (id int PRIMARY KEY, note text, amount numeric(10,2), at timestamptz)")
        try f.sql.execute("INSERT INTO orders VALUES (1, 'one', 1.50, '2024-01-15 10:30:00+01'), (2, 'two', 2.00, NULL)")
        let offsets = MemoryOffsets()
        let task = try f.startTask(offsets, ["skipped.operations": "none"])
        defer { task.stop() }

        let snap = try f.poll(task, until: 2)
        #expect(snap.map(\.op) == ["r", "r"])
        #expect(snap.map { $0.value.structValue?["source"]?.structValue?["snapshot"] } == [.string("first"), .string("last")])
        #expect(snap[0].after?["at"] == .string("2024-01-15T09:30:00.000000Z"))
        #expect(snap[0].after?["amount"] == .decimal(ConnectDecimal(unscaled: 150, scale: 2)))
        #expect(snap[1].sourceOffset["last_snapshot_record"] == .bool(true))
        // Like Debezium, snapshot reads carry the snapshot transaction's id (the same for all of them).
        let snapTx = snap.map { $0.value.structValue?["source"]?.structValue?["txId"]?.int64Value }
        #expect(snapTx[0] != nil && snapTx[0] == snapTx[1] && snap[0].sourceOffset["txId"]?.int64Value == snapTx[0])

        try f.sql.execute("INSERT INTO orders VALUES (3, 'three', 3.25, NULL)")
        try f.sql.execute("UPDATE orders SET note = 'uno' WHERE id = 1")
        try f.sql.execute("DELETE FROM orders WHERE id = 2")
        try f.sql.execute("TRUNCATE orders")
        let recs = try f.poll(task, until: 5)
        #expect(recs.map(\.op) == ["c", "u", "d", nil, "t"])
        #expect(recs[0].topic == "srv.public.orders")
        #expect(recs[0].after?["id"] == .int32(3) && recs[0].after?["note"] == .string("three"))
        #expect(recs[1].after?["note"] == .string("uno") && recs[1].before == nil)
        #expect(recs[2].before?["id"] == .int32(2))
        #expect(recs[3].value == .null && recs[3].key == recs[2].key)
        let source = recs[0].value.structValue?["source"]?.structValue
        #expect(source?["db"] == .string(f.db.dbname) && source?["snapshot"] == .string("false"))
        #expect(source?["lsn"]?.int64Value == recs[0].sourceOffset["lsn"]?.int64Value)
    }

    @Test func slotAdvancesOnlyAfterCommitAndResumeAfterRestart() throws {
        let f = try CDCFixture("resume")
        defer { f.dropSlot() }
        try f.sql.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        let offsets = MemoryOffsets()
        var task = try f.startTask(offsets, ["snapshot.mode": "no_data"])
        let startFlush = try #require(try f.confirmedFlush())
        for i in 1...3 { try f.sql.execute("INSERT INTO t VALUES ($1, 'a')", [.int(Int64(i))]) }
        let first = try f.poll(task, until: 3)
        #expect(first.count == 3)
        // Nothing was committed by the runtime: polling on may move the slot over other databases' WAL (the server
        // is shared) but never past the first uncommitted change.
        _ = try task.poll()
        _ = try task.poll()
        let firstCommit = LSN(UInt64(first[0].sourceOffset["lsn_commit"]!.int64Value!))
        #expect(try f.confirmedFlush()! <= firstCommit)

        // The runtime persists the first two records' offsets and calls commit().
        offsets.persist(first[1])
        try task.commit()
        let deadline = Date().addingTimeInterval(10)
        var moved = startFlush
        while Date() < deadline {
            _ = try task.poll()
            moved = try f.confirmedFlush() ?? startFlush
            if moved > startFlush { break }
        }
        let secondLSN = LSN(UInt64(first[1].sourceOffset["lsn_commit"]!.int64Value!))
        #expect(moved > startFlush)
        #expect(moved > firstCommit)
        #expect(moved <= LSN(UInt64(first[2].sourceOffset["lsn_commit"]!.int64Value!)))  // third row not yet durable
        #expect(moved >= secondLSN)
        task.stop()

        // Restart: the third row (not persisted) comes again, the first two do not, and new rows follow.
        try f.sql.execute("INSERT INTO t VALUES (4, 'b')")
        task = try f.startTask(offsets, ["snapshot.mode": "no_data"])
        defer { task.stop() }
        let again = try f.poll(task, until: 2)
        #expect(again.compactMap { $0.after?["id"] } == [.int32(3), .int32(4)])
    }

    @Test func idleDatabaseAdvancesSlotWithHeartbeats() throws {
        let f = try CDCFixture("idle")
        defer { f.dropSlot() }
        try f.sql.execute("CREATE TABLE captured (id int PRIMARY KEY)")
        try f.sql.execute("CREATE TABLE ignored (id int PRIMARY KEY)")
        let offsets = MemoryOffsets()
        let task = try f.startTask(offsets, ["snapshot.mode": "no_data", "table.include.list": "public\\.captured",
                                             "heartbeat.interval.ms": "100"])
        defer { task.stop() }
        let before = try #require(try f.confirmedFlush())
        // Only filtered-out changes: WAL grows, no records for our tables.
        for i in 1...20 { try f.sql.execute("INSERT INTO ignored VALUES ($1)", [.int(Int64(i))]) }
        let walAfterWrites = try f.currentWAL()
        var heartbeats = 0
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let recs = try task.poll()
            #expect(recs.allSatisfy { $0.topic == "__debezium-heartbeat.srv" })
            heartbeats += recs.count
            for r in recs { offsets.persist(r) }
            try task.commit()
            if let now = try f.confirmedFlush(), now >= walAfterWrites, heartbeats > 0 { break }
        }
        #expect(heartbeats > 0)
        #expect(try f.confirmedFlush()! > before)
        #expect(try f.confirmedFlush()! >= walAfterWrites)
    }
}
