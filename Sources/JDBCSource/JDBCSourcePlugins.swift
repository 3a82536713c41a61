import SluiceAPI

/// The JDBC source as the plugin registry lists it (Confluent's class name, so existing connector JSON works).
public enum JDBCSourcePlugins {
    public static let all: [PluginDescriptor] = [
        PluginDescriptor(
            className: "io.confluent.connect.jdbc.JdbcSourceConnector",
            aliases: ["JdbcSourceConnector", "JdbcSource"],
            version: JdbcSourceConnector.version,
            configDef: JDBCSourceConfig.definition,
            factory: .source { JdbcSourceConnector() })
    ]
}
