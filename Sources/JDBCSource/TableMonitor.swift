import Foundation
import Logging
import SQL
import SluiceAPI

/// The connector's background thread: every `table.poll.interval.ms` it lists the tables again and, when the set
/// changed (a table created or dropped), stores it and asks the runtime to reconfigure the tasks — no worker restart.
final class TableMonitor: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var finished = false
    private var tables: [SourceTable]
    private var connection: (any DatabaseConnection)?
    private let config: JDBCSourceConfig
    private let onChange: @Sendable () -> Void
    private let logger: Logger

    init(config: JDBCSourceConfig, initial: [SourceTable], logger: Logger, onChange: @escaping @Sendable () -> Void) {
        self.config = config
        self.tables = initial
        self.logger = logger
        self.onChange = onChange
    }

    /// The tables as last seen.
    var current: [SourceTable] { condition.withLock { tables } }

    func start() {
        let t = Thread { [self] in run() }
        t.name = "jdbc-source-table-monitor"
        t.start()
    }

    private func run() {
        defer {
            condition.withLock {
                connection?.close()
                connection = nil
                finished = true
                condition.broadcast()
            }
        }
        while true {
            let stop: Bool = condition.withLock {
                if !stopped {
                    _ = condition.wait(until: Date(timeIntervalSinceNow: Double(config.tablePollIntervalMs) / 1000))
                }
                return stopped
            }
            if stop { return }
            check()
        }
    }

    /// One look at the database; failures are logged and retried at the next interval.
    func check() {
        do {
            let conn: any DatabaseConnection
            if let c = condition.withLock({ connection }), c.isAlive() {
                conn = c
            } else {
                condition.withLock { connection?.close(); connection = nil }
                conn = try Database.connect(url: config.url, attempts: 1, backoffMs: 0, logger: logger)
                condition.withLock { connection = conn }
            }
            let found = try TableDiscovery(config: config).discover(on: conn)
            let changed: Bool = condition.withLock {
                guard found != tables, !stopped else { return false }
                let added = Set(found.map(\.name)).subtracting(tables.map(\.name))
                let removed = Set(tables.map(\.name)).subtracting(found.map(\.name))
                logger.info("JDBC source: tables changed (added: \(added.map(\.description).sorted()), removed: \(removed.map(\.description).sorted())); reconfiguring tasks")
                tables = found
                return true
            }
            if changed { onChange() }
        } catch {
            logger.warning("JDBC source: cannot list tables: \(error); trying again in \(config.tablePollIntervalMs) ms")
            condition.withLock { connection?.close(); connection = nil }
        }
    }

    /// Stops the thread and waits (a few seconds at most) for it to finish.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
            let deadline = Date(timeIntervalSinceNow: 10)
            while !finished { if !condition.wait(until: deadline) { break } }
        }
    }
}
