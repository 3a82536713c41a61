import SluiceAPI

/// The JDBC sink as the plugin registry lists it (Confluent's class name, so existing connector JSON works).
public enum JDBCSinkPlugins {
    public static let all: [PluginDescriptor] = [
        PluginDescriptor(
            className: "io.confluent.connect.jdbc.JdbcSinkConnector",
            aliases: ["JdbcSinkConnector", "JdbcSink"],
            version: JdbcSinkConnector.version,
            configDef: JDBCSinkConfig.definition,
            factory: .sink { JdbcSinkConnector() })
    ]
}
