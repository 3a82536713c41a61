import Foundation
import SQL
import SluiceAPI
import Testing
import TestSupport
@testable import CDC

@Suite struct PostgresRecoveryIntegrationTests {
    @Test func reconnectsAfterTheWalSenderIsKilledWithoutLossOrRepeats() throws {
        let f = try CDCFixture("reconnect")
        defer { f.dropSlot() }
        try f.sql.execute("CREATE TABLE t (id int PRIMARY KEY)")
        let task = try f.startTask(MemoryOffsets(), ["snapshot.mode": "no_data"])
        defer { task.stop() }
        try f.sql.execute("INSERT INTO t SELECT generate_series(1, 5)")
        var ids = try f.poll(task, until: 5).compactMap { $0.after?["id"]?.int64Value }
        try f.sql.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1", [.text(f.slot)])
        try f.sql.execute("INSERT INTO t SELECT generate_series(6, 10)")
        ids += try f.poll(task, until: 5, seconds: 30).compactMap { $0.after?["id"]?.int64Value }
        #expect(ids == Array(1...10))
    }

    @Test func logicalMessagesBecomeOpM() throws {
        let f = try CDCFixture("message")
        defer { f.dropSlot() }
        let task = try f.startTask(MemoryOffsets(), ["snapshot.mode": "no_data"])
        defer { task.stop() }
        try f.sql.execute("SELECT pg_logical_emit_message(true, 'audit', 'hello')")
        let recs = try f.poll(task, until: 1)
        #expect(recs.first?.topic == "srv.message")
        let v = recs.first?.value.structValue
        #expect(v?["op"] == .string("m"))
        #expect(v?["message"]?.structValue?["prefix"] == .string("audit"))
        #expect(v?["message"]?.structValue?["content"] == .bytes(Array("hello".utf8)))
    }

    @Test func snapshotUnderConcurrentWritesLosesNothing() throws {
        let f = try CDCFixture("concurrent")
        defer { f.dropSlot() }
        try f.sql.execute("CREATE TABLE t (id int PRIMARY KEY, v int)")
        try f.sql.execute("INSERT INTO t SELECT g, 0 FROM generate_series(1, 3000) g")
        let task = try f.startTask(MemoryOffsets(), ["max.batch.size": "100", "snapshot.fetch.size": "250"])
        defer { task.stop() }
        var state: [Int64: Int64] = [:]
        var snapshotRows = 0
        var written = 3000
        let deadline = Date().addingTimeInterval(40)
        while Date() < deadline {
            // Writes while the snapshot is being read: new rows and updates of rows already read and not yet read.
            for _ in 0..<10 where written < 3300 {
                written += 1
                try f.sql.execute("INSERT INTO t VALUES ($1, 1)", [.int(Int64(written))])
                try f.sql.execute("UPDATE t SET v = v + 1 WHERE id = $1", [.int(Int64(written - 2900))])
            }
            for r in try task.poll() {
                guard let a = r.after, let id = a["id"]?.int64Value, let v = a["v"]?.int64Value else { continue }
                if r.op == "r" { snapshotRows += 1 }
                state[id] = v
            }
            if written >= 3300, state.count == 3300, state[400] == 1 { break }
        }
        #expect(snapshotRows >= 3000)
        let expected = try f.sql.queryAll("SELECT id::bigint, v::bigint FROM t").rows
        #expect(state.count == expected.count)
        for row in expected { #expect(state[row[0].intValue!] == row[1].intValue, "row \(row[0])") }
    }
}
