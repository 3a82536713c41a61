import SluiceAPI

/// `org.apache.kafka.connect.transforms.ExtractField$Key` / `$Value`: replaces the key or value with one of its
/// fields (a nested one with `field.syntax.version=V2`). Null values pass through.
public final class ExtractField: Transformation, Sendable {
    public static let fieldConfig = "field"
    public static let syntaxVersionConfig = "field.syntax.version"
    static let purpose = "field extraction"

    public static let configDef = ConfigDef([
        ConfigKey(fieldConfig, .string, default: .required, validator: TransformValidators.nonEmptyString,
                  importance: .medium, doc: "Field name to extract."),
        CommonConfig.replaceNullWithDefaultKey,
        ConfigKey(syntaxVersionConfig, .string, default: .value("V1"),
                  validator: .oneOf(["V1", "V2"], caseInsensitive: true), importance: .high,
                  doc: "Defines the version of the syntax to access fields. If set to `V1`, then the field paths are "
                    + "limited to access the elements at the root level of the struct or map. If set to `V2`, the "
                    + "syntax will support accessing nested elements. To access nested elements, dotted notation is "
                    + "used. If dots are already included in the field name, then backtick pairs can be used to wrap "
                    + "field names containing dots. E.g. to access the subfield `baz` from a field named \"foo.bar\" in a "
                    + "struct/map the following format can be used to access its elements: \"`foo.bar`.baz\"."),
    ])

    public let side: RecordSide
    struct Config: Sendable {
        let path: FieldPath
        let replaceNullWithDefault: Bool
    }

    private let state: ConfiguredState<Config>

    public init(_ side: RecordSide) {
        self.side = side
        self.state = ConfiguredState("ExtractField$\(side.rawValue)")
    }

    public func configure(_ configs: [String: String]) throws {
        let parsed = try ExtractField.configDef.parse(configs)
        let version = FieldPath.SyntaxVersion(rawValue: parsed.string(ExtractField.syntaxVersionConfig, default: "V1").uppercased()) ?? .v1
        do {
            try state.set(Config(path: try FieldPath(parsed.string(ExtractField.fieldConfig) ?? "", version: version),
                                 replaceNullWithDefault: parsed.bool(CommonConfig.replaceNullWithDefault)))
        } catch let e as ConnectError {
            throw ConnectError.invalidConfig(ExtractField.fieldConfig, parsed.string(ExtractField.fieldConfig), e.message)
        }
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let config = try state.get()
        let path = config.path
        let value = side.value(of: record)
        guard let schema = side.schema(of: record) else {
            guard let map = try Requirements.requireMapOrNull(value, ExtractField.purpose) else {
                return side.updating(record, schema: nil, value: .null)
            }
            return side.updating(record, schema: nil, value: try path.value(in: map))
        }
        let s = try Requirements.requireStructOrNull(value, ExtractField.purpose)
        guard let field = path.field(in: schema) else {
            throw ConnectError(.dataException, "Unknown field: \(path)")
        }
        let extracted = try s.map { try path.value(in: $0, defaults: config.replaceNullWithDefault) } ?? .null
        return side.updating(record, schema: field.schema, value: extracted)
    }
}
