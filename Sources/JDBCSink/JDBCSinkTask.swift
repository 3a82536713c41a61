import Foundation
import Logging
import SQL
import SluiceAPI

/// Writes records to a database table per topic (`io.confluent.connect.jdbc.sink.JdbcSinkTask`).
///
/// Each `put` is one transaction, committed before `put` returns: the runtime commits Kafka offsets right after, so
/// a crash repeats at most the last batch, which upsert and key modes make harmless. Retriable database failures
/// (connection lost, deadlock, server down) throw `ConnectError(.retriable)` after asking the runtime to wait
/// `retry.backoff.ms`, up to `max.retries` times in a row; the connection is reopened on the next put.
public final class JDBCSinkTask: SinkTask, @unchecked Sendable {
    private let lock = NSLock()
    private var context: (any SinkTaskContext)?
    private var config: JDBCSinkConfig?
    private var connection: (any DatabaseConnection)?
    private var tables: TableManager?
    private var writer: BatchWriter?
    private var inference = SchemalessInference()
    private var remainingRetries = 0
    private var logger = Logger(label: "sluice.jdbc.sink")
    private var progress = ProgressLog()

    public init() {}

    public func initialize(context: any SinkTaskContext) {
        lock.withLock {
            self.context = context
            logger = context.logger
        }
    }

    public func start(_ props: [String: String]) throws {
        let c = try JDBCSinkConfig(props)
        lock.withLock {
            config = c
            remainingRetries = c.maxRetries
            tables = TableManager(config: c, logger: logger)
            logger.info("JDBC sink task starting: \(c.url), insert.mode=\(c.insertMode.rawValue), pk.mode=\(c.pkMode.rawValue)")
        }
    }

    public func put(_ records: [SinkRecord]) throws {
        try lock.withLock { try putLocked(records) }
    }

    /// Everything is committed inside `put`, so there is nothing left to flush.
    public func flush(_ currentOffsets: [TopicPartition: Int64]) throws {}

    /// Rows are made of keys and values only; headers are never written.
    public var readsHeaders: Bool { false }

    public func stop() {
        lock.withLock {
            connection?.close()
            connection = nil
            writer = nil
        }
    }

    private func openConnection(_ config: JDBCSinkConfig) throws -> (any DatabaseConnection, BatchWriter) {
        if let connection, let writer { return (connection, writer) }
        let c = try Database.connect(url: config.url, attempts: config.connectionAttempts,
            backoffMs: config.connectionBackoffMs, logger: logger)
        let w = BatchWriter(config: config, connection: c, logger: logger)
        connection = c
        writer = w
        tables?.invalidate()
        return (c, w)
    }

    private func putLocked(_ records: [SinkRecord]) throws {
        guard let config, let tables else { throw ConnectError(.connect, "JDBC sink task put before start") }
        if records.isEmpty { return }
        let started = ContinuousClock.now
        var session: PutSession?
        var careful = false
        while true {
            do {
                session = try attempt(records, config, tables, careful: careful)
                remainingRetries = config.maxRetries
                break
            } catch {
                if let c = connection, c.inTransaction { try? c.rollback() }
                tables.invalidate()
                writer?.invalidate()
                // A rejected statement: replay the whole put with savepoints to isolate the bad records.
                if !careful, let sql = error as? SQLError, !sql.isRetriable, connection != nil {
                    careful = true
                    continue
                }
                throw failure(error, config, records)
            }
        }
        if let s = session {
            try s.deliverReports()
            if s.skippedTombstones > 0 {
                logger.debug("JDBC sink ignored \(s.skippedTombstones) tombstone(s): delete.enabled=false")
            }
            progress.record(s.written, elapsed: ContinuousClock.now - started, logger: logger)
        }
    }

    /// One attempt at writing the put in one transaction.
    private func attempt(_ records: [SinkRecord], _ config: JDBCSinkConfig, _ tables: TableManager, careful: Bool) throws
        -> PutSession
    {
        let (conn, writer) = try openConnection(config)
        writer.careful = careful
        try conn.begin()
        let s = PutSession(config: config, connection: conn, tables: tables, writer: writer, records: records,
            reporter: context?.errantRecordReporter)
        // By index: `enumerated()` hands out copies, a dozen retains and releases per record.
        for i in records.indices { try s.add(records[i], index: i, inference: &inference) }
        try s.flushAll()
        try conn.commit()
        return s
    }

    /// Maps a failed put to what the runtime should do: retry (retriable, retries left) or fail.
    private func failure(_ error: any Error, _ config: JDBCSinkConfig, _ records: [SinkRecord]) -> ConnectError {
        let sql: SQLError? = (error as? SQLError) ?? ((error as? ConnectError)?.underlying as? SQLError)
        if let sql, sql.isRetriable {
            connection?.close()
            connection = nil
            writer = nil
            let first = records[0]
            let at = "\(records.count) records from \(first.topic)-\(first.kafkaPartition ?? -1)@\(first.kafkaOffset)"
            if remainingRetries > 0 {
                remainingRetries -= 1
                logger.warning(
                    "JDBC sink write of \(at) failed, retrying in \(config.retryBackoffMs) ms (\(remainingRetries) retries left): \(sql)")
                context?.timeout(Int64(config.retryBackoffMs))
                return ConnectError(.retriable, "JDBC sink write failed, will retry: \(sql)", underlying: sql)
            }
            return ConnectError(.connect,
                "JDBC sink write of \(at) failed after \(config.maxRetries) retries: \(sql)", retriable: false,
                underlying: sql)
        }
        if let ce = error as? ConnectError { return ce }
        if let sql { return ConnectError(.connect, "JDBC sink write failed: \(sql)", underlying: sql) }
        return ConnectError(.connect, "JDBC sink write failed: \(error)")
    }
}
