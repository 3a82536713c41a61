import Foundation
import SQL
import SluiceAPI

/// The task side of incremental snapshots: executing signals (resolving table names against the catalog) and
/// reading chunks between window markers. Runs on the task thread under `io`, between stream reads.
extension PostgresSourceTask {
    func driveIncrementalSnapshot(_ proc: inout ChangeStreamProcessor) throws {
        let signals = proc.pendingSignals
        proc.pendingSignals = []
        for s in signals { execute(s, &proc) }
        if proc.incremental.needsChunk { try readChunk(&proc) }
    }

    func execute(_ signal: Signal, _ proc: inout ChangeStreamProcessor) {
        let action: Signal.Action
        do { action = try signal.action() } catch {
            logger.error("ignoring \(error)")
            return
        }
        switch action {
        case .executeSnapshot(let names, let conditions):
            var wanted: [IncrementalSnapshotState.Collection] = []
            for (name, id) in resolve(names) {
                // A condition's "data-collection" is the table name or, as in Debezium, a regex matching it.
                let condition = conditions[id.description] ?? conditions[name]
                    ?? conditions.first { $0.key != "*" && TableFilter.matches([$0.key], id.description) }?.value ?? conditions["*"]
                wanted.append(.init(id: id.description, condition: condition))
            }
            let added = proc.incremental.add(wanted)
            let what = added.isEmpty ? "nothing new to snapshot" : added.map(\.id).joined(separator: ", ")
            logger.info("incremental snapshot requested by signal '\(signal.id)': \(what) (chunks of \(config?.chunkSize ?? 0) rows)")
        case .stopSnapshot(let names):
            let queued = proc.incremental.collections.map(\.id)
            let ids = names.isEmpty ? [] : queued.filter { q in names.contains { $0 == q || TableFilter.matches([$0], q) } }
            if !names.isEmpty && ids.isEmpty {
                logger.warning("stop-snapshot signal '\(signal.id)': \(names) match no table of the running incremental snapshot (\(queued))")
                return
            }
            proc.incremental.stop(ids)
            logger.info("incremental snapshot stopped by signal '\(signal.id)' for \(ids.isEmpty ? "all tables" : ids.joined(separator: ", "))")
        case .pauseSnapshot:
            proc.incremental.pause()
            logger.info("incremental snapshot paused by signal '\(signal.id)'")
        case .resumeSnapshot:
            proc.incremental.resume()
            logger.info("incremental snapshot resumed by signal '\(signal.id)'")
        case .log(let message):
            logger.info("signal '\(signal.id)': \(message)")
        case .windowOpen, .windowClose:
            break
        }
    }

    /// Names as written in `data-collections` (exact `schema.table`, else an anchored regex) → captured tables.
    func resolve(_ names: [String]) -> [(String, TableId)] {
        guard let cfg = config, let meta else { return [] }
        let filter = cfg.filter
        let captured = ((try? PgCatalog(connection: meta).tables()) ?? []).filter { filter.includesTable($0) && $0 != cfg.signalTable }
        var out: [(String, TableId)] = []
        for name in names {
            let matches = captured.contains { $0.description == name } ? captured.filter { $0.description == name }
                : captured.filter { TableFilter.matches([name], $0.description) }
            if matches.isEmpty {
                let list = captured.map(\.description).joined(separator: ", ")
                logger.error("incremental snapshot: '\(name)' matches no captured table; name it as schema.table and check table.include.list/table.exclude.list (captured: \(list))")
            }
            for m in matches where !out.contains(where: { $0.1 == m }) { out.append((name, m)) }
        }
        return out
    }

    /// One DBLog chunk: open marker, SELECT of the next rows (moving on past finished, empty or unusable tables),
    /// close marker. The rows wait in the processor until the stream reaches the close marker.
    func readChunk(_ proc: inout ChangeStreamProcessor) throws {
        guard let cfg = config, let meta else { return }
        guard let signalTable = cfg.signalTable else {
            logger.error("an incremental snapshot is recorded in the offsets but signal.data.collection is not set: it is abandoned; set it to continue")
            proc.incremental.stop([])
            return
        }
        let reader = IncrementalChunkReader(connection: meta, signalTable: signalTable)
        let chunk = UUID().uuidString.lowercased()
        proc.incremental.beginChunk(id: chunk)
        do {
            try reader.writeMarker(id: chunk + "-open", type: Signal.windowOpen)
            try fillChunk(&proc, reader, chunkSize: cfg.chunkSize)
            try reader.writeMarker(id: chunk + "-close", type: Signal.windowClose)
        } catch {
            proc.incremental.retryChunk()
            throw ConnectError(.connect, "\(error)", retriable: false)
        }
    }

    private func fillChunk(_ proc: inout ChangeStreamProcessor, _ reader: IncrementalChunkReader, chunkSize: Int) throws {
        while let current = proc.incremental.current {
            if incrementalProgress?.table != current.id {
                incrementalProgress = IncrementalProgress(table: current.id, started: .now(), lastLog: .now(), rowsAtStart: proc.incremental.rowsInTable)
                logger.info("incremental snapshot of \(current.id) started\(proc.incremental.lastKey.map { " after key \($0)" } ?? "")")
            }
            guard let table = try snapshotTable(current.id, &proc) else {
                finishTable(&proc, completed: false)
                continue
            }
            do {
                if proc.incremental.maximumKey == nil {
                    proc.incremental.maximumKey = try reader.maximumKey(table, condition: current.condition)
                }
                guard let maximum = proc.incremental.maximumKey else {
                    finishTable(&proc, completed: true)
                    continue
                }
                let rows = try reader.chunk(table, after: proc.incremental.lastKey, maximum: maximum, condition: current.condition,
                                            limit: chunkSize)
                guard !rows.isEmpty else {
                    finishTable(&proc, completed: true)
                    continue
                }
                proc.incremental.chunkRead(table: table, rows: rows)
                logProgress(proc)
                return
            } catch {
                guard meta?.isAlive() ?? false else { throw error }
                logger.error("incremental snapshot of \(current.id) failed and is skipped: \(error)")
                finishTable(&proc, completed: false)
            }
        }
    }

    /// The schema of a table to snapshot, or nil (logged) when it is missing, not captured or has no key.
    func snapshotTable(_ name: String, _ proc: inout ChangeStreamProcessor) throws -> TableSchema? {
        guard let meta else { return nil }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        let id = parts.count == 2 ? TableId(schema: parts[0], table: parts[1]) : TableId(schema: "public", table: name)
        guard let relation = try PgCatalog(connection: meta).relation(id) else {
            logger.error("incremental snapshot of \(name) skipped: the table does not exist")
            return nil
        }
        guard let schema = try proc.table(for: relation) else {
            logger.error("incremental snapshot of \(name) skipped: the table is not captured (schema/table include and exclude lists)")
            return nil
        }
        guard !schema.keyColumns.isEmpty else {
            logger.error("incremental snapshot of \(name) skipped: the table has no primary key, and chunks are read in key order; add a primary key or name key columns for it in message.key.columns")
            return nil
        }
        return schema
    }

    private func finishTable(_ proc: inout ChangeStreamProcessor, completed: Bool) {
        if completed, let p = incrementalProgress, let current = proc.incremental.current, p.table == current.id {
            let rows = proc.incremental.rowsInTable
            let (seconds, perSecond) = p.rate(rows: rows)
            logger.info("incremental snapshot of \(current.id) completed: \(rows) rows in \(String(format: "%.1f", seconds)) s (\(perSecond) rows/s)")
        }
        proc.incremental.tableFinished()
        incrementalProgress = nil
        if !proc.incremental.running { logger.info("incremental snapshot completed") }
    }

    private func logProgress(_ proc: ChangeStreamProcessor) {
        guard var p = incrementalProgress, DispatchTime.now().uptimeNanoseconds - p.lastLog.uptimeNanoseconds >= 10_000_000_000 else { return }
        let rows = proc.incremental.rowsInTable
        logger.info("incremental snapshot of \(p.table): \(rows) rows, \(p.rate(rows: rows).perSecond) rows/s, now after key \(proc.incremental.lastKey ?? [])")
        p.lastLog = .now()
        incrementalProgress = p
    }
}
