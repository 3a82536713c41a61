import Foundation
import Logging
import SQL
import SluiceAPI

/// `io.confluent.connect.jdbc.JdbcSourceConnector`: copies tables (or one custom query) of PostgreSQL,
/// MySQL/MariaDB or SQLite into Kafka with Confluent's config keys, SQL and offsets.
///
/// `start` lists the tables once; a background `TableMonitor` thread owned by the connector looks again every
/// `table.poll.interval.ms` and asks for task reconfiguration when tables are created or dropped.
public final class JdbcSourceConnector: SourceConnector, @unchecked Sendable {
    public static let version = "10.8.0"
    private let lock = NSLock()
    private var props: [String: String] = [:]
    private var config: JDBCSourceConfig?
    private var context: (any ConnectorContext)?
    private var monitor: TableMonitor?
    private var logger = Logger(label: "sluice.jdbc.source")

    public init() {}

    public var configDef: ConfigDef { JDBCSourceConfig.definition }
    public var version: String { Self.version }

    public func initialize(context: any ConnectorContext) {
        lock.withLock {
            self.context = context
            logger = context.logger
        }
    }

    public func start(_ props: [String: String]) throws {
        let c = try JDBCSourceConfig(props)
        var initial: [SourceTable] = []
        if c.query == nil {
            let conn: any DatabaseConnection
            do {
                conn = try Database.connect(url: c.url, attempts: c.connectionAttempts, backoffMs: c.connectionBackoffMs,
                    logger: logger)
            } catch {
                throw ConnectError(.connect, "JDBC source: cannot connect to \(c.url): \(error)",
                    underlying: error)
            }
            defer { conn.close() }
            initial = try TableDiscovery(config: c).discover(on: conn)
            if initial.isEmpty { logger.warning("JDBC source: no tables match the configuration at \(c.url) yet") }
        }
        let ctx = lock.withLock { context }
        let m = TableMonitor(config: c, initial: initial, logger: logger) { ctx?.requestTaskReconfiguration() }
        lock.withLock {
            self.props = props
            self.config = c
            self.monitor = m
        }
        if c.query == nil && c.tablePollIntervalMs > 0 { m.start() }
    }

    /// Query mode: one task. Table mode: `min(#tables, maxTasks)` tasks with contiguous groups of tables; none
    /// while no table matches (the monitor asks again when one appears).
    public func taskConfigs(maxTasks: Int) throws -> [[String: String]] {
        let (p, c, m) = lock.withLock { (props, config, monitor) }
        guard let c else { throw ConnectError(.connect, "JDBC source connector: taskConfigs before start") }
        if c.query != nil { return [p] }
        return SourceTable.group(m?.current ?? [], maxTasks: maxTasks).map { group in
            var t = p
            t[SourceTable.configKey] = SourceTable.encode(group)
            return t
        }
    }

    public func stop() {
        let m = lock.withLock { () -> TableMonitor? in
            defer { monitor = nil }
            return monitor
        }
        m?.stop()
    }

    public func makeTask() -> any SourceTask { JDBCSourceTask() }

    /// The key checks, then (when they pass) the database: it must be reachable (error on `connection.url`), and
    /// every selected table must have the mode's columns (errors on `incrementing.column.name` /
    /// `timestamp.column.name`); a custom query must run and return them.
    public func validate(_ props: [String: String]) -> [ConfigValueInfo] {
        var results = configDef.validate(props)
        guard results.allSatisfy({ $0.errors.isEmpty }) else { return results }
        func fail(_ key: String, _ message: String) { results.addError(key, message, value: props[key]) }
        let c: JDBCSourceConfig
        do { c = try JDBCSourceConfig(props) } catch {
            fail("connection.url", "\(error)")
            return results
        }
        let conn: any DatabaseConnection
        do { conn = try Database.connect(url: c.url, attempts: 1, backoffMs: 0) } catch {
            fail("connection.url", "Could not connect to \(JDBCURL.redact(props["connection.url"] ?? "")): \(error)")
            return results
        }
        defer { conn.close() }
        do {
            if let query = c.query {
                try validateQuery(query, c, conn, fail)
            } else {
                for t in try TableDiscovery(config: c).discover(on: conn) {
                    let columns = try conn.dialect.columns(of: t.name, on: conn)
                    for p in try ColumnCheck(config: c, table: t.name, columns: columns).problems() { fail(p.key, p.message) }
                }
            }
        } catch {
            fail("connection.url", "Could not read the database's metadata: \(error)")
        }
        return results
    }

    /// Runs the query (reading at most one row) and checks the mode's columns are in its result.
    private func validateQuery(
        _ query: String, _ c: JDBCSourceConfig, _ conn: any DatabaseConnection, _ fail: (String, String) -> Void
    ) throws {
        let names: [String]
        do {
            let cursor = try conn.query(query, [], fetchSize: 1)
            names = cursor.columns.map { $0.name.lowercased() }
            cursor.close()
        } catch {
            fail("query", "Invalid value for configuration query: the query failed: \(error)")
            return
        }
        if c.mode.usesIncrementing, let inc = c.incrementingColumn, !names.contains(inc.lowercased()) {
            fail("incrementing.column.name",
                "Invalid value \(inc) for configuration incrementing.column.name: the query's result has no column '\(inc)'")
        }
        for ts in c.timestampColumns where c.mode.usesTimestamp && !names.contains(ts.lowercased()) {
            fail("timestamp.column.name",
                "Invalid value \(ts) for configuration timestamp.column.name: the query's result has no column '\(ts)'")
        }
    }
}
