import SluiceAPI

/// `org.apache.kafka.connect.transforms.SetSchemaMetadata$Key` / `$Value`: sets the name and/or version of the
/// key or value schema (e.g. so a schema registry subject or a sink's table mapping sees a stable name).
public final class SetSchemaMetadata: Transformation, Sendable {
    public static let nameConfig = "schema.name"
    public static let versionConfig = "schema.version"

    public static let configDef: ConfigDef = {
        var d = ConfigDef([
            ConfigKey(nameConfig, .string, default: .value(nil), importance: .high, doc: "Schema name to set."),
            ConfigKey(versionConfig, .int, default: .value(nil), importance: .high, doc: "Schema version to set."),
            CommonConfig.replaceNullWithDefaultKey,
        ])
        d.addCrossCheck { c in
            c.string(nameConfig) == nil && c.string(versionConfig) == nil
                ? [(nameConfig, "Neither schema name nor version configured: set schema.name and/or schema.version")] : []
        }
        return d
    }()

    struct Config: Sendable {
        var name: String?
        var version: Int32?
        var replaceNullWithDefault: Bool
    }

    public let side: RecordSide
    private let state: ConfiguredState<Config>
    private let cache = SchemaCache<Schema>()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("SetSchemaMetadata$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        let c = try SetSchemaMetadata.configDef.parse(configs)
        let version: Int32? = c.string(SetSchemaMetadata.versionConfig) == nil ? nil : Int32(c.int(SetSchemaMetadata.versionConfig))
        try state.set(Config(name: c.string(SetSchemaMetadata.nameConfig), version: version,
                             replaceNullWithDefault: c.bool(CommonConfig.replaceNullWithDefault)))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let c = try state.get()
        // Kafka 3.9 passes a null key/value (a tombstone, a keyless record) through untouched; a non-null value
        // without a schema fails the task.
        if side.value(of: record).isNull { return record }
        let schema = try Requirements.requireSchema(side.schema(of: record), "updating schema metadata")
        let updated = try cache.schema(for: schema) {
            Schema(
                type: schema.type, isOptional: schema.isOptional, defaultValue: schema.defaultValue,
                name: c.name ?? schema.name, version: c.version ?? schema.version, doc: schema.doc,
                parameters: schema.parameters, fields: schema.fields.map { ($0.name, $0.schema) },
                keySchema: schema.keySchema, valueSchema: schema.valueSchema)
        }
        var value = side.value(of: record)
        if case .structure(let s) = value {
            var values = s.values
            if c.replaceNullWithDefault {
                for f in s.schema.fields where values[f.index].isNull {
                    if let d = f.schema.defaultValue { values[f.index] = d }
                }
            }
            value = .structure(Struct(schema: updated, values: values))
        }
        return side.updating(record, schema: updated, value: value)
    }
}
