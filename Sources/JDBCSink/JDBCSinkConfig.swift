import Foundation
import SQL
import SluiceAPI

/// The JDBC sink's settings, parsed from Confluent's `JdbcSinkConfig` keys with the same defaults, so users keep their
/// existing connector JSON unchanged.
struct JDBCSinkConfig: Sendable {
    enum InsertMode: String, Sendable { case insert, upsert, update }
    enum PrimaryKeyMode: String, Sendable { case none, kafka, recordKey = "record_key", recordValue = "record_value" }

    var url: JDBCURL
    var connectionAttempts: Int
    var connectionBackoffMs: Int
    var tableNameFormat: String
    var batchSize: Int
    var deleteEnabled: Bool
    var autoCreate: Bool
    var autoEvolve: Bool
    var insertMode: InsertMode
    var pkMode: PrimaryKeyMode
    var pkFields: [String]
    var fieldsWhitelist: Set<String>
    var quoteIdentifiers: Bool
    var timeZone: TimeZone?
    var maxRetries: Int
    var retryBackoffMs: Int
    /// `errors.tolerance=all`: bad records go to the errant record reporter instead of failing the task.
    var toleratesErrors: Bool

    /// Parses and validates `props` (throws `ConnectError(.config)` naming the first bad key).
    init(_ props: [String: String]) throws {
        let c = try JDBCSinkConfig.definition.parse(props)
        (url, connectionAttempts, connectionBackoffMs) = try JDBCConnectionKeys.parse(c)
        tableNameFormat = c.string("table.name.format", default: "${topic}")
        batchSize = max(1, c.int("batch.size"))
        deleteEnabled = c.bool("delete.enabled")
        autoCreate = c.bool("auto.create")
        autoEvolve = c.bool("auto.evolve")
        insertMode = InsertMode(rawValue: c.string("insert.mode", default: "insert").lowercased()) ?? .insert
        pkMode = PrimaryKeyMode(rawValue: c.string("pk.mode", default: "none").lowercased()) ?? .none
        pkFields = c.list("pk.fields").filter { !$0.isEmpty }
        fieldsWhitelist = Set(c.list("fields.whitelist").filter { !$0.isEmpty })
        quoteIdentifiers = c.string("quote.sql.identifiers", default: "always").lowercased() != "never"
        let tz = c.string("db.timezone", default: "UTC")
        timeZone = JDBCConnectionKeys.timeZone(tz)
        maxRetries = max(0, c.int("max.retries"))
        retryBackoffMs = max(0, c.int("retry.backoff.ms"))
        toleratesErrors = (props["errors.tolerance"] ?? "none").lowercased() == "all"
    }

    /// The table a topic's records go to: `table.name.format` with `${topic}` replaced; `schema.table` is split so each
    /// part is quoted on its own.
    func tableName(for topic: String) -> SQLTableName {
        var name = SQLTableName(parsing: tableNameFormat.replacingOccurrences(of: "${topic}", with: "\u{0}"))
        name.name = name.name.replacingOccurrences(of: "\u{0}", with: topic)
        name.schema = name.schema?.replacingOccurrences(of: "\u{0}", with: topic)
        if !quoteIdentifiers && url.kind == .postgresql {  // unquoted names fold to lower case in PostgreSQL
            name.name = name.name.lowercased()
            name.schema = name.schema?.lowercased()
        }
        return name
    }

    /// A column name as the database will hold it (`quote.sql.identifiers=never` folds case on PostgreSQL, as the
    /// unquoted SQL of the original did; we still quote, so no name can change the statement).
    func columnName(_ name: String) -> String {
        !quoteIdentifiers && url.kind == .postgresql ? name.lowercased() : name
    }
}
