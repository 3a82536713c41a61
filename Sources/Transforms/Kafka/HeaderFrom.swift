import SluiceAPI

/// `org.apache.kafka.connect.transforms.HeaderFrom$Key` / `$Value`: copies or moves fields of the key or value
/// into headers (`fields[i]` → header `headers[i]`), with the field's schema.
public final class HeaderFrom: Transformation, Sendable {
    public static let fieldsConfig = "fields"
    public static let headersConfig = "headers"
    public static let operationConfig = "operation"
    static let purpose = "header field extraction"

    public static let configDef: ConfigDef = {
        var d = ConfigDef([
            ConfigKey(fieldsConfig, .list, default: .required, validator: TransformValidators.nonEmptyList,
                      importance: .high, doc: "Field names in the record whose values are to be copied or moved to headers."),
            ConfigKey(headersConfig, .list, default: .required, validator: TransformValidators.nonEmptyList,
                      importance: .high, doc: "Header names, in the same order as the field names listed in the fields configuration property."),
            ConfigKey(operationConfig, .string, default: .required, validator: .oneOf(["move", "copy"]),
                      importance: .high, doc: "Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value)."),
            CommonConfig.replaceNullWithDefaultKey,
        ])
        d.addCrossCheck { c in
            c.list(fieldsConfig).count == c.list(headersConfig).count ? []
                : [(headersConfig, "'fields' config must have the same number of elements as 'headers' config.")]
        }
        return d
    }()

    struct Config: Sendable {
        var pairs: [(field: String, header: String)]
        var move: Bool
        var replaceNullWithDefault: Bool
    }

    public let side: RecordSide
    private let state: ConfiguredState<Config>
    /// Per input schema (move only): the schema without the moved fields, and the positions that stay.
    final class Plan: Sendable {
        let schema: Schema
        let kept: [Int]

        init(schema: Schema, kept: [Int]) {
            self.schema = schema
            self.kept = kept
        }
    }

    private let cache = SchemaCache<Plan>()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("HeaderFrom$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        let c = try HeaderFrom.configDef.parse(configs)
        let pairs = zip(c.list(HeaderFrom.fieldsConfig), c.list(HeaderFrom.headersConfig)).map { (field: $0, header: $1) }
        try state.set(Config(pairs: pairs, move: c.string(HeaderFrom.operationConfig) == "move",
                             replaceNullWithDefault: c.bool(CommonConfig.replaceNullWithDefault)))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let config = try state.get()
        let value = side.value(of: record)
        if value.isNull { return record }
        var out = record
        guard let schema = side.schema(of: record) else {
            var entries = try Requirements.requireMap(value, HeaderFrom.purpose)
            for p in config.pairs {
                out.headers.add(p.header, schema: nil, value: entries.value(forKey: p.field) ?? .null)
            }
            if config.move {
                for p in config.pairs { entries.removeKey(p.field) }
                out = side.updating(out, schema: nil, value: .map(entries))
            }
            return out
        }
        let s = try Requirements.requireStruct(value, HeaderFrom.purpose)
        try Requirements.requireLayout(s, schema, HeaderFrom.purpose)
        for p in config.pairs {
            guard let f = schema.field(p.field) else {
                throw ConnectError(.dataException, "\(p.field) is not a valid field name")
            }
            out.headers.add(p.header, schema: f.schema, value: s.value(p.field, defaults: config.replaceNullWithDefault))
        }
        guard config.move else { return out }
        let plan = try cache.value(for: schema) {
            let moved = Set(config.pairs.map(\.field))
            var b = SchemaUtil.copyBasics(schema, to: .structure)
            var kept: [Int] = []
            for f in schema.fields where !moved.contains(f.name) {
                b.addField(f.name, f.schema)
                kept.append(f.index)
            }
            return Plan(schema: b.build(), kept: kept)
        }
        let updated = plan.schema
        let values = plan.kept.map { s.values[$0] }
        return side.updating(out, schema: updated, value: .structure(Struct(schema: updated, values: values)))
    }
}
