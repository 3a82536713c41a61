import SluiceAPI

/// `org.apache.kafka.connect.transforms.ReplaceField$Key` / `$Value`: drops (`exclude`), keeps only (`include`)
/// and renames (`renames=old:new,...`) top-level fields. The deprecated `blacklist`/`whitelist` keys still work;
/// when both spellings are set the new one wins, as Kafka's `translateDeprecatedConfigs` does.
public final class ReplaceField: FieldProgramTransformation, Sendable {
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
        ConfigKey(blacklistConfig, .list, default: .value(nil), importance: .low, doc: "Deprecated. Use exclude instead."),
        ConfigKey(includeConfig, .list, default: .value(""), importance: .medium,
                  doc: "Fields to include. If specified, only these fields will be used."),
        ConfigKey(whitelistConfig, .list, default: .value(nil), importance: .low, doc: "Deprecated. Use include instead."),
        ConfigKey(renamesConfig, .list, default: .value(""), validator: renamesValidator, importance: .medium,
                  doc: "Field rename mappings."),
        CommonConfig.replaceNullWithDefaultKey,
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

    final class Config: Sendable {
        let exclude: Set<String>
        let include: Set<String>
        let renames: [String: String]
        let replaceNullWithDefault: Bool

        init(exclude: Set<String>, include: Set<String>, renames: [String: String], replaceNullWithDefault: Bool = true) {
            self.replaceNullWithDefault = replaceNullWithDefault
            self.exclude = exclude
            self.include = include
            self.renames = renames
        }

        func keeps(_ name: String) -> Bool {
            !exclude.contains(name) && (include.isEmpty || include.contains(name))
        }
        func renamed(_ name: String) -> String { renames[name] ?? name }
    }

    /// Per input schema: the output schema and, for each output field, the input position it comes from.
    final class Plan: Sendable {
        let schema: Schema
        let sources: [(index: Int, defaultValue: Value?)]
        /// Every input field kept in its place (renames only): the value array is reused as is.
        let isIdentity: Bool
        /// Output positions whose null is replaced by the field's default (`Struct.get`).
        let defaults: [(index: Int, value: Value)]

        init(schema: Schema, sources: [(index: Int, defaultValue: Value?)], inputCount: Int) {
            self.schema = schema
            self.sources = sources
            self.isIdentity = sources.count == inputCount && sources.enumerated().allSatisfy { $0.offset == $0.element.index }
            self.defaults = sources.enumerated().compactMap { out, src in src.defaultValue.map { (index: out, value: $0) } }
        }
    }

    public let side: RecordSide
    private let state: ConfiguredState<Config>
    private let cache = SchemaCache<Plan>()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("ReplaceField$\(side.rawValue)")
    }

    /// A ReplaceField configured directly (used by ExtractNewRecordState's `drop.fields.header.name`).
    convenience init(_ side: RecordSide, exclude: [String]) {
        self.init(side)
        try? state.set(Config(exclude: Set(exclude), include: [], renames: [:]))
    }

    public func configure(_ configs: [String: String]) throws {
        let c = try ReplaceField.configDef.parse(configs)
        let exclude = configs[ReplaceField.excludeConfig] == nil && configs[ReplaceField.blacklistConfig] != nil
            ? c.list(ReplaceField.blacklistConfig) : c.list(ReplaceField.excludeConfig)
        let include = configs[ReplaceField.includeConfig] == nil && configs[ReplaceField.whitelistConfig] != nil
            ? c.list(ReplaceField.whitelistConfig) : c.list(ReplaceField.includeConfig)
        try state.set(Config(
            exclude: Set(exclude.filter { !$0.isEmpty }), include: Set(include.filter { !$0.isEmpty }),
            renames: try ReplaceField.parseRenames(c.list(ReplaceField.renamesConfig), key: ReplaceField.renamesConfig),
            replaceNullWithDefault: c.bool(CommonConfig.replaceNullWithDefault)))
    }

    /// Specialized for both record types: the runtime calls through `any Transformation`, which otherwise runs
    /// the unspecialized body (every record copy and field access through value witnesses).
    @_specialize(where R == SourceRecord)
    @_specialize(where R == SinkRecord)
    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        var out = record
        return try transform(&out) ? out : nil
    }

    public func applyInPlace(_ record: inout SourceRecord) throws -> Bool { try transform(&record) }
    public func applyInPlace(_ record: inout SinkRecord) throws -> Bool { try transform(&record) }

    @inline(__always)
    private func transform<R: ConnectRecord>(_ record: inout R) throws -> Bool {
        let c = try state.get()
        if side.isNull(in: record) { return true }
        if side == .value {
            record.valueSchema = try replace(c, schema: record.valueSchema, value: &record.value)
        } else {
            record.keySchema = try replace(c, schema: record.keySchema, value: &record.key)
        }
        return true
    }

    /// Replaces `value` (one side of a record, with that side's `schema`) by its reshaped copy; returns the new
    /// schema of that side (nil when schemaless).
    @inline(__always)
    private func replace(_ c: Config, schema: Schema?, value: inout Value) throws -> Schema? {
        guard let schema else {
            let entries = try Requirements.requireMap(value, ReplaceField.purpose)
            var out: [MapEntry] = []
            out.reserveCapacity(entries.count)
            for e in entries {
                guard let k = [MapEntry].keyString(e) else { out.append(e); continue }
                if c.keeps(k) { out.append(MapEntry(.string(c.renamed(k)), e.value)) }
            }
            value = .map(out)
            return nil
        }
        let s = try Requirements.takeStruct(&value, ReplaceField.purpose)
        try Requirements.requireLayout(s, schema, ReplaceField.purpose)
        let plan = self.plan(c, for: schema)
        var values: [Value]
        if plan.isIdentity {
            values = (consume s).values  // moved: rewritten in place only if a default replaces a null
        } else {
            values = []
            values.reserveCapacity(plan.sources.count)
            for src in plan.sources { values.append(s.values[src.index]) }
        }
        if c.replaceNullWithDefault {
            for d in plan.defaults where values[d.index].isNull { values[d.index] = d.value }
        }
        value = .structure(Struct(schema: plan.schema, values: values))
        return plan.schema
    }

    /// The output schema and field sources for struct schema `schema`, built once per schema.
    private func plan(_ c: Config, for schema: Schema) -> Plan {
        // The build cannot throw, so neither can the lookup.
        (try? cache.value(for: schema) {
            var b = SchemaUtil.copyBasics(schema, to: .structure)
            var sources: [(index: Int, defaultValue: Value?)] = []
            for f in schema.fields where c.keeps(f.name) {
                b.addField(c.renamed(f.name), f.schema)
                sources.append((f.index, f.schema.defaultValue))
            }
            return Plan(schema: b.build(), sources: sources, inputCount: schema.fields.count)
        })!
    }

    public var transformsKey: Bool { side == .key }

    public func fieldProgram(for schema: Schema) throws -> FieldProgram? {
        let c = try state.get()
        guard schema.type == .structure else { return nil }
        let plan = self.plan(c, for: schema)
        var conversions = [[FieldProgram.Conversion]](repeating: [], count: plan.sources.count)
        if c.replaceNullWithDefault {
            for d in plan.defaults {
                let value = d.value
                conversions[d.index] = [{ $0.isNull ? value : $0 }]
            }
        }
        return FieldProgram(schema: plan.schema, sources: plan.sources.map { .input($0.index) }, conversions: conversions)
    }
}
