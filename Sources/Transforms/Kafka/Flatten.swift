import JavaCompat
import SluiceAPI

/// `org.apache.kafka.connect.transforms.Flatten$Key` / `$Value`: flattens nested structs (or maps, without a schema)
/// into one level, joining names with `delimiter`. A field under an optional parent becomes optional; arrays and
/// maps are kept as they are.
public final class Flatten: Transformation, Sendable {
    public static let delimiterConfig = "delimiter"
    static let purpose = "flattening"

    public static let configDef = ConfigDef([
        ConfigKey(delimiterConfig, .string, default: .value("."), importance: .medium,
                  doc: "Delimiter to insert between field names from the input record when generating field names for the output record")
    ])

    public let side: RecordSide
    private let state: ConfiguredState<String>
    private let cache = SchemaCache<Schema>()

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("Flatten$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        let parsed = try Flatten.configDef.parse(configs)
        // The raw text: a delimiter may be whitespace, which config parsing would trim.
        try state.set(configs[Flatten.delimiterConfig] ?? parsed.string(Flatten.delimiterConfig, default: "."))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let delimiter = try state.get()
        let value = side.value(of: record)
        if value.isNull { return record }
        guard let schema = side.schema(of: record) else {
            var out: [MapEntry] = []
            try flattenMap(try Requirements.requireMap(value, Flatten.purpose), prefix: "", delimiter, into: &out)
            return side.updating(record, schema: nil, value: .map(out))
        }
        let s = try Requirements.requireStruct(value, Flatten.purpose)
        let updated = try cache.schema(for: schema) {
            var b = SchemaUtil.copyBasics(schema, to: .structure)
            try buildSchema(schema, prefix: "", delimiter, optional: schema.isOptional, parentDefault: schema.defaultValue?.structValue, into: &b)
            return b.build()
        }
        var values: [Value] = []
        values.reserveCapacity(updated.fields.count)
        try flattenStruct(s, schema: schema, into: &values)
        return side.updating(record, schema: updated, value: .structure(Struct(schema: updated, values: values)))
    }

    private func name(_ prefix: String, _ field: String, _ delimiter: String) -> String {
        prefix.isEmpty ? field : prefix + delimiter + field
    }

    private func flattenMap(_ entries: [MapEntry], prefix: String, _ delimiter: String, into out: inout [MapEntry]) throws {
        for e in entries {
            let key = name(prefix, [MapEntry].keyString(e) ?? JavaText.toString(e.key), delimiter)
            switch e.value {
            case .map(let nested): try flattenMap(nested, prefix: key, delimiter, into: &out)
            case .structure:
                throw ConnectError(.dataException,
                    "Flatten transformation does not support Struct for record without schemas (for field \(key)).")
            default: out.set(key, e.value)
            }
        }
    }

    private func buildSchema(
        _ schema: Schema, prefix: String, _ delimiter: String, optional: Bool, parentDefault: Struct?,
        into b: inout SchemaBuilder
    ) throws {
        for f in schema.fields {
            let fieldName = name(prefix, f.name, delimiter)
            let fieldOptional = optional || f.schema.isOptional
            let fieldDefault = f.schema.defaultValue ?? parentDefault.map { $0.values[f.index] }
            if f.schema.type == .structure {
                try buildSchema(f.schema, prefix: fieldName, delimiter, optional: fieldOptional,
                                parentDefault: fieldDefault?.structValue, into: &b)
                continue
            }
            if fieldOptional == f.schema.isOptional && fieldDefault == f.schema.defaultValue {
                b.addField(fieldName, f.schema)
            } else {
                var fb = SchemaUtil.copyBasics(f.schema)
                fb.isOptional = fieldOptional
                fb.defaultValue = fieldDefault.flatMap { $0.isNull ? nil : $0 }
                b.addField(fieldName, fb.build())
            }
        }
    }

    private func flattenStruct(_ s: Struct?, schema: Schema, into values: inout [Value]) throws {
        if let s { try Requirements.requireLayout(s, schema, Flatten.purpose) }
        for f in schema.fields {
            if f.schema.type == .structure {
                try flattenStruct(s?.values[f.index].structValue, schema: f.schema, into: &values)
            } else {
                values.append(s?.values[f.index] ?? .null)
            }
        }
    }
}
