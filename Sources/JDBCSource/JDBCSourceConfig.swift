import Foundation
import SQL
import SluiceAPI

/// The JDBC source's settings, parsed from Confluent's `JdbcSourceConnectorConfig` keys with the same defaults, so
/// users keep their existing connector JSON unchanged.
struct JDBCSourceConfig: Sendable {
    enum Mode: String, Sendable, CaseIterable {
        case bulk, incrementing, timestamp
        case timestampIncrementing = "timestamp+incrementing"

        var usesIncrementing: Bool { self == .incrementing || self == .timestampIncrementing }
        var usesTimestamp: Bool { self == .timestamp || self == .timestampIncrementing }
    }

    /// How DECIMAL/NUMERIC columns become Connect types (`numeric.mapping`).
    enum NumericMapping: String, Sendable, CaseIterable {
        case none
        case precisionOnly = "precision_only"
        case bestFit = "best_fit"
        case bestFitEagerDouble = "best_fit_eager_double"
    }

    var url: JDBCURL
    var connectionAttempts: Int
    var connectionBackoffMs: Int
    var mode: Mode
    var incrementingColumn: String?
    var timestampColumns: [String]
    /// Epoch milliseconds to start timestamp modes from when no offset is stored; nil = from the beginning,
    /// -1 = from the database's current time.
    var timestampInitialMs: Int64?
    var timestampDelayMs: Int64
    var validateNonNull: Bool
    var query: String?
    var querySuffix: String
    var pollIntervalMs: Int
    var batchMaxRows: Int
    var topicPrefix: String
    var numericMapping: NumericMapping
    /// nil when `db.timezone` is UTC (no shifting of wall-clock timestamps).
    var timeZone: TimeZone?
    var tablePollIntervalMs: Int
    var whitelist: [String]
    var blacklist: [String]
    var includeList: [String]
    var excludeList: [String]
    var schemaPattern: String?
    var catalogPattern: String?
    var tableTypes: [String]
    var quoteIdentifiers: Bool
    var transactionIsolation: String

    /// Parses and validates `props` (throws `ConnectError(.config)` naming the first bad key).
    init(_ props: [String: String]) throws {
        let c = try JDBCSourceConfig.definition.parse(props)
        (url, connectionAttempts, connectionBackoffMs) = try JDBCConnectionKeys.parse(c)
        mode = Mode(rawValue: (c.string("mode") ?? "").lowercased()) ?? .bulk
        let inc = c.string("incrementing.column.name") ?? ""
        incrementingColumn = inc.isEmpty ? nil : inc
        timestampColumns = c.list("timestamp.column.name").filter { !$0.isEmpty }
        timestampInitialMs = c.string("timestamp.initial").flatMap { Int64($0) }
        timestampDelayMs = max(0, c.int64("timestamp.delay.interval.ms"))
        validateNonNull = c.bool("validate.non.null")
        let q = c.string("query") ?? ""
        query = q.isEmpty ? nil : q
        querySuffix = c.string("query.suffix") ?? ""
        pollIntervalMs = max(0, c.int("poll.interval.ms"))
        batchMaxRows = max(1, c.int("batch.max.rows"))
        topicPrefix = c.string("topic.prefix") ?? ""
        let mapping = (c.string("numeric.mapping") ?? "").lowercased()
        if let m = NumericMapping(rawValue: mapping) {
            numericMapping = m
        } else {
            numericMapping = c.bool("numeric.precision.mapping") ? .precisionOnly : .none
        }
        let tz = c.string("db.timezone", default: "UTC")
        timeZone = JDBCConnectionKeys.timeZone(tz)
        tablePollIntervalMs = max(0, c.int("table.poll.interval.ms"))
        whitelist = c.list("table.whitelist").filter { !$0.isEmpty }
        blacklist = c.list("table.blacklist").filter { !$0.isEmpty }
        includeList = c.list("table.include.list").filter { !$0.isEmpty }
        excludeList = c.list("table.exclude.list").filter { !$0.isEmpty }
        schemaPattern = c.string("schema.pattern").flatMap { $0.isEmpty ? nil : $0 }
        catalogPattern = c.string("catalog.pattern").flatMap { $0.isEmpty ? nil : $0 }
        tableTypes = c.list("table.types").filter { !$0.isEmpty }.map { $0.uppercased() }
        quoteIdentifiers = c.string("quote.sql.identifiers", default: "always").lowercased() != "never"
        transactionIsolation = c.string("transaction.isolation.mode", default: "DEFAULT").uppercased()
    }

    /// Whether any table filter key is set (they cannot be combined with `query`).
    var hasTableFilters: Bool {
        !whitelist.isEmpty || !blacklist.isEmpty || !includeList.isEmpty || !excludeList.isEmpty
    }
}
