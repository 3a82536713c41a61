import SluiceAPI

/// Debezium PostgreSQL connector configuration: every key of the spec with Debezium's defaults, declared once so it
/// drives parsing, REST validation and docs.
public struct PostgresConnectorConfig: Sendable {
    public static let snapshotModes = ["initial", "always", "never", "no_data", "initial_only", "when_needed"]
    public static let autocreateModes = ["all_tables", "disabled", "filtered", "no_tables"]

    public static let definition: ConfigDef = {
        func s(_ n: String, _ d: String?, _ doc: String, _ v: ConfigValidator? = nil, _ imp: ConfigImportance = .medium) -> ConfigKey {
            ConfigKey(n, .string, default: .value(d), validator: v, importance: imp, doc: doc)
        }
        func i(_ n: String, _ d: Int, _ doc: String, min: Double? = nil) -> ConfigKey {
            ConfigKey(n, .int, default: .value(String(d)), validator: .range(min: min), doc: doc)
        }
        func l(_ n: String, _ d: Int64, _ doc: String, min: Double? = 0) -> ConfigKey {
            ConfigKey(n, .long, default: .value(String(d)), validator: .range(min: min), doc: doc)
        }
        func b(_ n: String, _ d: Bool, _ doc: String) -> ConfigKey {
            ConfigKey(n, .boolean, default: .value(d ? "true" : "false"), doc: doc)
        }
        func list(_ n: String, _ doc: String) -> ConfigKey {
            ConfigKey(n, .list, default: .value(nil), validator: .regex, doc: doc)
        }
        return ConfigDef([
            s("database.hostname", nil, "PostgreSQL host.", nil, .high),
            i("database.port", 5432, "PostgreSQL port.", min: 1),
            s("database.user", nil, "User with REPLICATION and SELECT privileges.", nil, .high),
            ConfigKey("database.password", .password, default: .value(nil), importance: .high, doc: "Password of database.user."),
            s("database.dbname", nil, "The database to capture.", nil, .high),
            ConfigKey("topic.prefix", .string, default: .required, validator: .nonEmptyString, importance: .high,
                      doc: "Logical server name: prefix of every topic and the offset partition {\"server\": prefix}."),
            s("plugin.name", "pgoutput", "Logical decoding plugin; only pgoutput (built into PostgreSQL ≥ 10) is supported.",
              .oneOf(["pgoutput"])),
            s("slot.name", "debezium", "Replication slot name."),
            b("slot.drop.on.stop", false, "Drop the slot when the connector stops (tests only: WAL is lost)."),
            s("publication.name", "dbz_publication", "Publication the slot streams."),
            s("publication.autocreate.mode", "all_tables", "Create the publication when missing: all_tables, filtered (only the " +
              "captured tables), no_tables, or disabled.", .oneOf(autocreateModes)),
            s("snapshot.mode", "initial", "When to snapshot existing rows: initial, always, never/no_data, initial_only, when_needed.",
              .oneOf(snapshotModes)),
            i("snapshot.fetch.size", 10240, "Rows fetched per round trip during snapshots.", min: 1),
            list("schema.include.list", "Regexes of schemas to capture."),
            list("schema.exclude.list", "Regexes of schemas not to capture."),
            list("table.include.list", "Regexes of schema.table to capture."),
            list("table.exclude.list", "Regexes of schema.table not to capture."),
            list("column.include.list", "Regexes of schema.table.column to include."),
            list("column.exclude.list", "Regexes of schema.table.column to leave out."),
            s("message.key.columns", nil, "Key overrides: <table regex>:<col>,<col>;..."),
            s("decimal.handling.mode", "precise", "numeric as Decimal (precise), double or string.", .oneOf(["precise", "double", "string"])),
            s("time.precision.mode", "adaptive", "Temporal types: adaptive, adaptive_time_microseconds or connect.",
              .oneOf(["adaptive", "adaptive_time_microseconds", "connect"])),
            s("binary.handling.mode", "bytes", "bytea as bytes, base64, base64-url-safe or hex.",
              .oneOf(["bytes", "base64", "base64-url-safe", "hex"])),
            s("hstore.handling.mode", "json", "hstore as a JSON string or a map.", .oneOf(["json", "map"])),
            s("interval.handling.mode", "numeric", "interval as microseconds (numeric) or ISO-8601 string.", .oneOf(["numeric", "string"])),
            b("tombstones.on.delete", true, "Emit a null-value record after each delete (log compaction)."),
            ConfigKey("skipped.operations", .list, default: .value("t"), validator: .listOf(["c", "u", "d", "t", "none"]),
                      doc: "Operations not emitted: c, u, d, t, or none."),
            b("provide.transaction.metadata", false, "Emit BEGIN/END records on <prefix>.transaction and the transaction block."),
            i("max.batch.size", 2048, "Maximum records per poll.", min: 1),
            i("max.queue.size", 8192, "Maximum records buffered ahead of poll.", min: 1),
            l("poll.interval.ms", 500, "How long poll waits for changes before returning empty."),
            i("heartbeat.interval.ms", 0, "Heartbeat period (0 = off); heartbeats let the slot advance on idle databases.", min: 0),
            s("heartbeat.action.query", nil, "SQL run on each heartbeat (e.g. an update on a heartbeat table)."),
            i("status.update.interval.ms", 10000, "Standby status update period.", min: 1),
            s("signal.data.collection", nil, "Signal table (schema.table) for incremental snapshots."),
            i("incremental.snapshot.chunk.size", 1024, "Rows per incremental snapshot chunk.", min: 1),
            s("unavailable.value.placeholder", "__debezium_unavailable_value", "Value of unchanged TOAST columns."),
            b("include.unknown.datatypes", false, "Emit columns of unknown types as bytes instead of leaving them out."),
        ])
    }()

    public let parsed: ParsedConfig

    public init(_ props: [String: String]) throws { parsed = try Self.definition.parse(props) }

    public var serverName: String { parsed.string("topic.prefix") ?? "" }
    public var slotName: String { parsed.string("slot.name") ?? "debezium" }
    public var publicationName: String { parsed.string("publication.name") ?? "dbz_publication" }
    public var autocreateMode: String { parsed.string("publication.autocreate.mode") ?? "all_tables" }
    /// `never` is Debezium's older spelling of `no_data`.
    public var snapshotMode: String {
        let m = parsed.string("snapshot.mode") ?? "initial"
        return m == "never" ? "no_data" : m
    }
    public var database: String { parsed.string("database.dbname") ?? "postgres" }

    /// `signal.data.collection` as a table id (`schema.table`; a bare name is in `public`).
    public var signalTable: TableId? {
        guard let name = parsed.string("signal.data.collection")?.trimmingSpaces, !name.isEmpty else { return nil }
        guard let dot = name.firstIndex(of: ".") else { return TableId(schema: "public", table: name) }
        return TableId(schema: String(name[..<dot]), table: String(name[name.index(after: dot)...]))
    }

    public var chunkSize: Int { parsed.int("incremental.snapshot.chunk.size") }

    public var filter: TableFilter {
        TableFilter(schemaInclude: parsed.list("schema.include.list"), schemaExclude: parsed.list("schema.exclude.list"),
                    tableInclude: parsed.list("table.include.list"), tableExclude: parsed.list("table.exclude.list"),
                    columnInclude: parsed.list("column.include.list"), columnExclude: parsed.list("column.exclude.list"))
    }

    public var valueOptions: ValueConverterOptions {
        var o = ValueConverterOptions()
        o.decimalMode = .init(rawValue: parsed.string("decimal.handling.mode") ?? "") ?? .precise
        o.timePrecisionMode = .init(rawValue: parsed.string("time.precision.mode") ?? "") ?? .adaptive
        o.binaryMode = .init(rawValue: parsed.string("binary.handling.mode") ?? "") ?? .bytes
        o.hstoreMode = .init(rawValue: parsed.string("hstore.handling.mode") ?? "") ?? .json
        o.intervalMode = .init(rawValue: parsed.string("interval.handling.mode") ?? "") ?? .numeric
        o.unavailableValuePlaceholder = parsed.string("unavailable.value.placeholder") ?? o.unavailableValuePlaceholder
        o.includeUnknownDatatypes = parsed.bool("include.unknown.datatypes")
        return o
    }

    public var streamSettings: StreamSettings {
        var s = StreamSettings(serverName: serverName, database: database)
        s.tombstonesOnDelete = parsed.bool("tombstones.on.delete")
        s.skippedOperations = Set(parsed.list("skipped.operations").filter { $0 != "none" })
        s.provideTransactionMetadata = parsed.bool("provide.transaction.metadata")
        s.filter = filter
        s.messageKeyColumns = parsed.string("message.key.columns")
        s.valueOptions = valueOptions
        s.signalTable = signalTable
        return s
    }

    /// libpq connection parameters (keyword → value) for this config; `replication` adds `replication=database`.
    public func connectionParameters(replication: Bool) -> [(String, String)] {
        var p: [(String, String)] = [
            ("host", parsed.string("database.hostname") ?? "localhost"),
            ("port", String(parsed.int("database.port"))),
            ("dbname", database),
            ("application_name", "sluice-\(serverName)"),
            // Text output the converters parse: ISO dates, UTC, postgres-style intervals, hex bytea.
            ("options", "-c DateStyle=ISO -c TimeZone=UTC -c IntervalStyle=postgres -c bytea_output=hex -c extra_float_digits=3"),
        ]
        if let u = parsed.string("database.user") { p.append(("user", u)) }
        if let pw = parsed.password("database.password") { p.append(("password", pw)) }
        if replication { p.append(("replication", "database")) }
        return p
    }
}
