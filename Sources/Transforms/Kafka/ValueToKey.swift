import SluiceAPI

/// `org.apache.kafka.connect.transforms.ValueToKey`: replaces the key with a struct (or map) of the listed value
/// fields — the usual way to give a keyless source record a key for compaction or upserts.
public final class ValueToKey: Transformation, Sendable {
    public static let fieldsConfig = "fields"
    static let purpose = "copying fields from value to key"

    public static let configDef = ConfigDef([
        ConfigKey(fieldsConfig, .list, default: .required, validator: TransformValidators.nonEmptyList,
                  importance: .high, doc: "Field names on the record value to extract as the record key.")
    ])

    private let state = ConfiguredState<[String]>("ValueToKey")
    private let cache = SchemaCache<Schema>()

    public init() {}

    public func configure(_ configs: [String: String]) throws {
        try state.set(try ValueToKey.configDef.parse(configs).list(ValueToKey.fieldsConfig))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let fields = try state.get()
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
        copy.key = .structure(Struct(schema: keySchema, values: try fields.map { try s.get($0) }))
        return copy
    }
}
