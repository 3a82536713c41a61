import Converters
import SluiceAPI

/// The schema-registry converters as the plugin registry lists them, under Confluent's class names.
public enum SchemaRegistryPlugins {
    /// The Confluent release whose converter behaviour this reproduces.
    public static let version = "7.0.16"

    public static let all: [PluginDescriptor] = [
        PluginDescriptor(
            className: AvroConverter.className, version: version,
            configDef: AvroConverter.configDef, factory: .converter { AvroConverter() }),
        PluginDescriptor(
            className: JsonSchemaConverter.className, version: version,
            configDef: JsonSchemaConverter.configDef, factory: .converter { JsonSchemaConverter() }),
        PluginDescriptor(
            className: ProtobufConverter.className, version: version,
            configDef: ProtobufConverter.configDef, factory: .converter { ProtobufConverter() }),
    ]
}
