import SluiceAPI

/// The FileStream connectors as the plugin registry lists them.
///
/// The aliases are what Kafka Connect derives from the class names (`FileStreamSource`, `FileStreamSink`); they are
/// listed explicitly so the registry does not have to guess.
public enum FileStreamPlugins {
    /// The Kafka version whose FileStream connectors these mirror (what `GET /connector-plugins` shows).
    public static let version = "3.9.0"

    public static let all: [PluginDescriptor] = [
        PluginDescriptor(
            className: "org.apache.kafka.connect.file.FileStreamSourceConnector",
            aliases: ["FileStreamSourceConnector", "FileStreamSource"],
            version: version,
            configDef: FileStreamSourceConnector.configDefinition,
            factory: .source { FileStreamSourceConnector() }),
        PluginDescriptor(
            className: "org.apache.kafka.connect.file.FileStreamSinkConnector",
            aliases: ["FileStreamSinkConnector", "FileStreamSink"],
            version: version,
            configDef: FileStreamSinkConnector.configDefinition,
            factory: .sink { FileStreamSinkConnector() }),
    ]
}
