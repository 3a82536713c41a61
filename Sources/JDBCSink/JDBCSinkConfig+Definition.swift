import Foundation
import SQL
import SluiceAPI

extension JDBCSinkConfig {
    static let insertModes = ["insert", "upsert", "update"]
    static let pkModes = ["none", "kafka", "record_key", "record_value"]

    /// Every key of Confluent's `JdbcSinkConfig` 10.x with its default.
    static let definition: ConfigDef = {
        let conn = "Connection", writes = "Writes", ddl = "DDL Support", mapping = "Data Mapping", retries = "Retries"
        var d = ConfigDef(JDBCConnectionKeys.definitions(group: conn,
            attemptsDoc: "Maximum number of attempts to retrieve a valid JDBC connection.",
            backoffDoc: "Backoff time in milliseconds between connection attempts.") + [
            ConfigKey("dialect.name", .string, default: .value(""), importance: .low,
                doc: "The database dialect; empty means chosen from the connection.url scheme.", group: conn,
                orderInGroup: 6),
            ConfigKey("insert.mode", .string, default: .value("insert"), validator: .oneOf(insertModes, caseInsensitive: true),
                importance: .high, doc: "insert: plain INSERT; upsert: insert or update on key conflict; update: UPDATE by key.",
                group: writes, orderInGroup: 1, recommendedValues: insertModes),
            ConfigKey("batch.size", .int, default: .value("3000"), validator: .range(min: 0), importance: .medium,
                doc: "How many records to write together, when possible.", group: writes, orderInGroup: 2),
            ConfigKey("delete.enabled", .boolean, default: .value("false"), importance: .medium,
                doc: "Whether to treat null record values as deletes. Requires pk.mode=record_key.", group: writes,
                orderInGroup: 3),
            ConfigKey("table.types", .list, default: .value("TABLE"), importance: .low,
                doc: "The table types the sink may write to (TABLE, VIEW).", group: writes, orderInGroup: 4),
            ConfigKey("table.name.format", .string, default: .value("${topic}"), importance: .medium,
                doc: "Destination table name format; ${topic} is replaced by the record's topic.", group: mapping,
                orderInGroup: 1),
            ConfigKey("pk.mode", .string, default: .value("none"), validator: .oneOf(pkModes, caseInsensitive: true),
                importance: .high,
                doc: "none: no keys; kafka: __connect_topic/__connect_partition/__connect_offset; record_key: fields of the record key; record_value: fields of the record value.",
                group: mapping, orderInGroup: 2, recommendedValues: pkModes),
            ConfigKey("pk.fields", .list, default: .value(""), importance: .medium,
                doc: "Primary key field names (meaning depends on pk.mode).", group: mapping, orderInGroup: 3),
            ConfigKey("fields.whitelist", .list, default: .value(""), importance: .medium,
                doc: "Record value fields to write; empty means all.", group: mapping, orderInGroup: 4),
            ConfigKey("db.timezone", .string, default: .value("UTC"), validator: JDBCConnectionKeys.timeZoneValidator, importance: .medium,
                doc: "Time zone in which Time and Timestamp values are written (as wall-clock time).", group: mapping,
                orderInGroup: 5),
            ConfigKey("date.timezone", .string, default: .value("DB_TIMEZONE"), validator: .oneOf(["DB_TIMEZONE", "UTC"]),
                importance: .low, doc: "Time zone for Date values; dates are calendar days and written unchanged.",
                group: mapping, orderInGroup: 6),
            ConfigKey("auto.create", .boolean, default: .value("false"), importance: .medium,
                doc: "Create missing tables (CREATE TABLE) from the record schema.", group: ddl, orderInGroup: 1),
            ConfigKey("auto.evolve", .boolean, default: .value("false"), importance: .medium,
                doc: "Add missing columns (ALTER TABLE ADD) for new optional fields or fields with defaults.", group: ddl,
                orderInGroup: 2),
            ConfigKey("quote.sql.identifiers", .string, default: .value("always"),
                validator: .oneOf(["always", "never"], caseInsensitive: true), importance: .medium,
                doc: "always: names are used as written; never: names fold as unquoted SQL would (lower case in PostgreSQL). Names are always quoted in the SQL Sluice sends.",
                group: ddl, orderInGroup: 3),
            ConfigKey("mssql.use.merge.holdlock", .boolean, default: .value("true"), importance: .low,
                doc: "SQL Server only; accepted for compatibility.", group: ddl, orderInGroup: 4),
            ConfigKey("max.retries", .int, default: .value("10"), validator: .range(min: 0), importance: .medium,
                doc: "Retries on retriable database errors before the task fails.", group: retries, orderInGroup: 1),
            ConfigKey("retry.backoff.ms", .int, default: .value("3000"), validator: .range(min: 0), importance: .medium,
                doc: "Wait before retrying after a retriable error.", group: retries, orderInGroup: 2),
            ConfigKey("trim.sensitive.log", .boolean, default: .value("false"), importance: .low,
                doc: "Accepted for compatibility; Sluice never logs record values in SQL errors.", group: retries,
                orderInGroup: 3),
        ])
        d.addCrossCheck { c in
            var problems: [(key: String, message: String)] = []
            let pk = (c.string("pk.mode") ?? "none").lowercased()
            if c.bool("delete.enabled") && pk != "record_key" {
                problems.append(("delete.enabled",
                    "Invalid value true for configuration delete.enabled: Deletes are only supported for pk.mode record_key (pk.mode is \(pk))"))
            }
            let mode = (c.string("insert.mode") ?? "insert").lowercased()
            if mode != "insert" && pk == "none" {
                problems.append(("pk.mode",
                    "Invalid value none for configuration pk.mode: insert.mode=\(mode) needs a primary key (pk.mode kafka, record_key or record_value)"))
            }
            if pk == "kafka" {
                let fields = c.list("pk.fields").filter { !$0.isEmpty }
                if !fields.isEmpty && fields.count != 3 {
                    problems.append(("pk.fields",
                        "Invalid value \(fields.joined(separator: ",")) for configuration pk.fields: pk.mode=kafka needs exactly 3 names (topic, partition, offset columns) or none"))
                }
            }
            return problems
        }
        return d
    }()
}
