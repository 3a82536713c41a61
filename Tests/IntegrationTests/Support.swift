import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import JDBCSink
import Kafka
import Plugins
import SQL
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// Helpers shared by the end-to-end tests: plain HTTP against child-process workers, topic reads off the
/// cooperative pool, Prometheus counters, and the plugin bundle including the JDBC sink.
enum IT {
    /// Every built-in plugin plus the JDBC sink, without duplicates once the lead lists the sink in `BuiltinPlugins`.
    static let plugins: [PluginDescriptor] = {
        let builtin = BuiltinPlugins.all
        return builtin + JDBCSinkPlugins.all.filter { p in !builtin.contains { $0.className == p.className } }
    }()

    /// The shared PostgreSQL test server, started from a plain thread: `Process.waitUntilExit` (used by its start-up)
    /// was seen to hang forever when called on the Swift concurrency pool inside the test runner.
    static func postgres() async throws -> PostgresServer {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<PostgresServer, any Error>) in
            Thread.detachNewThread { c.resume(with: Result { try PostgresServer.shared() }) }
        }
    }

    /// A fresh database on the shared PostgreSQL test server.
    static func postgresDatabase(_ prefix: String) async throws -> TestDatabase {
        let pg = try await postgres()
        return try await Task.detached { try pg.createDatabase(prefix: prefix) }.value
    }

    /// GET `url`; nil when the server does not answer (a worker that is starting or was killed).
    static func get(_ url: String) async -> (status: Int, body: String)? {
        var req = URLRequest(url: URL(string: url)!)
        req.timeoutInterval = 10
        guard let (data, resp) = try? await URLSession.shared.data(for: req), let http = resp as? HTTPURLResponse else { return nil }
        return (http.statusCode, String(decoding: data, as: UTF8.self))
    }

    /// Sum of every sample of a Prometheus counter on `/metrics` (all connectors and tasks), nil when unreachable.
    static func metric(_ base: String, _ name: String) async -> Double? {
        guard let r = await get(base + "/metrics"), r.status == 200 else { return nil }
        var sum = 0.0
        for line in r.body.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            guard rest.first == "{" || rest.first == " " else { continue }
            if let v = line.split(separator: " ").last.flatMap({ Double($0) }) { sum += v }
        }
        return sum
    }

    /// Reads up to `count` records of `topic` from the beginning on a plain thread (librdkafka blocks).
    static func readTopic(_ bootstrap: String, _ topic: String, count: Int, timeoutMs: Int = 30_000) async throws -> [KafkaMessage] {
        try await Task.detached { try TopicReader.read(bootstrapServers: bootstrap, topic: topic, count: count, timeoutMs: timeoutMs) }.value
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func mkdirs(_ paths: String...) throws {
        for p in paths { try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true) }
    }

    static func files(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// A Java-style `.properties` file from a dictionary (values here never need escaping beyond backslashes).
    static func properties(_ props: [String: String]) -> String {
        props.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.replacingOccurrences(of: "\\", with: "\\\\"))" }
            .joined(separator: "\n") + "\n"
    }

    /// Runs one SQL query and returns every row as text (`NULL` for nulls); cast columns to text in the query.
    static func rows(_ db: TestDatabase, _ sql: String) throws -> [[String]] {
        let c = try db.connect()
        defer { c.close() }
        return try c.queryAll(sql).rows.map { $0.map { $0.textValue ?? ($0.isNull ? "NULL" : $0.description) } }
    }

    /// The first column of the first row as an integer (counts).
    static func scalar(_ db: TestDatabase, _ sql: String) throws -> Int64? {
        let c = try db.connect()
        defer { c.close() }
        return try c.queryScalar(sql)?.intValue
    }
}
