import Foundation
import Kafka
import SQL
import SluiceAPI
import Synchronization
import Testing
import TestSupport
import WorkerTestSupport

/// `kill -9` of a `sluice standalone` process streaming a 200k-change load from PostgreSQL: after a restart every
/// change is on the topic at least once, and the slot never confirmed WAL whose changes were not yet persisted.
struct CDCCrashTests {
    static let transactions = 20
    static let rowsPerTransaction = 10_000
    static let rows = transactions / 2 * rowsPerTransaction  // 10 insert + 10 update transactions

    /// One observation: the slot's confirmed_flush_lsn, then (read after it) the persisted offset's `lsn_proc`.
    struct Sample { var flushed: UInt64; var persistedProc: UInt64? }

    static func persistedLSN(_ file: String) -> UInt64? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            guard let doc = try? JSONReader.parse(Array(line.utf8)), let v = doc["value"] else { continue }
            if let p = (v["lsn_proc"] ?? v["lsn"])?.int64Value { return UInt64(p) }
        }
        return nil
    }

    @Test func killNineDuringLoadLosesNoChangeAndNeverOverConfirmsTheSlot() async throws {
        let db = try await CDCIT.database("cdc_crash")
        try await CDCIT.exec(db, ["CREATE TABLE public.load (id integer PRIMARY KEY, v smallint NOT NULL)"])
        let dir = try TemporaryDirectory(prefix: "sluice-cdc-crash")
        // 64 partitions: the broker keeps 5 MiB per partition, and the re-streamed duplicates after the crash must not push
        // the first changes out (16 partitions were too few when a slow machine re-streams most of the load).
        let (broker, bootstrap) = try ProcessHarness.startBroker(topics: ["crash.public.load:64"])
        defer { broker.terminate(); broker.waitUntilExit() }
        let port = TestSupport.freePort()
        let offsets = dir.file("connect.offsets")
        try """
        bootstrap.servers=\(bootstrap)
        key.converter=org.apache.kafka.connect.json.JsonConverter
        key.converter.schemas.enable=false
        value.converter=org.apache.kafka.connect.json.JsonConverter
        value.converter.schemas.enable=false
        producer.compression.type=lz4
        offset.storage.file.filename=\(offsets)
        offset.flush.interval.ms=300
        listeners=http://127.0.0.1:\(port)
        """.write(toFile: dir.file("worker.properties"), atomically: true, encoding: .utf8)
        let slot = "slot_\(db.dbname)"
        try """
        name=cdc-crash
        connector.class=io.debezium.connector.postgresql.PostgresConnector
        database.hostname=\(db.host)
        database.port=\(db.port)
        database.user=postgres
        database.dbname=\(db.dbname)
        topic.prefix=crash
        plugin.name=pgoutput
        slot.name=\(slot)
        publication.name=pub_\(db.dbname)
        publication.autocreate.mode=filtered
        table.include.list=public.load
        status.update.interval.ms=200
        tombstones.on.delete=false
        """.write(toFile: dir.file("cdc.properties"), atomically: true, encoding: .utf8)
        let args = [dir.file("worker.properties"), dir.file("cdc.properties")]
        let base = "http://127.0.0.1:\(port)"

        var worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        try await waitUntil(timeout: 60, "the slot exists") { try await CDCIT.confirmedFlush(db, slot: slot) != nil }

        // Sample the slot and the persisted offset until the test ends.
        let samples = Mutex<[Sample]>([])
        let sampling = Mutex(true)
        let sampler = Task.detached {
            while sampling.withLock({ $0 }) {
                if let f = try? await CDCIT.confirmedFlush(db, slot: slot) {
                    let s = Sample(flushed: f, persistedProc: Self.persistedLSN(offsets))
                    samples.withLock { $0.append(s) }
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        // Each transaction's WAL window [before, after commit]: its events and its commit record lie inside it.
        let load = Task.detached { () -> [(UInt64, UInt64)] in
            let c = try db.connect()
            defer { c.close() }
            func wal() throws -> UInt64 {
                UInt64(try c.queryScalar("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")?.intValue ?? 0)
            }
            var windows: [(UInt64, UInt64)] = []
            for t in 0..<Self.transactions {
                let lo = Int64((t % (Self.transactions / 2)) * Self.rowsPerTransaction + 1), hi = lo + Int64(Self.rowsPerTransaction) - 1
                let before = try wal()
                if t < Self.transactions / 2 {
                    try c.execute("INSERT INTO public.load SELECT g, 0 FROM generate_series($1::int, $2::int) g", [.int(lo), .int(hi)])
                } else {
                    try c.execute("UPDATE public.load SET v = 1 WHERE id BETWEEN $1 AND $2", [.int(lo), .int(hi)])
                }
                windows.append((before, try wal()))
            }
            return windows
        }
        var atKill = 0.0
        try await waitUntil(timeout: 90, "the worker streamed part of the load") {
            atKill = await CDCIT.metric(base, "sluice_source_records_written_total") ?? 0
            return atKill >= 30_000
        }
        ProcessHarness.kill9(worker)
        let written = await CDCIT.metric(base, "sluice_source_records_written_total")
        #expect(written == nil, "the worker must be dead")
        #expect(atKill < Double(2 * Self.rows), "the worker must be killed mid-stream (\(atKill) records written)")
        let windows = try await load.value
        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        defer { worker.terminate(); worker.waitUntilExit() }

        // Every change at least once: a create and an update (v=1) per id.
        var created = Set<Int64>(), updated = Set<Int64>()
        var lsns: [UInt64] = []
        // Each read asks for more than the topic holds (duplicates after the crash are fine), so it reads for its whole
        // timeout: long enough to copy 200k+ records out of the broker in a debug build on a slow shared machine.
        try await waitUntil(timeout: 240, "every change on the topic") {
            let messages = try await CDCIT.readTopic(bootstrap, "crash.public.load", count: 2 * Self.rows + 60_000, timeoutMs: 30_000)
            created.removeAll(keepingCapacity: true)
            updated.removeAll(keepingCapacity: true)
            lsns.removeAll(keepingCapacity: true)
            for m in messages {
                guard let v = CDCIT.json(m.value), let id = v["after"]?["id"]?.int64Value else { continue }
                switch v["op"]?.stringValue {
                case "c": created.insert(id)
                case "u" where v["after"]?["v"]?.int64Value == 1: updated.insert(id)
                default: break
                }
                if let l = v["source"]?["lsn"]?.int64Value { lsns.append(UInt64(l)) }
            }
            return created.count == Self.rows && updated.count == Self.rows
        }
        #expect(created.count == Self.rows)
        #expect(updated.count == Self.rows)
        sampling.withLock { $0 = false }
        await sampler.value

        // The slot never confirmed a transaction whose events were not all persisted: whenever the confirmed flush
        // LSN was past a transaction's commit (the end of its WAL window), the offset read just after it was at or
        // past that transaction's last event. (Confirming past WAL of a transaction still open is safe: PostgreSQL
        // resends every transaction whose commit LSN is above confirmed_flush_lsn.)
        let sorted = Array(Set(lsns)).sorted()
        let lastEvent = windows.map { w in sorted.last { $0 >= w.0 && $0 <= w.1 } }
        #expect(lastEvent.allSatisfy { $0 != nil }, "every transaction's events are on the topic")
        let all = samples.withLock { $0 }
        #expect(all.count > 20, "samples: \(all.count)")
        var moved = Set<UInt64>()
        var violation: String?
        for s in all {
            moved.insert(s.flushed)
            for (k, w) in windows.enumerated() where w.1 <= s.flushed {
                if let last = lastEvent[k], last > (s.persistedProc ?? 0), violation == nil {
                    violation = "slot confirmed \(s.flushed) (past transaction \(k)'s commit, window \(w)) while its event at \(last) was not persisted (offset lsn_proc \(s.persistedProc.map(String.init) ?? "none"))"
                }
            }
        }
        if let violation { Issue.record("\(violation)") }
        // Once everything is persisted the restarted worker confirms the whole load.
        let lastLSN = lastEvent.compactMap { $0 }.max() ?? 0
        try await waitUntil(timeout: 30, "confirmed_flush_lsn passes the last change \(lastLSN)") {
            (try await CDCIT.confirmedFlush(db, slot: slot) ?? 0) > lastLSN
        }
        #expect(moved.count >= 2, "the slot advanced during the run")
        sampling.withLock { $0 = false }
        worker.terminate()
        worker.waitUntilExit()
        await CDCIT.dropSlot(db, slot)
    }
}
