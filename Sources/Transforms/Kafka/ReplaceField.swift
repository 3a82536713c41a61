import SluiceAPI

/// `org.apache.kafka.connect.transforms.ReplaceField$Key` / `$Value`: drops (`exclude`), keeps only (`include`)
/// and renames (`renames=old:new,...`) top-level fields. The deprecated `blacklist`/`whitelist` keys still work;
/// when both spellings are set the new one wins, as Kafka's `translateDeprecatedConfigs` does.
public final class ReplaceField: Transformation, Sendable {
    public static let excludeConfig = "exclude"
    public static let includeConfig = "include"
    public static let renamesConfig = "renames"
    public static let blacklistConfig = "blacklist"
    public static let whitelistConfig = "whitelist"
    static let purpose = "field replacement"

    static let renamesValidator = ConfigValidator("list of colon-delimited pairs, e.g. foo:bar,abc:xyz") { key, v in
        _ = try parseRenames(v.listValue ?? [], key: key)
    }

    public static let configDef = ConfigDef([
        ConfigKey(excludeConfig, .list, default: .value(""), importance: .medium,
                  doc: "Fields to exclude. This takes precedence over the fields to include."),
        ConfigKey(includeConfig, .list, default: .value(""), importance: .medium,
                  doc: "Fields to include. If specified, only these fields will be used."),
        ConfigKey(renamesConfig, .list, default: .value(""), validator: renamesValidator, importance: .medium,
                  doc: "Field rename mappings."),
        ConfigKey(blacklistConfig, .list, default: .value(nil), importance: .low, doc: "Deprecated. Use exclude instead."),
        ConfigKey(whitelistConfig, .list, default: .value(nil), importance: .low, doc: "Deprecated. Use include instead."),
    ])

    static func parseRenames(_ mappings: [String], key: String) throws -> [String: String] {
        var m: [String: String] = [:]
        for mapping in mappings where !mapping.isEmpty {
            let parts = mapping.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw ConnectError.invalidConfig(key, mappings.joined(separator: ","), "Invalid rename mapping: \(mapping)")
            }
            m[String(parts[0])] = String(parts[1])
        }
        return m
    }

    struct Config: Sendable {
        var exclude: Set<String>
        var include: Set<String>
        var renames: [String: String]

        func keeps(_ name: String) -> Bool {
            !exclude.contains(name) && (include.isEmpty || include.contains(name))
        }
        func renamed(_ name: String) -> String { renames[name] ?? name }
    }

    public let side: RecordSide
    private let state: ConfiguredState<Config>
    private let cache = SchemaCache()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("ReplaceField$\(side.rawValue)")
    }

    /// A ReplaceField configured directly (used by ExtractNewRecordState's `drop.fields.header.name`).
    convenience init(_ side: RecordSide, exclude: [String]) {
        self.init(side)
        state.set(Config(exclude: Set(exclude), include: [], renames: [:]))
    }

    public func configure(_ configs: [String: String]) throws {
        let c = try ReplaceField.configDef.parse(configs)
        let exclude = configs[ReplaceField.excludeConfig] == nil && configs[ReplaceField.blacklistConfig] != nil
            ? c.list(ReplaceField.blacklistConfig) : c.list(ReplaceField.excludeConfig)
        let include = configs[ReplaceField.includeConfig] == nil && configs[ReplaceField.whitelistConfig] != nil
            ? c.list(ReplaceField.whitelistConfig) : c.list(ReplaceField.includeConfig)
        state.set(Config(
            exclude: Set(exclude.filter { !$0.isEmpty }), include: Set(include.filter { !$0.isEmpty }),
            renames: try ReplaceField.parseRenames(c.list(ReplaceField.renamesConfig), key: ReplaceField.renamesConfig)))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let c = try state.get()
        let value = side.value(of: record)
        if value.isNull { return record }
        guard let schema = side.schema(of: record) else {
            let entries = try Requirements.requireMap(value, ReplaceField.purpose)
            var out: [MapEntry] = []
            out.reserveCapacity(entries.count)
            for e in entries {
                guard let k = [MapEntry].keyString(e) else { out.append(e); continue }
                if c.keeps(k) { out.append(MapEntry(.string(c.renamed(k)), e.value)) }
            }
            return side.updating(record, schema: nil, value: .map(out))
        }
        let s = try Requirements.requireStruct(value, ReplaceField.purpose)
        let updated = try cache.schema(for: schema) {
            var b = SchemaUtil.copyBasics(schema, to: .structure)
            for f in schema.fields where c.keeps(f.name) { b.addField(c.renamed(f.name), f.schema) }
            return b.build()
        }
        var values: [Value] = []
        values.reserveCapacity(updated.fields.count)
        for f in schema.fields where c.keeps(f.name) {
            let v = s.values[f.index]
            values.append(v.isNull ? (f.schema.defaultValue ?? .null) : v)
        }
        return side.updating(record, schema: updated, value: .structure(Struct(schema: updated, values: values)))
    }
}
