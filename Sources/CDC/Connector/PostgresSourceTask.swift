import Foundation
import Logging
import SQL
import SluiceAPI
import Synchronization

/// Streams one database: optional snapshot, then pgoutput changes from the slot, as Debezium-shaped records.
///
/// Threading: `poll`, `start` and `commit`'s effects on the connections run on the task thread under `io`; `stop` and
/// `commit` may come from other threads and only touch the `shared` mutex, except that `stop` takes `io` after
/// raising the flag (poll checks it every ≤100 ms) to close the connections.
public final class PostgresSourceTask: SourceTask, @unchecked Sendable {
    struct Shared {
        var stopping = false
        var persisted: PostgresOffset?
    }

    enum Phase {
        case notStarted, snapshot(SnapshotReader), streaming, done
        /// The replication connection failed; retry at `at` (back-off doubles up to 30 s).
        case reconnecting(at: DispatchTime)
    }

    private let shared = Mutex(Shared())
    private let io = NSLock()
    private var context: (any SourceTaskContext)?
    var logger = Logger(label: "sluice.cdc.postgres")

    // Task-thread state (guarded by `io`).
    var config: PostgresConnectorConfig?
    var meta: (any DatabaseConnection)?
    private var snapshotConnection: (any DatabaseConnection)?
    private var replication: ReplicationConnection?
    private var processor: ChangeStreamProcessor?
    private var phase = Phase.notStarted
    private var serverVersion = 0
    private var receivedLSN = LSN.zero
    private var lastStatus = DispatchTime.now()
    private var lastHeartbeat = DispatchTime.now()
    private var reconnectAttempt = 0
    /// Progress of the table being incrementally snapshotted, for the log.
    var incrementalProgress: IncrementalProgress?

    public init() {}

    public func initialize(context: any SourceTaskContext) {
        self.context = context
        self.logger = context.logger
    }

    var partition: [String: JSONValue] { PostgresOffset.partition(serverName: config?.serverName ?? "") }

    public func start(_ props: [String: String]) throws {
        io.lock()
        defer { io.unlock() }
        let cfg = try PostgresConnectorConfig(props)
        config = cfg
        let p = cfg.parsed
        let url = try JDBCURL("jdbc:postgresql://\(p.string("database.hostname") ?? "localhost"):\(p.int("database.port"))/\(cfg.database)",
                              user: p.string("database.user"), password: p.password("database.password"))
        let meta = try Database.connect(url: url, attempts: 3, backoffMs: 1000)
        self.meta = meta
        serverVersion = try ReplicationSetup.validateServer(meta)
        let catalog = PgCatalog(connection: meta)
        let settings = cfg.streamSettings
        let captured = try catalog.tables().filter { settings.filter.includesTable($0) }
        for t in try ReplicationSetup.tablesWithoutIdentity(meta, captured) {
            logger.warning("table \(t) has no primary key or replica identity: its records have a null key, and UPDATE/DELETE fail while it is in a publication; set REPLICA IDENTITY FULL or add a primary key")
        }
        var published = captured
        if let signal = cfg.signalTable {
            if try catalog.relation(signal) == nil {
                logger.warning("signal.data.collection \(signal) does not exist: create it (CREATE TABLE \(signal) (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))) to use incremental snapshots")
            } else if !published.contains(signal) {
                published.append(signal)
            }
        }
        try ReplicationSetup.ensurePublication(meta, name: cfg.publicationName, mode: cfg.autocreateMode, tables: published)
        if let signal = cfg.signalTable, try catalog.relation(signal) != nil,
           try !ReplicationSetup.publishes(meta, publication: cfg.publicationName, table: signal) {
            logger.warning("signal.data.collection \(signal) is not in publication \(cfg.publicationName): signals will not be seen; add it (ALTER PUBLICATION \(cfg.publicationName) ADD TABLE \(signal))")
        }

        let stored = context?.offsetStorageReader.offset(partition).map(PostgresOffset.init(json:))
        if let inc = stored?.incremental {
            let tables = inc.collections.map(\.id).joined(separator: ", ")
            if inc.unreadableKey {
                logger.warning("the stored incremental snapshot position is not in Sluice's form (an offset written by Debezium?): the snapshot of \(inc.collections[0].id) restarts from its first row")
            }
            logger.info("incremental snapshot in progress (\(tables)): resuming after key \(inc.primaryKey ?? [])")
        }
        let slot = try ReplicationSetup.slot(meta, name: cfg.slotName)
        if let pid = slot?.activePID {
            throw ConnectError(.external, "replication slot '\(cfg.slotName)' is active for PID \(pid): another connector or "
                + "pg_recvlogical is reading it; stop it, or terminate it with SELECT pg_terminate_backend(\(pid))", retriable: true)
        }
        let mode = cfg.snapshotMode
        let needSnapshot: Bool
        switch mode {
        case "always": needSnapshot = true
        case "no_data": needSnapshot = false
        case "when_needed": needSnapshot = stored == nil || stored!.isIncompleteSnapshot || slot == nil
        default: needSnapshot = stored == nil || stored!.isIncompleteSnapshot  // initial, initial_only
        }
        let repl = try ReplicationConnection.connect(cfg.connectionParameters(replication: true))
        replication = repl
        var consistentPoint = slot?.confirmedFlush ?? .zero
        var exported: String?
        if slot == nil {
            let q = ReplicationConnection.quoteIdentifier(cfg.slotName)
            let rows = try repl.command("CREATE_REPLICATION_SLOT \(q) LOGICAL pgoutput \(needSnapshot ? "EXPORT_SNAPSHOT" : "NOEXPORT_SNAPSHOT")")
            consistentPoint = rows.first?[1].flatMap(LSN.init) ?? .zero
            exported = needSnapshot ? rows.first?[2] : nil
            logger.info("created replication slot \(cfg.slotName) at \(consistentPoint)")
        }
        var proc = ChangeStreamProcessor(settings: settings, catalog: catalog, resumeFrom: stored, confirmedFlush: consistentPoint)
        if needSnapshot && mode != "no_data" {
            var tables: [SnapshotReader.Table] = []
            for id in captured {
                guard let rel = try catalog.relation(id), let schema = try proc.table(for: rel) else { continue }
                tables.append(.init(schema: schema, relation: rel))
            }
            let snap = try Database.connect(url: url, attempts: 3, backoffMs: 1000)
            snapshotConnection = snap
            let reader = try SnapshotReader(connection: snap, exportedSnapshot: exported, tables: tables, settings: settings,
                                            consistentPoint: consistentPoint, fetchSize: p.int("snapshot.fetch.size"),
                                            nowMicros: Self.nowMicros())
            processor = proc
            phase = .snapshot(reader)
            logger.info("snapshot of \(tables.count) tables started at \(consistentPoint)")
        } else {
            processor = proc
            try startStreaming()
        }
    }

    static func nowMicros() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    private func startStreaming() throws {
        guard let cfg = config, let repl = replication else { return }
        let messages = serverVersion >= 140000 ? ", messages 'true'" : ""
        let pub = ReplicationConnection.quoteLiteral(ReplicationConnection.quoteIdentifier(cfg.publicationName))
        try repl.startReplication("START_REPLICATION SLOT \(ReplicationConnection.quoteIdentifier(cfg.slotName)) LOGICAL 0/0 "
            + "(proto_version '1', publication_names \(pub)\(messages))")
        phase = .streaming
        lastStatus = DispatchTime.now()
        lastHeartbeat = DispatchTime.now()
    }

    public func poll() throws -> [SourceRecord] {
        io.lock()
        defer { io.unlock() }
        guard let cfg = config, !shared.withLock({ $0.stopping }) else { return [] }
        let maxBatch = cfg.parsed.int("max.batch.size")
        switch phase {
        case .notStarted:
            return []
        case .snapshot(let reader):
            let out = try reader.next(max: maxBatch, nowMicros: Self.nowMicros())
            if reader.finished {
                snapshotConnection?.close()
                snapshotConnection = nil
                logger.info("snapshot completed")
                if cfg.snapshotMode == "initial_only" { phase = .done } else { try startStreaming() }
            }
            return out
        case .done:
            Thread.sleep(forTimeInterval: min(0.5, Double(cfg.parsed.int("poll.interval.ms")) / 1000))
            return []
        case .streaming:
            do {
                return try stream(cfg, maxBatch: maxBatch)
            } catch let e as ConnectError where e.isRetriable {
                scheduleReconnect(e)
                return []
            }
        case .reconnecting(let at):
            if DispatchTime.now() < at {
                Thread.sleep(forTimeInterval: 0.1)
                return []
            }
            do {
                try reconnect(cfg)
            } catch let e as ConnectError where e.isRetriable {
                scheduleReconnect(e)
            }
            return []
        }
    }

    private func scheduleReconnect(_ error: ConnectError) {
        replication?.close()
        replication = nil
        reconnectAttempt += 1
        let delayMs = min(30_000, 250 << min(reconnectAttempt, 7))
        logger.warning("replication stream failed (\(error.message)); reconnecting in \(delayMs) ms (attempt \(reconnectAttempt))")
        phase = .reconnecting(at: DispatchTime.now() + .milliseconds(delayMs))
    }

    /// Opens a new replication session and resumes after the last change handed out in this task's lifetime, so
    /// a dropped connection neither loses nor repeats records (the server resends from the slot's flush LSN).
    private func reconnect(_ cfg: PostgresConnectorConfig) throws {
        replication = try ReplicationConnection.connect(cfg.connectionParameters(replication: true))
        if var proc = processor {
            if let last = proc.tracker.lastEmitted, proc.resume.stored.map({ last > $0 }) ?? true {
                proc.resume = ResumeFilter(stored: last)
            }
            proc.resetSession()
            processor = proc
        }
        try startStreaming()
        reconnectAttempt = 0
        logger.info("replication stream resumed")
    }

    private func stream(_ cfg: PostgresConnectorConfig, maxBatch: Int) throws -> [SourceRecord] {
        guard var proc = processor, let repl = replication else { return [] }
        defer { processor = proc }
        let pollNanos = UInt64(max(1, cfg.parsed.int64("poll.interval.ms"))) * 1_000_000
        let start = DispatchTime.now().uptimeNanoseconds
        var out: [SourceRecord] = []
        while out.count < maxBatch {
            if shared.withLock({ $0.stopping }) { break }
            try applyPersisted(&proc, repl)
            if proc.incremental.needsChunk || !proc.pendingSignals.isEmpty { try driveIncrementalSnapshot(&proc) }
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            if elapsed >= pollNanos { break }
            // Once records are waiting, return as soon as the stream pauses: latency over batch size.
            let wait = out.isEmpty ? Int(min(100, (pollNanos - elapsed) / 1_000_000)) : 0
            guard let bytes = try repl.readFrame(timeoutMs: wait) else {
                if !out.isEmpty { break }
                try periodic(cfg, &proc, repl, &out)
                continue
            }
            switch try ReplicationFrame.parse(bytes) {
            case .xLogData(let x):
                if x.end > receivedLSN { receivedLSN = x.end }
                let message = try PgOutputMessage.parse(x.payload)
                try proc.process(message, lsn: x.start, nowMicros: Self.nowMicros(), into: &out)
            case .keepalive(let k):
                if k.walEnd > receivedLSN { receivedLSN = k.walEnd }
                if proc.tracker.idle(walEnd: k.walEnd) != nil || k.replyRequested { try sendStatus(proc, repl, reply: false) }
            }
        }
        try periodic(cfg, &proc, repl, &out)
        return out
    }

    /// Standby status on its interval (asking for a keepalive so an idle slot can advance) and heartbeats.
    private func periodic(_ cfg: PostgresConnectorConfig, _ proc: inout ChangeStreamProcessor, _ repl: ReplicationConnection,
                          _ out: inout [SourceRecord]) throws {
        let now = DispatchTime.now().uptimeNanoseconds
        let statusEvery = UInt64(cfg.parsed.int64("status.update.interval.ms")) * 1_000_000
        if now - lastStatus.uptimeNanoseconds >= statusEvery {
            try sendStatus(proc, repl, reply: !proc.tracker.inTransaction)
        }
        let hbEvery = UInt64(max(0, cfg.parsed.int64("heartbeat.interval.ms"))) * 1_000_000
        if hbEvery > 0, now - lastHeartbeat.uptimeNanoseconds >= hbEvery {
            lastHeartbeat = DispatchTime.now()
            if let q = cfg.parsed.string("heartbeat.action.query"), !q.isEmpty, let meta {
                do { try meta.execute(q) } catch { logger.warning("heartbeat.action.query failed: \(error)") }
            }
            try sendStatus(proc, repl, reply: !proc.tracker.inTransaction)
            out.append(proc.heartbeat(nowMillis: Self.nowMicros() / 1000))
        }
    }

    private func applyPersisted(_ proc: inout ChangeStreamProcessor, _ repl: ReplicationConnection) throws {
        guard let persisted = shared.withLock({ s -> PostgresOffset? in defer { s.persisted = nil }; return s.persisted }) else { return }
        if proc.tracker.offsetsPersisted(persisted.position) != nil { try sendStatus(proc, repl, reply: false) }
    }

    private func sendStatus(_ proc: ChangeStreamProcessor, _ repl: ReplicationConnection, reply: Bool) throws {
        let flushed = proc.tracker.flushLSN
        let update = StandbyStatusUpdate(written: max(receivedLSN, flushed), flushed: flushed, applied: flushed,
                                         clockTime: PgTimestamp.pgMicros(fromUnix: Self.nowMicros()), replyRequested: reply)
        try repl.send(update.bytes)
        lastStatus = DispatchTime.now()
    }

    /// The runtime persisted the offsets of acknowledged records: remember the durable position; the task thread
    /// confirms the matching LSN to the slot on its next loop iteration.
    public func commit() throws {
        guard let reader = context?.offsetStorageReader, let stored = reader.offset(partition) else { return }
        let offset = PostgresOffset(json: stored)
        shared.withLock { $0.persisted = offset }
    }

    public func stop() {
        shared.withLock { $0.stopping = true }
        io.lock()
        defer { io.unlock() }
        if case .snapshot(let reader) = phase { reader.close() }
        phase = .done
        replication?.close()
        replication = nil
        snapshotConnection?.close()
        snapshotConnection = nil
        if let cfg = config, cfg.parsed.bool("slot.drop.on.stop"), let meta {
            do { try meta.execute("SELECT pg_drop_replication_slot($1)", [.text(cfg.slotName)]) } catch {
                logger.warning("could not drop slot \(cfg.slotName): \(error)")
            }
        }
        meta?.close()
        meta = nil
    }
}
