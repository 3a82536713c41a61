import SQL
import SluiceAPI

/// The work of one `put`: records buffered per table, flushed on `batch.size`, before a schema change (then the
/// table is created or altered) and at the end, all inside the put's one transaction.
final class PutSession {
    /// Buffered changes for one table, all shaped by one layout.
    final class TableBuffer {
        let table: SQLTableName
        var layout: RecordLayout?
        var columns: [String] = []
        /// `layout.columns`, computed once per layout rather than per record.
        var plans: [ColumnPlan] = []
        var keyCount = 0
        /// The columns' binary COPY types (PostgreSQL, when every column has one; see `PostgresBinaryType`).
        var binaryTypes: [PostgresBinaryType]?
        /// Rows sent into the open COPY stream and not yet counted in `written`.
        var streamed = 0
        var ops: [PendingOp] = []
        init(table: SQLTableName) { self.table = table }
    }

    let config: JDBCSinkConfig
    let connection: any DatabaseConnection
    let tables: TableManager
    let writer: BatchWriter
    let binder: ValueBinder
    let records: [SinkRecord]
    let reporter: (any ErrantRecordReporter)?
    private var buffers: [SQLTableName: TableBuffer] = [:]
    private var order: [TableBuffer] = []
    private var lastTopic: String?
    private var lastBuffer: TableBuffer?
    /// Rows written per table in this put, for progress logs.
    private(set) var written: [SQLTableName: Int] = [:]
    private(set) var reported = 0
    private var pendingReports: [(Int, ConnectError)] = []
    private(set) var skippedTombstones = 0
    /// The table whose rows currently stream into an open COPY (insert mode on PostgreSQL, see `BatchWriter`).
    private var streaming: TableBuffer?

    init(config: JDBCSinkConfig, connection: any DatabaseConnection, tables: TableManager, writer: BatchWriter,
        records: [SinkRecord], reporter: (any ErrantRecordReporter)?)
    {
        self.config = config
        self.connection = connection
        self.tables = tables
        self.writer = writer
        self.binder = ValueBinder(timeZone: config.timeZone)
        self.records = records
        self.reporter = reporter
    }

    func buffer(for topic: String) -> TableBuffer {
        if topic == lastTopic, let b = lastBuffer { return b }
        let name = config.tableName(for: topic)
        let b: TableBuffer
        if let existing = buffers[name] {
            b = existing
        } else {
            b = TableBuffer(table: name)
            buffers[name] = b
            order.append(b)
        }
        lastTopic = topic
        lastBuffer = b
        return b
    }

    /// Buffers record `index` (after schemaless inference), flushing first when its shape differs.
    func add(_ original: SinkRecord, index: Int, inference: inout SchemalessInference) throws {
        let b = buffer(for: original.topic)
        do {
            // Records with schemas (the common case) are used in place: copying a record costs a dozen retains.
            let usesKey = config.pkMode == .recordKey
            if (original.valueSchema == nil && !original.value.isNull) || (usesKey && original.keySchema == nil && !original.key.isNull) {
                try add(try inference.apply(original), index, b, keySchema: usesKey ? nil : .some(nil))
            } else {
                try add(original, index, b, keySchema: usesKey ? nil : .some(nil))
            }
        } catch let e as ConnectError where e.code == .dataException {
            try badRecord(index, table: b.table, e.message, e)
            return
        }
        if b.ops.count >= config.batchSize { try flush(b) }
    }

    /// `keySchema` overrides the record's key schema (`.some(nil)` when the key does not matter for `pk.mode`).
    private func add(_ record: SinkRecord, _ index: Int, _ b: TableBuffer, keySchema override: Schema??) throws {
        let keySchema = override ?? record.keySchema
        if record.value.isNull {
            guard config.deleteEnabled else { skippedTombstones += 1; return }
            if b.layout == nil || !b.layout!.matches(keySchema: keySchema, valueSchema: b.layout!.valueSchema) {
                try reshape(b, RecordLayout(keySchema: keySchema, valueSchema: nil, config: config, topic: record.topic))
            }
            let key = try binder.row(record, b.layout!.keyColumns)
            if streaming === b { try finishStream() }  // rows streamed before the delete land before it
            b.ops.append(PendingOp(kind: .delete, row: key, record: index))
        } else {
            if b.layout == nil || !b.layout!.matches(keySchema: keySchema, valueSchema: record.valueSchema) {
                try reshape(b, RecordLayout(keySchema: keySchema, valueSchema: record.valueSchema, config: config,
                    topic: record.topic))
            }
            let row = try binder.row(record, b.plans)
            if writer.streams {
                // Straight into the open COPY: the server parses these rows while the next records are converted.
                // (A new table, or deletes buffered since: those go first, in record order.)
                if streaming !== b || !b.ops.isEmpty {
                    try finishStream()
                    try flush(b)
                    try writer.openStream(table: b.table, columns: b.columns, binaryTypes: b.binaryTypes)
                    streaming = b
                }
                try writer.streamRow(row)
                b.streamed += 1
                return
            }
            if streaming !== b, b.ops.isEmpty, writer.streamsUpsert(into: b.table, keyCount: b.keyCount) {
                // Upsert of (hopefully) new keys: streamed into the table under a savepoint, and kept buffered
                // in case a key exists after all (then merged, see `finishStream`).
                try finishStream()
                try writer.openUpsertStream(table: b.table, columns: b.columns, binaryTypes: b.binaryTypes)
                streaming = b
            }
            if streaming === b { try writer.streamRow(row) }
            b.ops.append(PendingOp(kind: .write, row: row, record: index))
        }
    }

    /// Ends the open COPY stream, if any (its errors surface here, and the task replays the put carefully). An
    /// upsert stream that hit an existing key is rolled back and its buffered rows merged instead.
    func finishStream() throws {
        guard let b = streaming else { return }
        streaming = nil
        if config.insertMode == .upsert {
            if try writer.finishUpsertStream(table: b.table) {
                written[b.table, default: 0] += b.ops.count
                b.ops.removeAll(keepingCapacity: true)
            } else {
                try flush(b)
            }
            return
        }
        try writer.finishStream()
        written[b.table, default: 0] += b.streamed
        b.streamed = 0
    }

    /// Flushes what was buffered under the old layout, then creates/evolves the table for the new one.
    func reshape(_ b: TableBuffer, _ layout: RecordLayout) throws {
        try finishStream()
        try flush(b)
        let mysql = connection.url.kind == .mysql
        let cols = try tables.ensure(b.table, layout, on: connection) {
            // MariaDB commits implicitly around DDL: end the transaction cleanly and start a new one after.
            if mysql && connection.inTransaction { try connection.commit() }
        }
        if !connection.inTransaction { try connection.begin() }
        b.layout = layout
        b.plans = layout.columns
        b.columns = cols
        b.keyCount = layout.keyColumns.count
        b.binaryTypes = connection.url.kind == .postgresql
            ? PostgresBinaryType.forColumns(typeNames: try tables.typeNames(b.table, cols, connection)) : nil
    }

    func flush(_ b: TableBuffer) throws {
        guard !b.ops.isEmpty else { return }
        try finishStream()
        let ops = b.ops
        b.ops.removeAll(keepingCapacity: true)
        try writer.apply(table: b.table, columns: b.columns, binaryTypes: b.binaryTypes, keyCount: b.keyCount, ops: ops) { index, error in
            try badRecord(index, table: b.table, error.description, error)
        }
        written[b.table, default: 0] += ops.count
    }

    func flushAll() throws {
        try finishStream()
        for b in order { try flush(b) }
    }

    /// A record that cannot be written: dead-lettered with `errors.tolerance=all`, else the task fails naming it.
    func badRecord(_ index: Int, table: SQLTableName, _ why: String, _ cause: any Error & Sendable) throws {
        let r = records[index]
        let error = ConnectError(.connect,
            "JDBC sink cannot write record topic=\(r.topic) partition=\(r.kafkaPartition ?? -1) offset=\(r.kafkaOffset) to table \(table): \(why)",
            underlying: cause)
        guard config.toleratesErrors, reporter != nil else { throw error }
        // Reported only once the put committed: a put may be replayed (to isolate bad rows), which must not
        // dead-letter a record twice.
        pendingReports.append((index, error))
    }

    /// Hands the bad records to the errant record reporter (after the commit).
    func deliverReports() throws {
        guard let reporter else { return }
        for (index, error) in pendingReports { try reporter.report(records[index], error: error) }
        reported = pendingReports.count
        pendingReports.removeAll()
    }
}
