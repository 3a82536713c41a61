import Foundation
import JDBCSource
import Logging
import SQL
import SluiceAPI
import Synchronization
import TestSupport

/// The runtime's offset store, in memory: records' offsets are "committed" by feeding them back.
final class MemoryOffsets: OffsetStorageReader, @unchecked Sendable {
    private let state = Mutex<[[String: JSONValue]: [String: JSONValue]]>([:])
    func offset(_ partition: [String: JSONValue]) -> [String: JSONValue]? { state.withLock { $0[partition] } }
    /// Commits the offsets of `records` in order (the last one per partition wins), as the runtime does after Kafka
    /// acknowledged them.
    func commit(_ records: [SourceRecord]) {
        state.withLock { s in for r in records { s[r.sourcePartition] = r.sourceOffset } }
    }
    var all: [[String: JSONValue]: [String: JSONValue]] { state.withLock { $0 } }
}

final class SourceTestContext: SourceTaskContext, @unchecked Sendable {
    let configs: [String: String]
    let offsets: MemoryOffsets
    init(configs: [String: String], offsets: MemoryOffsets) {
        self.configs = configs
        self.offsets = offsets
    }
    var offsetStorageReader: any OffsetStorageReader { offsets }
    var errantRecordReporter: (any ErrantRecordReporter)? { nil }
    var logger: Logger { Logger(label: "jdbc-source-test") }
}

/// Counts the connector's reconfiguration requests.
final class ConnectorTestContext: ConnectorContext, @unchecked Sendable {
    private let requests = Atomic<Int>(0)
    func requestTaskReconfiguration() { requests.add(1, ordering: .relaxed) }
    func raiseError(_ error: any Error) {}
    var offsetStorageReader: (any OffsetStorageReader)? { nil }
    var logger: Logger { Logger(label: "jdbc-source-connector-test") }
    var reconfigurations: Int { requests.load(ordering: .relaxed) }
}

/// The three databases every source test runs against.
enum SourceDB: String, CaseIterable, Sendable, CustomStringConvertible {
    case postgres, mariadb, sqlite
    var description: String { rawValue }

    /// A fresh database: its URL, plus an owner keeping a SQLite temp dir alive.
    func create(_ prefix: String) throws -> (url: String, keepAlive: AnyObject?) {
        switch self {
        case .postgres: return (try PostgresServer.shared().createDatabase(prefix: prefix).url, nil)
        case .mariadb: return (try MariaDBServer.shared().createDatabase(prefix: prefix).url, nil)
        case .sqlite:
            let dir = try TemporaryDirectory(prefix: "source-\(prefix)")
            return ("jdbc:sqlite:" + dir.file("db.sqlite"), dir)
        }
    }

    /// The schema part of partitions and qualified names: PostgreSQL `public`, MariaDB the database, SQLite none.
    func qualified(_ table: String, url: String) -> String {
        switch self {
        case .postgres: return "public." + table
        case .mariadb: return String(url.split(separator: "/").last!.split(separator: "?").first!) + "." + table
        case .sqlite: return table
        }
    }

    /// `CREATE TABLE <name> (id auto-increment PK, name text NOT NULL, updated_at timestamp(3) NOT NULL)`.
    func createItems(_ name: String) -> String {
        switch self {
        case .postgres: return "CREATE TABLE \"\(name)\" (id SERIAL PRIMARY KEY, name TEXT NOT NULL, updated_at TIMESTAMP(3) NOT NULL)"
        case .mariadb: return "CREATE TABLE `\(name)` (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL, updated_at DATETIME(3) NOT NULL)"
        case .sqlite: return "CREATE TABLE \"\(name)\" (id INTEGER PRIMARY KEY, name TEXT NOT NULL, updated_at TIMESTAMP NOT NULL)"
        }
    }
}

/// 2024-01-01T00:00:00Z plus `seconds`, in epoch microseconds (what `SQLValue.timestamp` binds).
func ts(_ seconds: Int64) -> Int64 { 1_704_067_200_000_000 + seconds * 1_000_000 }

/// A connector + one task driven directly, as the runtime would (start, poll, commit offsets, restart).
final class SourceRun {
    let props: [String: String]
    let offsets: MemoryOffsets
    let task: JDBCSourceTask

    init(_ props: [String: String], offsets: MemoryOffsets = MemoryOffsets(), taskIndex: Int = 0) throws {
        self.props = props
        self.offsets = offsets
        let connector = JdbcSourceConnector()
        connector.initialize(context: ConnectorTestContext())
        try connector.start(props)
        let configs = try connector.taskConfigs(maxTasks: 1)
        connector.stop()
        task = JDBCSourceTask()
        task.initialize(context: SourceTestContext(configs: configs[taskIndex], offsets: offsets))
        try task.start(configs[taskIndex])
    }

    /// Polls until a poll returns nothing, committing each batch's offsets; returns everything read.
    @discardableResult
    func drain(maxPolls: Int = 10_000) throws -> [SourceRecord] {
        var out: [SourceRecord] = []
        for _ in 0..<maxPolls {
            let batch = try task.poll()
            if batch.isEmpty { break }
            offsets.commit(batch)
            out.append(contentsOf: batch)
        }
        return out
    }

    func stop() { task.stop() }
}

extension SourceRecord {
    /// The value struct's field, for assertions.
    subscript(field: String) -> Value? { value.structValue?[field] }
    var id: Int64? { self["id"]?.int64Value }
}

/// Base properties of a table-mode source over `url`.
func sourceProps(_ url: String, mode: String, tables: [String], extra: [String: String] = [:]) -> [String: String] {
    var p = [
        "connector.class": "io.confluent.connect.jdbc.JdbcSourceConnector", "connection.url": url, "mode": mode,
        "table.whitelist": tables.joined(separator: ","), "topic.prefix": "src-", "poll.interval.ms": "50",
        "connection.backoff.ms": "100", "table.poll.interval.ms": "0",
    ]
    for (k, v) in extra { p[k] = v }
    return p
}

/// Runs a SQL script (fixtures): whole for PostgreSQL and SQLite, statement by statement for MariaDB.
func runScript(_ path: String, on c: any DatabaseConnection) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    if c.url.kind != .mysql {
        try c.execute(text)
        return
    }
    for stmt in text.components(separatedBy: ";\n") {
        let body = stmt.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
            .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if !body.isEmpty { try c.execute(body) }
    }
}

/// The repository's `sql/` directory (test files may be symlinked into a dev package).
func repoSQLDirectory() -> String {
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sql").path
}
