import SluiceAPI

/// JsonConverter's settings (`org.apache.kafka.connect.json.JsonConverterConfig`), declared once so the same
/// definition parses worker properties and answers REST validation.
public struct JsonConverterConfig: Sendable {
    /// How Decimal values are written: base64 of the unscaled two's-complement bytes, or a JSON number.
    public enum DecimalFormat: String, Sendable {
        case base64 = "BASE64"
        case numeric = "NUMERIC"
    }

    public static let schemasEnableConfig = "schemas.enable"
    public static let schemasCacheSizeConfig = "schemas.cache.size"
    public static let decimalFormatConfig = "decimal.format"
    public static let replaceNullWithDefaultConfig = "replace.null.with.default"

    public var schemasEnabled = true
    public var schemaCacheSize = 1000
    public var decimalFormat = DecimalFormat.base64
    public var replaceNullWithDefault = true
    public var type = ConverterType.value

    public init() {}

    /// The keys Kafka 3.9 declares, with its defaults, groups and documentation.
    public static let configDef: ConfigDef = ConverterConfig.baseConfigDef.merging(ConfigDef([
        ConfigKey(
            schemasEnableConfig, .boolean, default: .value("true"), importance: .high,
            doc: "Include schemas within each of the serialized values and keys.", group: "Schemas", orderInGroup: 0,
            width: .medium, displayName: "Enable Schemas"),
        ConfigKey(
            schemasCacheSizeConfig, .int, default: .value("1000"), importance: .high,
            doc: "The maximum number of schemas that can be cached in this converter instance.", group: "Schemas",
            orderInGroup: 1, width: .medium, displayName: "Schema Cache Size"),
        ConfigKey(
            decimalFormatConfig, .string, default: .value("BASE64"),
            validator: .oneOf(["BASE64", "NUMERIC"], caseInsensitive: true), importance: .low,
            doc: "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
            group: "Serialization", orderInGroup: 0, width: .medium, displayName: "Decimal Format"),
        ConfigKey(
            replaceNullWithDefaultConfig, .boolean, default: .value("true"), importance: .low,
            doc: "Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.",
            group: "Serialization", orderInGroup: 1, width: .medium, displayName: "Replace null with default"),
    ]))

    /// Parses converter properties (already stripped of `key.converter.` / `value.converter.`), throwing a
    /// `ConnectError` that names the offending key.
    public init(_ props: [String: String]) throws {
        let parsed = try JsonConverterConfig.configDef.parse(props)
        schemasEnabled = parsed.bool(JsonConverterConfig.schemasEnableConfig)
        schemaCacheSize = parsed.int(JsonConverterConfig.schemasCacheSizeConfig)
        decimalFormat = DecimalFormat(rawValue: parsed.string(JsonConverterConfig.decimalFormatConfig, default: "BASE64").uppercased()) ?? .base64
        replaceNullWithDefault = parsed.bool(JsonConverterConfig.replaceNullWithDefaultConfig)
        type = try ConverterType.from(parsed)
    }
}
