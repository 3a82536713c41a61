import Foundation
import Logging
import SQL
import SluiceAPI

/// One table (or the custom query) of a task: its offset, its open cursor and how rows become records.
///
/// A query's cursor stays open across polls until the result is exhausted (each poll takes at most
/// `batch.max.rows`), so memory stays flat and a big table is read once, not re-queried per batch.
///
/// Timestamp-only mode cannot tell rows with the same timestamp apart, so (unlike the original, which loses them)
/// it commits a timestamp only once every row with it was read: the committed `timestamp` is the last *completed*
/// timestamp `safe` (a later one was seen), the query is `ts > safe`, and rows already emitted whose timestamp lies
/// in `(safe, latest]` are recognised by a hash of their values and skipped. A row arriving later with the latest
/// timestamp, or the rest of a same-timestamp group cut by `batch.max.rows` or by a restart, is therefore still
/// read; the price is that a restart may repeat the rows of the latest timestamp (at-least-once).
final class TableQuerier {
    enum Source {
        case table(SourceTable)
        case query(String)
    }

    let source: Source
    let config: JDBCSourceConfig
    let partition: [String: JSONValue]
    let topic: String
    var incrementingColumn: String?
    var offset: SourceOffset
    let storedOffset: Bool
    /// Timestamp-only mode: the latest timestamp seen, and hashes of emitted rows with timestamps in (safe, latest].
    var latestTimestamp: Int64?
    var emittedSinceSafe: Set<Int> = []

    var cursor: (any SQLRowCursor)?
    var converter: RowConverter?
    var resultColumns: [SQLColumn] = []
    var metadata: [String: SQLColumnInfo] = [:]
    var unsigned: Set<String> = []
    var incrementingIndex: Int?
    var timestampIndexes: [Int] = []
    /// Whether the timestamp columns hold wall-clock time in `db.timezone` (bounds are shifted to match).
    var timestampWallClock = true
    var nextDue = ContinuousClock.now
    var progress = SourceProgress()

    /// The year-1 lower bound used when timestamp modes start "from the beginning".
    static let beginningMicros = SQLTemporal.days(year: 1, month: 1, day: 1) * SQLTemporal.microsPerDay

    init(source: Source, config: JDBCSourceConfig, offsets: any OffsetStorageReader) {
        self.source = source
        self.config = config
        incrementingColumn = config.incrementingColumn
        switch source {
        case .table(let t):
            topic = t.topic
            partition = config.mode == .bulk
                ? ["table": .string(t.name.name)] : ["table": .string(t.name.description), "protocol": .string("1")]
        case .query:
            topic = config.topicPrefix
            partition = ["query": .string("query")]
        }
        let stored = offsets.offset(partition)
        storedOffset = stored != nil
        offset = stored.map(SourceOffset.init(json:)) ?? SourceOffset()
        if config.mode.usesIncrementing, offset.incrementing == nil { offset.incrementing = -1 }
        if config.mode.usesTimestamp, offset.timestampMicros == nil {
            offset.timestampMicros = config.timestampInitialMs.map { $0 * 1000 } ?? Self.beginningMicros
        }
    }

    var name: String {
        switch source {
        case .table(let t): return t.name.description
        case .query: return "query"
        }
    }

    var tableName: SQLTableName? {
        if case .table(let t) = source { return t.name }
        return nil
    }

    /// Reads the table's metadata and resolves the mode's columns: auto-detects the incrementing column, checks
    /// the named columns exist and (with `validate.non.null`) are NOT NULL. Throws `ConnectError(.config)` naming
    /// the key; `TableMissing` when the table is gone.
    func prepare(_ connection: any DatabaseConnection) throws {
        if config.mode.usesTimestamp, config.timestampInitialMs == -1, !storedOffset {
            offset.timestampMicros = try connection.currentTimestamp()
        }
        guard let table = tableName else { return }
        let columns = try connection.dialect.columns(of: table, on: connection)
        guard !columns.isEmpty else { throw TableMissing(table: table) }
        metadata = Dictionary(columns.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        unsigned = try connection.dialect.unsignedColumns(of: table, on: connection)
        let problems = try ColumnCheck(config: config, table: table, columns: columns).problems()
        if let p = problems.first { throw ConnectError(.config, p.message) }
        if config.mode.usesIncrementing, incrementingColumn == nil {
            incrementingColumn = columns.first(where: \.isAutoIncrement)?.name
        }
        if let first = config.timestampColumns.first, let info = ColumnCheck.find(first, in: columns) {
            let mapped = ColumnMapping(kind: connection.url.kind, numericMapping: config.numericMapping)
                .conversion(typeName: info.typeName, precision: info.precision, scale: info.scale)
            timestampWallClock = mapped != .timestamp(wallClock: false)
        }
    }

    /// Runs the mode's query from the current offset.
    func open(_ connection: any DatabaseConnection) throws {
        close()
        let dialect = connection.dialect
        let q = IncrementalQuery(dialect: dialect, mode: config.mode, incrementingColumn: incrementingColumn,
            timestampColumns: config.timestampColumns)
        let base: String
        switch source {
        case .table(let t): base = dialect.selectAll(from: t.name)
        case .query(let text): base = text
        }
        var begin = SQLValue.null, end = SQLValue.null
        if config.mode.usesTimestamp {
            let now = try connection.currentTimestamp() - config.timestampDelayMs * 1000
            begin = timestampParam(offset.timestampMicros ?? Self.beginningMicros)
            end = timestampParam(now)
        }
        let sql = q.sql(base: base, suffix: config.querySuffix)
        let c = try connection.query(sql, q.params(lastIncrementing: offset.incrementing ?? -1, begin: begin, end: end),
            fetchSize: config.batchMaxRows)
        cursor = c
        if converter == nil || c.columns != resultColumns { try describe(c.columns, connection) }
        progress.begin()
    }

    func timestampParam(_ utc: Int64) -> SQLValue {
        .timestamp(timestampWallClock ? RowConverter.fromUTC(utc, config.timeZone) : utc)
    }

    /// Builds the converter and finds the mode's columns in a (new) result description.
    func describe(_ columns: [SQLColumn], _ connection: any DatabaseConnection) throws {
        if let table = tableName, converter != nil {  // the table changed: re-read its metadata
            let cols = try connection.dialect.columns(of: table, on: connection)
            metadata = Dictionary(cols.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        }
        let conv = RowConverter(
            columns: columns, metadata: metadata, unsigned: unsigned, schemaName: tableName?.name,
            mapping: ColumnMapping(kind: connection.url.kind, numericMapping: config.numericMapping),
            timeZone: config.timeZone)
        if !conv.dropped.isEmpty {
            Logger(label: "sluice.jdbc.source").warning(
                "JDBC source: \(name): columns of unsupported types are left out: \(conv.dropped.joined(separator: ", "))")
        }
        func index(_ column: String, _ key: String) throws -> Int {
            if let i = columns.firstIndex(where: { $0.name == column }) { return i }
            if let i = columns.firstIndex(where: { $0.name.lowercased() == column.lowercased() }) { return i }
            throw ConnectError.invalidConfig(key, column, "column '\(column)' is not in the result of \(name)")
        }
        incrementingIndex = try config.mode.usesIncrementing
            ? index(incrementingColumn ?? "", "incrementing.column.name") : nil
        timestampIndexes = try config.mode.usesTimestamp
            ? config.timestampColumns.map { try index($0, "timestamp.column.name") } : []
        if tableName == nil, let first = timestampIndexes.first,
            let p = conv.plan.first(where: { $0.index == first })
        {
            timestampWallClock = p.conversion != .timestamp(wallClock: false)
        }
        converter = conv
        resultColumns = columns
    }

    /// Up to `maxRows` records from the open cursor; `exhausted` when the result has no more rows (the cursor is
    /// then closed and the table waits `poll.interval.ms`).
    func read(maxRows: Int) throws -> (records: [SourceRecord], exhausted: Bool) {
        guard let cursor, let converter else { return ([], true) }
        let rows = try cursor.next(maxRows: maxRows)
        var records: [SourceRecord] = []
        records.reserveCapacity(rows.count)
        let mode = config.mode
        for row in rows {
            switch mode {
            case .bulk:
                break
            case .incrementing:
                if let i = incrementingIndex, let v = row[i].intValue { offset.incrementing = v }
            case .timestampIncrementing:
                if let t = rowTimestamp(row) { offset.timestampMicros = t }
                if let i = incrementingIndex, let v = row[i].intValue { offset.incrementing = v }
            case .timestamp:
                if let t = rowTimestamp(row), !admitTimestampRow(row, t) { continue }
            }
            records.append(SourceRecord(
                sourcePartition: partition, sourceOffset: offset.json(mode), topic: topic,
                valueSchema: converter.schema, value: converter.value(row)))
        }
        progress.add(rows.count, table: name)
        let exhausted = rows.count < maxRows
        if exhausted {
            close()
            progress.finishPass(table: name)
        }
        return (records, exhausted)
    }

    /// Timestamp-only bookkeeping (see the type's comment): false for a row already emitted.
    func admitTimestampRow(_ row: [SQLValue], _ t: Int64) -> Bool {
        let h = row.hashValue
        if let latest = latestTimestamp, t <= latest {
            return emittedSinceSafe.insert(h).inserted
        }
        if let latest = latestTimestamp { offset.timestampMicros = latest }  // every row at `latest` was read
        latestTimestamp = t
        emittedSinceSafe = [h]
        return true
    }

    func rowTimestamp(_ row: [SQLValue]) -> Int64? {
        for i in timestampIndexes {
            if let m = RowConverter.micros(row[i]) {
                return timestampWallClock ? RowConverter.toUTC(m, config.timeZone) : m
            }
        }
        return nil
    }

    func close() {
        cursor?.close()
        cursor = nil
    }
}

/// A table assigned to a task no longer exists.
struct TableMissing: Error, CustomStringConvertible {
    let table: SQLTableName
    var description: String { "table \(table) does not exist" }
}
