import BlockingHTTP
import SluiceAPI

/// AvroConverter's settings (Confluent's `AvroConverterConfig` / `AbstractKafkaSchemaSerDeConfig` / `AvroDataConfig`
/// keys), after the `key.converter.` / `value.converter.` prefix is stripped.
public struct AvroConverterConfig: Sendable {
    public static let urlConfig = "schema.registry.url"
    public static let autoRegisterConfig = "auto.register.schemas"
    public static let useLatestConfig = "use.latest.version"
    public static let keyStrategyConfig = "key.subject.name.strategy"
    public static let valueStrategyConfig = "value.subject.name.strategy"
    public static let credentialsSourceConfig = "basic.auth.credentials.source"
    public static let userInfoConfig = "basic.auth.user.info"
    public static let cacheConfig = "schemas.cache.config"
    public static let enhancedConfig = "enhanced.avro.schema.support"
    public static let metaDataConfig = "connect.meta.data"
    public static let timeoutConfig = "http.read.timeout.ms"
    /// The URL value that selects the registry served by this worker (`schema.registry.listeners`).
    public static let embedded = "embedded"

    public var urls: [String] = []
    public var autoRegister = true
    public var useLatestVersion = false
    public var strategy = SubjectNameStrategy.topicName
    public var userInfo: String?
    public var cacheSize = 1000
    public var enhancedSchemaSupport = false
    public var connectMetaData = true
    public var timeoutMs = 60_000
    public var connectTimeoutMs = 60_000
    /// https settings (`schema.registry.ssl.*`); `enabled` when some URL is https.
    public var tls = TLSSettings(keyPrefix: AvroConverterConfig.sslPrefix)

    public init() {}

    static let strategyDefault = SubjectNameStrategy.topicName.rawValue

    public static let configDef: ConfigDef = ConfigDef([
        ConfigKey(urlConfig, .list, default: .required, importance: .high,
                  doc: "Comma-separated list of URLs for Schema Registry instances that can be used to register or look up schemas. `embedded` uses the registry this worker serves (schema.registry.listeners)."),
        ConfigKey(autoRegisterConfig, .boolean, default: .value("true"), importance: .medium,
                  doc: "Specify if the Serializer should attempt to register the Schema with Schema Registry"),
        ConfigKey(useLatestConfig, .boolean, default: .value("false"), importance: .low,
                  doc: "Specify if the Serializer should use the latest subject version for serialization"),
        ConfigKey(keyStrategyConfig, .className, default: .value(strategyDefault), importance: .medium,
                  doc: "Determines how to construct the subject name under which the key schema is registered with the schema registry."),
        ConfigKey(valueStrategyConfig, .className, default: .value(strategyDefault), importance: .medium,
                  doc: "Determines how to construct the subject name under which the value schema is registered with the schema registry."),
        ConfigKey(credentialsSourceConfig, .string, default: .value("URL"), validator: .oneOf(["URL", "USER_INFO", "SASL_INHERIT"], caseInsensitive: true),
                  importance: .medium, doc: "Specify how to pick the credentials for Basic Auth header. The supported values are URL, USER_INFO and SASL_INHERIT"),
        ConfigKey(userInfoConfig, .password, default: .value(""), importance: .medium,
                  doc: "Specify the user info for Basic Auth in the form of {username}:{password}"),
        ConfigKey(cacheConfig, .int, default: .value("1000"), importance: .low, doc: "Size of the converted schema cache"),
        ConfigKey(enhancedConfig, .boolean, default: .value("false"), importance: .low,
                  doc: "Toggle for enabling/disabling enhanced avro schema support: Enum symbol preservation and Package Name awareness"),
        ConfigKey(metaDataConfig, .boolean, default: .value("true"), importance: .low,
                  doc: "Toggle for enabling/disabling connect converter to add its meta data to the output schema or not"),
        ConfigKey(timeoutConfig, .int, default: .value("60000"), importance: .low, doc: "The HTTP read timeout in milliseconds"),
        ConfigKey(connectTimeoutConfig, .int, default: .value("60000"), importance: .low, doc: "The HTTP connect timeout in milliseconds"),
    ] + tlsKeys)

    public init(_ props: [String: String], isKey: Bool) throws {
        let p = try Self.configDef.parse(props)
        urls = p.list(Self.urlConfig).map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        guard !urls.isEmpty else { throw ConnectError.invalidConfig(Self.urlConfig, nil, "Missing Schema registry url!") }
        if urls != [Self.embedded] {
            for u in urls where HTTPEndpoint(u) == nil {
                throw ConnectError.invalidConfig(Self.urlConfig, HTTPEndpoint.redacted(u), "Expected http://host[:port] or https://host[:port] URLs (or embedded)")
            }
        }
        autoRegister = p.bool(Self.autoRegisterConfig)
        useLatestVersion = p.bool(Self.useLatestConfig)
        let strategyKey = isKey ? Self.keyStrategyConfig : Self.valueStrategyConfig
        let strategyName = p.string(strategyKey, default: Self.strategyDefault)
        guard let s = SubjectNameStrategy(className: strategyName) else {
            throw ConnectError.invalidConfig(strategyKey, strategyName, "Supported: TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy")
        }
        strategy = s
        switch p.string(Self.credentialsSourceConfig, default: "URL").uppercased() {
        case "USER_INFO":
            let info = p.password(Self.userInfoConfig) ?? ""
            guard info.contains(":") else {
                throw ConnectError.invalidConfig(Self.userInfoConfig, "[hidden]", "Expected {username}:{password}")
            }
            userInfo = info
        case "SASL_INHERIT":
            throw ConnectError.invalidConfig(Self.credentialsSourceConfig, "SASL_INHERIT", "Not supported by Sluice; use USER_INFO or URL")
        default:
            userInfo = nil
        }
        cacheSize = max(1, p.int(Self.cacheConfig))
        enhancedSchemaSupport = p.bool(Self.enhancedConfig)
        connectMetaData = p.bool(Self.metaDataConfig)
        timeoutMs = max(1, p.int(Self.timeoutConfig))
        connectTimeoutMs = max(1, p.int(Self.connectTimeoutConfig))
        tls = try TLSSettings(urls: urls, keyPrefix: Self.sslPrefix, string: { p.string($0) }, list: { p.list($0) })
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String { Substring(self).trimmingCharacters(in: set) }
}

extension AvroConverterConfig {
    /// The registry client every registry converter (Avro, Protobuf, JSON Schema) uses: the worker's own registry for
    /// `schema.registry.url=embedded`, else the REST client over the listed URLs, behind the id/schema cache.
    /// Throws when the `schema.registry.ssl.*` stores cannot be used.
    func makeClient() throws -> CachedSchemaRegistryClient {
        let inner: any SchemaRegistryClient = urls == [Self.embedded]
            ? EmbeddedClientProxy()
            : RestSchemaRegistryClient(urls: urls, userInfo: userInfo, timeoutMs: timeoutMs, connectTimeoutMs: connectTimeoutMs,
                                       tls: try makeTLSContext())
        return CachedSchemaRegistryClient(inner, capacity: cacheSize)
    }
}
