import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kafka
import SQL
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// Helpers for the CDC end-to-end tests: databases and slots on the shared PostgreSQL server, topic reads off the
/// cooperative pool, Debezium JSON masking and golden fixtures read relative to this file (no bundle resources).
enum CDCIT {
    /// The shared PostgreSQL test server (`wal_level=logical`), started from a plain thread: `Process.waitUntilExit`
    /// hangs when called on the Swift concurrency pool inside the test runner.
    static func postgres() async throws -> PostgresServer {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<PostgresServer, any Error>) in
            Thread.detachNewThread { c.resume(with: Result { try PostgresServer.shared() }) }
        }
    }

    static func mariadb() async throws -> MariaDBServer {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<MariaDBServer, any Error>) in
            Thread.detachNewThread { c.resume(with: Result { try MariaDBServer.shared() }) }
        }
    }

    /// A fresh database on the shared PostgreSQL server.
    static func database(_ prefix: String) async throws -> TestDatabase {
        let pg = try await postgres()
        return try await Task.detached { try pg.createDatabase(prefix: prefix) }.value
    }

    /// Runs statements on a plain thread (libpq blocks).
    static func exec(_ db: TestDatabase, _ statements: [String]) async throws {
        try await Task.detached {
            let c = try db.connect()
            defer { c.close() }
            for s in statements { try c.execute(s) }
        }.value
    }

    /// Every row of a query as text (`NULL` for nulls); cast columns to text in the query.
    static func rows(_ db: TestDatabase, _ sql: String, _ params: [SQLValue] = []) async throws -> [[String]] {
        try await Task.detached {
            let c = try db.connect()
            defer { c.close() }
            return try c.queryAll(sql, params).rows.map { $0.map { $0.textValue ?? ($0.isNull ? "NULL" : $0.description) } }
        }.value
    }

    /// `confirmed_flush_lsn` of a slot as a number (nil while the slot does not exist).
    static func confirmedFlush(_ db: TestDatabase, slot: String) async throws -> UInt64? {
        let r = try await rows(db, "SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint::text FROM pg_replication_slots WHERE slot_name = $1", [.text(slot)])
        return r.first?.first.flatMap { UInt64($0) }
    }

    /// `pg_current_wal_insert_lsn()` as a number: the test server runs with synchronous_commit=off, so the write
    /// position (`pg_current_wal_lsn`) may not yet include a transaction that just committed.
    static func currentWAL(_ db: TestDatabase) async throws -> UInt64 {
        let r = try await rows(db, "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint::text")
        return r.first?.first.flatMap { UInt64($0) } ?? 0
    }

    /// Drops a slot once no walsender holds it (the worker may still be closing its replication connection).
    static func dropSlot(_ db: TestDatabase, _ slot: String) async {
        for _ in 0..<50 {
            let dropped = try? await rows(db, "SELECT pg_drop_replication_slot(slot_name)::text FROM pg_replication_slots WHERE slot_name = $1", [.text(slot)])
            if dropped != nil { return }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Reads up to `count` records of `topic` from the beginning on a plain thread (librdkafka blocks).
    static func readTopic(_ bootstrap: String, _ topic: String, count: Int, timeoutMs: Int = 30_000) async throws -> [KafkaMessage] {
        try await Task.detached { try TopicReader.read(bootstrapServers: bootstrap, topic: topic, count: count, timeoutMs: timeoutMs) }.value
    }

    /// Reads `topic` until `count` records arrived, re-reading from the start (records may still be in flight).
    static func waitForRecords(_ bootstrap: String, _ topic: String, count: Int, timeout: Double = 60) async throws -> [KafkaMessage] {
        var last: [KafkaMessage] = []
        try await waitUntil(timeout: timeout, "\(count) records on \(topic)") {
            last = try await readTopic(bootstrap, topic, count: count, timeoutMs: 3_000)
            return last.count >= count
        }
        return last
    }

    static func json(_ bytes: [UInt8]?) -> JSONValue? {
        guard let bytes else { return nil }
        return try? JSONReader.parse(bytes)
    }

    /// Replaces the values that change from run to run (processing and commit times, transaction ids, LSNs) with
    /// `"<masked>"`, in both the schema-enabled envelope (`payload`) and the schemaless form. Nulls stay null, so a
    /// missing value still fails the comparison.
    static func mask(_ v: JSONValue, database: String) -> JSONValue {
        guard case .object(var o) = v else { return v }
        if case .object(var payload)? = o["payload"], o["schema"] != nil {
            payload = maskEnvelope(payload, database: database)
            o["payload"] = .object(payload)
            return .object(o)
        }
        return .object(maskEnvelope(o, database: database))
    }

    /// Also replaces `source.db` (each test has its own randomly named database) with `"<db>"`.
    static func maskEnvelope(_ e: JSONObject, database: String) -> JSONObject {
        var e = e
        for k in ["ts_ms", "ts_us", "ts_ns"] where e[k] != nil && e[k] != .null { e[k] = .string("<masked>") }
        if case .object(var s)? = e["source"] {
            for k in ["ts_ms", "ts_us", "ts_ns", "txId", "lsn", "sequence", "xmin"] where s[k] != nil && s[k] != .null {
                s[k] = .string("<masked>")
            }
            if s["db"] == .string(database) { s["db"] = .string("<db>") }
            e["source"] = .object(s)
        }
        return e
    }

    /// The folder of the checked-in golden files, found from this source file (no `Bundle.module` needed).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cdc")

    static func fixture(_ name: String) throws -> JSONValue {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try JSONReader.parse([UInt8](data))
    }

    /// Sum of every sample of a Prometheus counter on `/metrics`.
    static func metric(_ base: String, _ name: String) async -> Double? {
        var req = URLRequest(url: URL(string: base + "/metrics")!)
        req.timeoutInterval = 10
        guard let (data, resp) = try? await URLSession.shared.data(for: req), (resp as? HTTPURLResponse)?.statusCode == 200 else { return nil }
        var sum = 0.0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            guard rest.first == "{" || rest.first == " " else { continue }
            if let v = line.split(separator: " ").last.flatMap({ Double($0) }) { sum += v }
        }
        return sum
    }
}

/// A counter shared between a writer task and the test (progress of background writes).
final class CDCCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    var value: Int { lock.withLock { current } }
    func set(_ v: Int) { lock.withLock { current = v } }
}
