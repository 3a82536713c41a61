import SluiceAPI

/// `org.apache.kafka.connect.transforms.ValueToKey`: replaces the key with a struct (or map) of the listed value
/// fields — the usual way to give a keyless source record a key for compaction or upserts.
public final class ValueToKey: Transformation, Sendable {
    public static let fieldsConfig = "fields"
    static let purpose = "copying fields from value to key"

    public static let configDef = ConfigDef([
        ConfigKey(fieldsConfig, .list, default: .required, validator: TransformValidators.nonEmptyList,
                  importance: .high, doc: "Field names on the record value to extract as the record key."),
        CommonConfig.replaceNullWithDefaultKey,
    ])

    struct Config: Sendable {
        let fields: [String]
        let replaceNullWithDefault: Bool
    }

    private let state = ConfiguredState<Config>("ValueToKey")
    private let cache = SchemaCache<Schema>()

    public init() {}

    public func configure(_ configs: [String: String]) throws {
        let c = try ValueToKey.configDef.parse(configs)
        try state.set(Config(fields: c.list(ValueToKey.fieldsConfig), replaceNullWithDefault: c.bool(CommonConfig.replaceNullWithDefault)))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let config = try state.get()
        let fields = config.fields
        var copy = record
        guard let schema = record.valueSchema else {
            let entries = try Requirements.requireMap(record.value, ValueToKey.purpose)
            copy.keySchema = nil
            copy.key = .map(fields.map { MapEntry(.string($0), entries.value(forKey: $0) ?? .null) })
            return copy
        }
        let s = try Requirements.requireStruct(record.value, ValueToKey.purpose)
        let keySchema = try cache.schema(for: schema) {
            var b = SchemaBuilder.struct()
            for name in fields {
                guard let f = schema.field(name) else {
                    throw ConnectError(.dataException, "Field does not exist: \(name)")
                }
                b.addField(name, f.schema)
            }
            return b.build()
        }
        copy.keySchema = keySchema
        for name in fields where s.schema.field(name) == nil {
            throw ConnectError(.dataException, "\(name) is not a valid field name")
        }
        copy.key = .structure(Struct(schema: keySchema, values: fields.map { s.value($0, defaults: config.replaceNullWithDefault) }))
        return copy
    }
}
