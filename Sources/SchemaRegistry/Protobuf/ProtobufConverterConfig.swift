import SluiceAPI

/// ProtobufConverter's settings: the registry keys it shares with AvroConverter (parsed by `AvroConverterConfig`,
/// so URLs, auth, strategies and caching behave identically) plus Confluent's `ProtobufDataConfig` keys. Sluice
/// implements the 7.0.16 defaults of the mapping keys; setting one to the other value is a config error naming it,
/// rather than silently writing different bytes than Confluent would.
public struct ProtobufConverterConfig: Sendable {
    public var registry: AvroConverterConfig

    /// `ProtobufDataConfig` keys with their defaults; only these values are supported.
    static let mappingKeys: [(String, Bool, String)] = [
        ("enhanced.protobuf.schema.support", false, "Toggle for enabling/disabling enhanced protobuf schema support: package name preservation"),
        ("scrub.invalid.names", false, "Whether to scrub invalid names by replacing invalid characters with valid ones"),
        ("int.for.enums", false, "Whether to represent enums as integers"),
        ("optional.for.nullables", false, "Whether nullable fields should be specified with an optional label"),
        ("wrapper.for.nullables", false, "Whether nullable fields should use primitive wrapper messages"),
        ("wrapper.for.raw.primitives", true, "Whether a wrapper message should be interpreted as a raw primitive at the root level"),
        ("generate.index.for.unions", true, "Whether to suffix union names with an underscore followed by an index"),
    ]

    public static let configDef: ConfigDef = {
        var keys = AvroConverterConfig.configDef.keys.filter { $0.name != AvroConverterConfig.enhancedConfig }
        for (name, def, doc) in mappingKeys {
            keys.append(ConfigKey(name, .boolean, default: .value(def ? "true" : "false"), importance: .low, doc: doc))
        }
        return ConfigDef(keys)
    }()

    public init(_ props: [String: String], isKey: Bool) throws {
        var shared = props
        shared.removeValue(forKey: AvroConverterConfig.enhancedConfig)
        registry = try AvroConverterConfig(shared, isKey: isKey)
        let p = try Self.configDef.parse(props)
        for (name, def, _) in Self.mappingKeys where p.bool(name) != def {
            throw ConnectError.invalidConfig(name, String(!def), "Sluice's ProtobufConverter supports only \(name)=\(def) (Confluent's default)")
        }
    }

    public init(registry: AvroConverterConfig) { self.registry = registry }
}
