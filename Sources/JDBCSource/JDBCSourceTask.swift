import Foundation
import Logging
import SQL
import SluiceAPI
import Synchronization

/// Polls its tables (or the custom query) round-robin (`io.confluent.connect.jdbc.source.JdbcSourceTask`).
///
/// One connection, one open cursor at a time: a table's result is read `batch.max.rows` per poll until exhausted,
/// then the next due table is queried; a table is queried again `poll.interval.ms` after its last pass. A lost
/// connection is reopened (`connection.attempts`, `connection.backoff.ms` apart) and the query re-run from the
/// in-memory offset; after that the task fails with the cause. A table dropped while assigned is left out with a
/// warning. `poll` blocks at most about a second when nothing is due, so the runtime can flush and stop it.
public final class JDBCSourceTask: SourceTask, @unchecked Sendable {
    /// Guards all state; released while waiting, held during database calls (so `stop` waits for one batch).
    private let condition = NSCondition()
    private let stopping = Atomic<Bool>(false)
    private var context: (any SourceTaskContext)?
    private var config: JDBCSourceConfig?
    private var connection: (any DatabaseConnection)?
    private var queriers: [TableQuerier] = []
    private var failures = 0
    private var logger = Logger(label: "sluice.jdbc.source")
    /// The longest a poll waits when no table is due.
    let maxWait: Duration = .seconds(1)

    public init() {}

    public func initialize(context: any SourceTaskContext) {
        condition.withLock {
            self.context = context
            logger = context.logger
        }
    }

    public func start(_ props: [String: String]) throws {
        let c = try JDBCSourceConfig(props)
        let offsets = context?.offsetStorageReader ?? EmptyOffsets()
        var list: [TableQuerier]
        if let q = c.query {
            list = [TableQuerier(source: .query(q), config: c, offsets: offsets)]
        } else {
            let tables = try SourceTable.decode(props[SourceTable.configKey] ?? "[]")
            list = tables.map { TableQuerier(source: .table($0), config: c, offsets: offsets) }
        }
        stopping.store(false, ordering: .relaxed)
        try condition.withLock {
            config = c
            let conn = try connect(c)
            for q in list {
                do {
                    try q.prepare(conn)
                } catch let e as TableMissing {
                    logger.warning("JDBC source: \(e); it is left out")
                    list.removeAll { $0 === q }
                }
            }
            queriers = list
            logger.info("JDBC source task started: \(c.url), mode \(c.mode.rawValue), \(list.map(\.name).joined(separator: ", "))")
        }
    }

    public func poll() throws -> [SourceRecord] {
        condition.lock()
        defer { condition.unlock() }
        guard let config else { throw ConnectError(.connect, "JDBC source task polled before start") }
        let deadline = ContinuousClock.now + maxWait
        while !stopping.load(ordering: .relaxed) {
            guard let q = queriers.first else {
                wait(until: deadline)
                return []
            }
            do {
                let conn = try connect(config)
                if q.cursor == nil {
                    let now = ContinuousClock.now
                    if q.nextDue > now {
                        // Another table may be due sooner.
                        if let other = queriers.dropFirst().first(where: { $0.nextDue <= now }) {
                            rotate(other)
                            continue
                        }
                        let wake = min(queriers.map(\.nextDue).min() ?? deadline, deadline)
                        wait(until: wake)
                        if ContinuousClock.now >= deadline { return [] }
                        continue
                    }
                    try q.open(conn)
                }
                let (records, exhausted) = try q.read(maxRows: config.batchMaxRows)
                failures = 0
                if exhausted {
                    q.nextDue = ContinuousClock.now + .milliseconds(config.pollIntervalMs)
                    rotate(nil)
                }
                if !records.isEmpty { return records }
                if ContinuousClock.now >= deadline { return [] }
            } catch let e as SQLError where e.isRetriable || e.code == .connectionLost {
                q.close()
                try reconnectAfter(e, config)
            } catch {
                q.close()
                if let table = q.tableName, let conn = connection, conn.isAlive(),
                    (try? conn.dialect.columns(of: table, on: conn).isEmpty) == true
                {
                    logger.warning("JDBC source: table \(table) disappeared (\(error)); it is left out of this task")
                    queriers.removeAll { $0 === q }
                    continue
                }
                throw (error as? ConnectError) ?? ConnectError(.connect, "JDBC source: \(q.name): \(error)",
                    underlying: error)
            }
        }
        return []
    }

    /// Moves `q` (or the head) to the position that is polled next / last.
    private func rotate(_ q: TableQuerier?) {
        if let q {
            queriers.removeAll { $0 === q }
            queriers.insert(q, at: 0)
        } else if !queriers.isEmpty {
            queriers.append(queriers.removeFirst())
        }
    }

    /// Waits on the condition (releasing the lock) until `instant` or `stop`.
    private func wait(until instant: ContinuousClock.Instant) {
        let left = instant - ContinuousClock.now
        guard left > .zero, !stopping.load(ordering: .relaxed) else { return }
        let secs = left.inSeconds
        _ = condition.wait(until: Date(timeIntervalSinceNow: secs))
    }

    /// The open connection, or a new one (`connection.attempts` tries, `connection.backoff.ms` apart).
    private func connect(_ config: JDBCSourceConfig) throws -> any DatabaseConnection {
        if let connection { return connection }
        var attempt = 0
        while true {
            attempt += 1
            do {
                let c = try Database.connect(url: config.url, attempts: 1, backoffMs: 0, logger: logger)
                try applyIsolation(c, config)
                connection = c
                return c
            } catch {
                if attempt >= config.connectionAttempts || stopping.load(ordering: .relaxed) {
                    throw ConnectError(.connect,
                        "JDBC source: cannot connect to \(config.url) after \(attempt) attempt(s): \(error)",
                        underlying: error)
                }
                logger.warning("JDBC source: connecting to \(config.url) failed (attempt \(attempt) of \(config.connectionAttempts)), retrying in \(config.connectionBackoffMs) ms: \(error)")
                wait(until: .now + .milliseconds(config.connectionBackoffMs))
            }
        }
    }

    /// After a retriable failure: drop the connection and reconnect; fail once `connection.attempts` consecutive
    /// failures happened.
    private func reconnectAfter(_ error: SQLError, _ config: JDBCSourceConfig) throws {
        failures += 1
        for q in queriers { q.close() }
        connection?.close()
        connection = nil
        if failures >= config.connectionAttempts {
            throw ConnectError(.connect, "JDBC source: database failed \(failures) times in a row: \(error)", underlying: error)
        }
        logger.warning("JDBC source: \(error); reconnecting (failure \(failures) of \(config.connectionAttempts))")
        wait(until: .now + .milliseconds(config.connectionBackoffMs))
    }

    private func applyIsolation(_ c: any DatabaseConnection, _ config: JDBCSourceConfig) throws {
        let level = config.transactionIsolation
        guard level != "DEFAULT", level != "SQL_SERVER_SNAPSHOT" else { return }
        let words = level.replacingOccurrences(of: "_", with: " ")
        switch c.url.kind {
        case .postgresql: try c.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL \(words)")
        case .mysql: try c.execute("SET SESSION TRANSACTION ISOLATION LEVEL \(words)")
        case .sqlite: try c.execute("PRAGMA read_uncommitted = \(level == "READ_UNCOMMITTED" ? 1 : 0)")
        }
    }

    public func stop() {
        stopping.store(true, ordering: .relaxed)
        condition.withLock {
            condition.broadcast()
            for q in queriers { q.close() }
            connection?.close()
            connection = nil
        }
    }
}

/// Offsets for a task started without a context (tests of the SQL alone): nothing stored.
struct EmptyOffsets: OffsetStorageReader {
    func offset(_ partition: [String: JSONValue]) -> [String: JSONValue]? { nil }
}
