import SluiceAPI

/// `org.apache.kafka.connect.transforms.MaskField$Key` / `$Value`: replaces the listed fields with the "empty"
/// value of their type (0, false, "", empty bytes/array/map, epoch for dates), or with `replacement` for numeric
/// and string fields.
public final class MaskField: Transformation, Sendable {
    public static let fieldsConfig = "fields"
    public static let replacementConfig = "replacement"
    static let purpose = "mask fields"

    public static let configDef = ConfigDef([
        ConfigKey(fieldsConfig, .list, default: .required, validator: TransformValidators.nonEmptyList,
                  importance: .high, doc: "Names of fields to mask."),
        ConfigKey(replacementConfig, .string, default: .value(nil), validator: TransformValidators.nonEmptyString,
                  importance: .low,
                  doc: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only)."),
        CommonConfig.replaceNullWithDefaultKey,
    ])

    struct Config: Sendable {
        var fields: Set<String>
        var order: [String]
        var replacement: String?
    }

    public let side: RecordSide
    private let state: ConfiguredState<Config>

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("MaskField$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        let c = try MaskField.configDef.parse(configs)
        let list = c.list(MaskField.fieldsConfig)
        try state.set(Config(fields: Set(list), order: list, replacement: c.string(MaskField.replacementConfig)))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let config = try state.get()
        let value = side.value(of: record)
        if value.isNull { return record }
        guard let schema = side.schema(of: record) else {
            var entries = try Requirements.requireMap(value, MaskField.purpose)
            for field in config.order {
                entries.set(field, try masked(entries.value(forKey: field) ?? .null, schema: nil, config.replacement))
            }
            return side.updating(record, schema: nil, value: .map(entries))
        }
        var s = try Requirements.requireStruct(value, MaskField.purpose)
        for f in s.schema.fields where config.fields.contains(f.name) {
            s[f.index] = try masked(try s.get(f.name), schema: f.schema, config.replacement)
        }
        return side.updating(record, schema: schema, value: .structure(s))
    }

    private func masked(_ value: Value, schema: Schema?, _ replacement: String?) throws -> Value {
        if value.isNull { return .null }
        guard let replacement else { return try MaskField.empty(value, schema) }
        func bad() -> ConnectError {
            ConnectError(.dataException, "Unable to convert \(replacement) (\(value.kindName)) to number")
        }
        switch value {
        case .string: return .string(replacement)
        case .int8: guard let v = Int8(replacement) else { throw bad() }; return .int8(v)
        case .int16: guard let v = Int16(replacement) else { throw bad() }; return .int16(v)
        case .int32: guard let v = Int32(replacement) else { throw bad() }; return .int32(v)
        case .int64: guard let v = Int64(replacement) else { throw bad() }; return .int64(v)
        case .float32: guard let v = CastConversion.javaParseDouble(replacement) else { throw bad() }; return .float32(Float(v))
        case .float64: guard let v = CastConversion.javaParseDouble(replacement) else { throw bad() }; return .float64(v)
        case .decimal(let d):
            guard let parsed = ConnectDecimal(replacement) else { throw bad() }
            // Keep the schema's scale so the value still serializes under it.
            return .decimal(parsed.rescaled(to: d.scale) ?? parsed)
        default:
            throw ConnectError(.dataException, "Cannot mask value of type \(value.kindName) with custom replacement.")
        }
    }

    /// The "null-equivalent" of each type (`MaskField.PRIMITIVE_VALUE_MAPPING`).
    static func empty(_ value: Value, _ schema: Schema?) throws -> Value {
        switch value {
        case .boolean: return .boolean(false)
        case .int8: return .int8(0)
        case .int16: return .int16(0)
        case .int32: return .int32(0)
        case .int64: return .int64(0)
        case .float32: return .float32(0)
        case .float64: return .float64(0)
        case .string: return .string("")
        case .bytes: return .bytes([])
        case .decimal(let d): return .decimal(ConnectDecimal(unscaled: 0, scale: d.scale))
        case .array: return .array([])
        case .map: return .map([])
        case .structure: throw ConnectError(.dataException, "Cannot mask value of type: Struct")
        case .null: return .null
        }
    }
}
