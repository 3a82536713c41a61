import SluiceAPI

/// Every built-in transformation and predicate under the Java class names users write in connector configs
/// (`transforms.x.type=org.apache.kafka.connect.transforms.Cast$Value`), for the plugin registry to list
/// (`GET /connector-plugins?connectorsOnly=false`), validate and instantiate.
public enum TransformPlugins {
    /// The Kafka release whose transforms these mirror (REST shows it as the plugin version).
    public static let kafkaVersion = "3.9.0"
    /// The Debezium release whose ExtractNewRecordState this mirrors.
    public static let debeziumVersion = "3.0.7.Final"

    static let kafkaPackage = "org.apache.kafka.connect.transforms."
    static let predicatePackage = "org.apache.kafka.connect.transforms.predicates."

    public static let all: [PluginDescriptor] = sided + unsided + predicates + [
        PluginDescriptor(
            className: "io.debezium.transforms.ExtractNewRecordState", version: debeziumVersion,
            configDef: ExtractNewRecordState.configDef, factory: .transformation { ExtractNewRecordState() }),
    ]

    /// The `$Key` / `$Value` pairs.
    static let sided: [PluginDescriptor] = {
        let kinds: [(String, ConfigDef, @Sendable (RecordSide) -> any Transformation)] = [
            ("Cast", Cast.configDef, { Cast($0) }),
            ("ExtractField", ExtractField.configDef, { ExtractField($0) }),
            ("Flatten", Flatten.configDef, { Flatten($0) }),
            ("HeaderFrom", HeaderFrom.configDef, { HeaderFrom($0) }),
            ("HoistField", HoistField.configDef, { HoistField($0) }),
            ("InsertField", InsertField.configDef, { InsertField($0) }),
            ("MaskField", MaskField.configDef, { MaskField($0) }),
            ("ReplaceField", ReplaceField.configDef, { ReplaceField($0) }),
            ("SetSchemaMetadata", SetSchemaMetadata.configDef, { SetSchemaMetadata($0) }),
            ("TimestampConverter", TimestampConverter.configDef, { TimestampConverter($0) }),
        ]
        var out: [PluginDescriptor] = []
        for (name, def, make) in kinds {
            for side in RecordSide.allCases {
                out.append(PluginDescriptor(
                    className: kafkaPackage + name + "$" + side.rawValue, version: kafkaVersion, configDef: def,
                    factory: .transformation { make(side) }))
            }
        }
        return out
    }()

    static let unsided: [PluginDescriptor] = [
        PluginDescriptor(className: kafkaPackage + "DropHeaders", version: kafkaVersion, configDef: DropHeaders.configDef,
                         factory: .transformation { DropHeaders() }),
        PluginDescriptor(className: kafkaPackage + "Filter", version: kafkaVersion, configDef: Filter.configDef,
                         factory: .transformation { Filter() }),
        PluginDescriptor(className: kafkaPackage + "InsertHeader", version: kafkaVersion, configDef: InsertHeader.configDef,
                         factory: .transformation { InsertHeader() }),
        PluginDescriptor(className: kafkaPackage + "RegexRouter", version: kafkaVersion, configDef: RegexRouter.configDef,
                         factory: .transformation { RegexRouter() }),
        PluginDescriptor(className: kafkaPackage + "TimestampRouter", version: kafkaVersion,
                         configDef: TimestampRouter.configDef, factory: .transformation { TimestampRouter() }),
        PluginDescriptor(className: kafkaPackage + "ValueToKey", version: kafkaVersion, configDef: ValueToKey.configDef,
                         factory: .transformation { ValueToKey() }),
    ]

    static let predicates: [PluginDescriptor] = [
        PluginDescriptor(className: predicatePackage + "HasHeaderKey", version: kafkaVersion,
                         configDef: HasHeaderKey.configDef, factory: .predicate { HasHeaderKey() }),
        PluginDescriptor(className: predicatePackage + "RecordIsTombstone", version: kafkaVersion,
                         configDef: RecordIsTombstone.configDef, factory: .predicate { RecordIsTombstone() }),
        PluginDescriptor(className: predicatePackage + "TopicNameMatches", version: kafkaVersion,
                         configDef: TopicNameMatches.configDef, factory: .predicate { TopicNameMatches() }),
    ]

    /// The descriptor for a class name as users write it, or nil.
    public static func descriptor(named className: String) -> PluginDescriptor? {
        all.first { $0.className == className }
    }
}
