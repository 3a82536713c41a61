import Foundation
import JDBCSink
import Logging
import SQL
import SluiceAPI
import Synchronization
import TestSupport

/// Collects what the sink reports as errant, as the runtime's dead letter queue would receive it.
final class CollectingReporter: ErrantRecordReporter, @unchecked Sendable {
    private let state = Mutex<[(SinkRecord, String)]>([])
    func report(_ record: any ConnectRecord, error: any Error) throws {
        guard let r = record as? SinkRecord else { return }
        state.withLock { $0.append((r, "\(error)")) }
    }
    var reports: [(SinkRecord, String)] { state.withLock { $0 } }
}

/// A minimal `SinkTaskContext`: records the timeouts the task asks for.
final class SinkTestContext: SinkTaskContext, @unchecked Sendable {
    let configs: [String: String]
    let reporter = CollectingReporter()
    private let timeouts = Mutex<[Int64]>([])
    init(configs: [String: String]) { self.configs = configs }
    var assignment: [TopicPartition] { [] }
    func offset(_ partition: TopicPartition, _ offset: Int64) {}
    func timeout(_ ms: Int64) { timeouts.withLock { $0.append(ms) } }
    var requestedTimeouts: [Int64] { timeouts.withLock { $0 } }
    func requestCommit() {}
    var errantRecordReporter: (any ErrantRecordReporter)? { reporter }
    var logger: Logger { Logger(label: "jdbc-sink-test") }
}

/// The three databases every dialect test runs against.
enum SinkDB: String, CaseIterable, Sendable, CustomStringConvertible {
    case postgres, mariadb, sqlite
    var description: String { rawValue }

    /// A fresh database for one test: its URL, plus an owner keeping a temp dir alive for SQLite.
    func create(_ prefix: String) throws -> (url: String, keepAlive: AnyObject?) {
        switch self {
        case .postgres: return (try PostgresServer.shared().createDatabase(prefix: prefix).url, nil)
        case .mariadb: return (try MariaDBServer.shared().createDatabase(prefix: prefix).url, nil)
        case .sqlite:
            let dir = try TemporaryDirectory(prefix: "sink-\(prefix)")
            return ("jdbc:sqlite:" + dir.file("db.sqlite"), dir)
        }
    }
}

/// A started sink task driven directly, as the runtime would.
struct SinkUnderTest {
    let task: any SinkTask
    let context: SinkTestContext

    static func start(_ props: [String: String]) throws -> SinkUnderTest {
        let connector = JdbcSinkConnector()
        try connector.start(props)
        let taskProps = try connector.taskConfigs(maxTasks: 1)[0]
        let context = SinkTestContext(configs: taskProps)
        let task = connector.makeTask()
        task.initialize(context: context)
        try task.start(taskProps)
        return SinkUnderTest(task: task, context: context)
    }

    func put(_ records: [SinkRecord]) throws { try task.put(records) }
}

/// Builds sink records with increasing offsets.
func sinkRecord(_ topic: String, key: Value = .null, keySchema: Schema? = nil, _ value: Value, _ schema: Schema?,
    offset: Int64, partition: Int32 = 0) -> SinkRecord
{
    SinkRecord(topic: topic, partition: partition, keySchema: keySchema, key: key, valueSchema: schema, value: value,
        kafkaOffset: offset)
}

func sinkStruct(_ schema: Schema, _ values: [String: Value]) -> Value {
    var s = Struct(schema: schema)
    for (k, v) in values { s[schema.field(k)!.index] = v }
    return .structure(s)
}

/// Reads a whole table ordered by its first column, via the SQL layer.
func sinkRows(_ url: String, _ sql: String) throws -> [[SQLValue]] {
    let c = try Database.connect(url, attempts: 1, backoffMs: 0)
    defer { c.close() }
    return try c.queryAll(sql).rows
}

// MARK: value normalisation across databases (each stores the same Connect value in its own way)

func intOf(_ v: SQLValue) -> Int64? {
    switch v {
    case .double(let d): return Int64(exactly: d)
    case .float(let f): return Int64(exactly: f)
    default: return v.intValue
    }
}

func doubleOf(_ v: SQLValue) -> Double? {
    switch v {
    case .double(let d): return d
    case .float(let f): return Double(f)
    case .int(let i): return Double(i)
    case .decimal(let d): return d.doubleValue
    case .text(let s): return Double(s)
    default: return nil
    }
}

func decimalText(_ v: SQLValue, scale: Int32) -> String? {
    switch v {
    case .decimal(let d): return d.rescaled(to: scale)?.description
    case .text(let s): return ConnectDecimal(s)?.rescaled(to: scale)?.description
    case .int(let i): return ConnectDecimal(unscaled: i, scale: 0).rescaled(to: scale)?.description
    case .double(let d): return String(format: "%.\(scale)f", d)
    default: return nil
    }
}

func timestampMicros(_ v: SQLValue) -> Int64? {
    switch v {
    case .timestamp(let t): return t
    case .text(let s): return SQLTemporal.parseTimestamp(s[...])
    default: return nil
    }
}

func dateDays(_ v: SQLValue) -> Int32? {
    switch v {
    case .date(let d): return d
    case .text(let s): return SQLTemporal.parseDate(s[...])
    case .timestamp(let t): return Int32(SQLTemporal.split(timestamp: t).days)
    default: return nil
    }
}

func timeMicros(_ v: SQLValue) -> Int64? {
    switch v {
    case .time(let t): return t
    case .text(let s): return SQLTemporal.parseTime(s[...])
    default: return nil
    }
}

func bytesOf(_ v: SQLValue) -> [UInt8]? {
    switch v {
    case .bytes(let b): return b
    case .text(let s): return Array(s.utf8)
    default: return nil
    }
}
