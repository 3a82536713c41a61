import SluiceAPI

/// The Elasticsearch sink as the plugin registry lists it (Confluent's class name, so existing connector JSON works).
public enum ElasticsearchPlugins {
    public static let all: [PluginDescriptor] = [
        PluginDescriptor(
            className: "io.confluent.connect.elasticsearch.ElasticsearchSinkConnector",
            aliases: ["ElasticsearchSinkConnector", "ElasticsearchSink"],
            version: ElasticsearchSinkConnector.version,
            configDef: ElasticsearchSinkConfig.definition,
            factory: .sink { ElasticsearchSinkConnector() })
    ]
}
