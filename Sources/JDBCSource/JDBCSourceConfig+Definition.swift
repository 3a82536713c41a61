import Foundation
import SQL
import SluiceAPI

extension JDBCSourceConfig {
    static let modes = Mode.allCases.map(\.rawValue)
    static let numericMappings = NumericMapping.allCases.map(\.rawValue)
    static let isolationModes = ["DEFAULT", "READ_UNCOMMITTED", "READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE",
        "SQL_SERVER_SNAPSHOT"]

    static let timestampInitialValidator = ConfigValidator("epoch milliseconds, -1 (now) or empty (all)") { key, v in
        guard let s = v.stringValue, !s.isEmpty else { return }
        guard let n = Int64(s), n >= -1 else {
            throw ConnectError.invalidConfig(key, s, "Expected epoch milliseconds, -1 for the current time, or no value")
        }
    }

    /// Every key of Confluent's `JdbcSourceConnectorConfig` 10.x with its default (`batch.max.rows` and
    /// `topic.prefix` as the spec says).
    static let definition: ConfigDef = {
        let db = "Database", mode = "Mode", conn = "Connector"
        var d = ConfigDef(JDBCConnectionKeys.definitions(group: db,
            attemptsDoc: "Maximum number of attempts to get a working connection before the task fails.",
            backoffDoc: "Wait between connection attempts, in milliseconds.") + [
            ConfigKey("table.whitelist", .list, default: .value(""), importance: .medium,
                doc: "Tables to copy (name, schema.name, quoted or not). Cannot be combined with table.blacklist.",
                group: db, orderInGroup: 6),
            ConfigKey("table.blacklist", .list, default: .value(""), importance: .medium,
                doc: "Tables not to copy. Cannot be combined with table.whitelist.", group: db, orderInGroup: 7),
            ConfigKey("table.include.list", .list, default: .value(""), validator: .regex, importance: .medium,
                doc: "Regular expressions matching the fully qualified names of tables to copy.", group: db,
                orderInGroup: 8),
            ConfigKey("table.exclude.list", .list, default: .value(""), validator: .regex, importance: .medium,
                doc: "Regular expressions matching the fully qualified names of tables not to copy.", group: db,
                orderInGroup: 9),
            ConfigKey("catalog.pattern", .string, default: .value(nil), importance: .medium,
                doc: "Catalog (database) name pattern for table discovery; MySQL databases are catalogs.", group: db,
                orderInGroup: 10),
            ConfigKey("schema.pattern", .string, default: .value(nil), importance: .medium,
                doc: "Schema name LIKE pattern for table discovery; empty means every schema the user can see.",
                group: db, orderInGroup: 11),
            ConfigKey("numeric.precision.mapping", .boolean, default: .value("false"), importance: .low,
                doc: "Deprecated: true means numeric.mapping=precision_only.", group: db, orderInGroup: 12),
            ConfigKey("numeric.mapping", .string, default: .value(nil),
                validator: .oneOf(numericMappings, caseInsensitive: true), importance: .low,
                doc: "How DECIMAL and NUMERIC columns map: none (Decimal), precision_only (integers when scale is 0), best_fit (integers or FLOAT64 when precision <= 18), best_fit_eager_double (FLOAT64 whenever scale > 0).",
                group: db, orderInGroup: 13, recommendedValues: numericMappings),
            ConfigKey("dialect.name", .string, default: .value(""), importance: .low,
                doc: "The database dialect; empty means chosen from the connection.url scheme.", group: db,
                orderInGroup: 14),
            ConfigKey("mode", .string, default: .required, validator: .oneOf(modes), importance: .high,
                doc: "bulk: the whole table each poll; incrementing: new rows by a strictly increasing column; timestamp: new and updated rows by a timestamp column; timestamp+incrementing: both, without duplicates or losses.",
                group: mode, orderInGroup: 1, recommendedValues: modes),
            ConfigKey("incrementing.column.name", .string, default: .value(""), importance: .medium,
                doc: "The strictly increasing column; empty means the table's auto-increment/serial/identity column.",
                group: mode, orderInGroup: 2),
            ConfigKey("timestamp.column.name", .list, default: .value(""), importance: .medium,
                doc: "Timestamp column(s); several are combined with COALESCE in the order given.", group: mode,
                orderInGroup: 3),
            ConfigKey("timestamp.initial", .long, default: .value(nil), validator: timestampInitialValidator,
                importance: .low, doc: "Epoch ms to start timestamp modes from when no offset exists; -1 = now; unset = all rows.",
                group: mode, orderInGroup: 4),
            ConfigKey("validate.non.null", .boolean, default: .value("true"), importance: .low,
                doc: "Refuse incrementing/timestamp columns that are nullable.", group: mode, orderInGroup: 5),
            ConfigKey("query", .string, default: .value(""), importance: .medium,
                doc: "A custom query instead of table discovery (one task; cannot be combined with table filters).",
                group: mode, orderInGroup: 6),
            ConfigKey("quote.sql.identifiers", .string, default: .value("always"),
                validator: .oneOf(["always", "never"], caseInsensitive: true), importance: .medium,
                doc: "Accepted for compatibility: Sluice always quotes the identifiers it sends.", group: mode,
                orderInGroup: 7),
            ConfigKey("query.suffix", .string, default: .value(""), importance: .low,
                doc: "Text appended to every generated query (e.g. a locking hint).", group: mode, orderInGroup: 8),
            ConfigKey("transaction.isolation.mode", .string, default: .value("DEFAULT"),
                validator: .oneOf(isolationModes, caseInsensitive: true), importance: .low,
                doc: "Isolation level of the source's queries; DEFAULT keeps the database's.", group: mode,
                orderInGroup: 9),
            ConfigKey("table.types", .list, default: .value("TABLE"), importance: .low,
                doc: "Table types to copy: TABLE, VIEW, MATERIALIZED VIEW...", group: conn, orderInGroup: 1),
            ConfigKey("poll.interval.ms", .int, default: .value("5000"), validator: .range(min: 0), importance: .high,
                doc: "Wait between two queries of the same table, in milliseconds.", group: conn, orderInGroup: 2),
            ConfigKey("batch.max.rows", .int, default: .value("1000"), validator: .range(min: 1), importance: .low,
                doc: "Most rows returned by one poll; the rest of a result is read by the next polls.", group: conn,
                orderInGroup: 3),
            ConfigKey("table.poll.interval.ms", .long, default: .value("60000"), validator: .range(min: 0),
                importance: .low, doc: "How often to look for new or dropped tables.", group: conn, orderInGroup: 4),
            ConfigKey("topic.prefix", .string, default: .value(""), importance: .high,
                doc: "Prefix of topic names (table mode: prefix + table; query mode: the whole topic name).",
                group: conn, orderInGroup: 5),
            ConfigKey("timestamp.delay.interval.ms", .long, default: .value("0"), validator: .range(min: 0),
                importance: .high, doc: "How long after a row's timestamp before it is read, to let slower transactions commit.",
                group: conn, orderInGroup: 6),
            ConfigKey("db.timezone", .string, default: .value("UTC"), validator: JDBCConnectionKeys.timeZoneValidator, importance: .medium,
                doc: "Time zone of timestamp columns without zone (TIMESTAMP, DATETIME).", group: conn,
                orderInGroup: 7),
        ])
        d.addCrossCheck { c in crossCheck(c) }
        return d
    }()

    /// Checks across keys that need no database: filters vs query, conflicting filter styles, missing timestamp
    /// columns. Column existence and auto-detection are checked by the connector's `validate` (it connects).
    static func crossCheck(_ c: ParsedConfig) -> [(key: String, message: String)] {
        var problems: [(key: String, message: String)] = []
        let has = { (k: String) in !c.list(k).filter { !$0.isEmpty }.isEmpty }
        let query = c.string("query") ?? ""
        if !query.isEmpty {
            for k in ["table.whitelist", "table.blacklist", "table.include.list", "table.exclude.list"] where has(k) {
                problems.append(("query",
                    "Invalid value for configuration query: a custom query cannot be combined with \(k) (remove one of them)"))
            }
        }
        if has("table.whitelist") && has("table.blacklist") {
            problems.append(("table.blacklist",
                "Invalid value for configuration table.blacklist: table.whitelist and table.blacklist cannot both be set"))
        }
        if (has("table.include.list") || has("table.exclude.list")) && (has("table.whitelist") || has("table.blacklist")) {
            problems.append(("table.include.list",
                "Invalid value for configuration table.include.list: table.include.list/table.exclude.list cannot be mixed with table.whitelist/table.blacklist"))
        }
        let mode = Mode(rawValue: (c.string("mode") ?? "").lowercased())
        if let mode, mode.usesTimestamp, !has("timestamp.column.name") {
            problems.append(("timestamp.column.name",
                "Missing required configuration timestamp.column.name: mode \(mode.rawValue) needs at least one timestamp column"))
        }
        if let mode, mode.usesIncrementing, !query.isEmpty, (c.string("incrementing.column.name") ?? "").isEmpty {
            problems.append(("incrementing.column.name",
                "Missing required configuration incrementing.column.name: mode \(mode.rawValue) with a custom query cannot auto-detect the incrementing column"))
        }
        return problems
    }
}
