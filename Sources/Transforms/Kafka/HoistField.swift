import SluiceAPI

/// `org.apache.kafka.connect.transforms.HoistField$Key` / `$Value`: wraps the key or value in a struct (or a map,
/// without a schema) with a single field `field`.
public final class HoistField: Transformation, Sendable {
    public static let fieldConfig = "field"

    public static let configDef = ConfigDef([
        ConfigKey(fieldConfig, .string, default: .required, validator: TransformValidators.nonEmptyString,
                  importance: .medium, doc: "Field name for the single field that will be created in the resulting Struct or Map.")
    ])

    public let side: RecordSide
    private let state: ConfiguredState<String>
    private let cache = SchemaCache<Schema>()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("HoistField$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        try state.set(try HoistField.configDef.parse(configs).string(HoistField.fieldConfig) ?? "")
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let field = try state.get()
        let value = side.value(of: record)
        guard let schema = side.schema(of: record) else {
            return side.updating(record, schema: nil, value: .map([MapEntry(.string(field), value)]))
        }
        let updated = try cache.schema(for: schema) { SchemaBuilder.struct().field(field, schema).build() }
        return side.updating(record, schema: updated, value: .structure(Struct(schema: updated, values: [value])))
    }
}
