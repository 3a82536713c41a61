import SluiceAPI

/// Every bundled converter as the plugin registry lists it, under the Java class names users already write.
///
/// Each class is listed once. The converters that can also convert headers in Kafka (all of these but
/// `SimpleHeaderConverter`, which only converts headers) are listed as `.converter`; build header converters with
/// `ConverterConfig.makeHeaderConverter`, which accepts both kinds.
public enum ConverterPlugins {
    /// The Kafka release whose converters these reproduce (what `GET /connector-plugins` shows as `version`).
    public static let version = "3.9.0"

    public static let all: [PluginDescriptor] = [
        PluginDescriptor(
            className: "org.apache.kafka.connect.json.JsonConverter", version: version,
            configDef: JsonConverter.configDef, factory: .converter { JsonConverter() }),
        PluginDescriptor(
            className: "org.apache.kafka.connect.storage.StringConverter", version: version,
            configDef: StringConverter.configDef, factory: .converter { StringConverter() }),
        PluginDescriptor(
            className: "org.apache.kafka.connect.converters.ByteArrayConverter", version: version,
            configDef: ByteArrayConverter.configDef, factory: .converter { ByteArrayConverter() }),
        PluginDescriptor(
            className: "org.apache.kafka.connect.storage.SimpleHeaderConverter", version: version,
            configDef: SimpleHeaderConverter.configDef, factory: .headerConverter { SimpleHeaderConverter() }),
    ] + NumberConverter.Kind.allCases.map { kind in
        PluginDescriptor(
            className: kind.className, version: version, configDef: NumberConverter.configDef,
            factory: .converter { NumberConverter(kind) })
    }
}
