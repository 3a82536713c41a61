/// The kinds of plugin REST lists under `type`.
public enum PluginType: String, Sendable, Hashable, CaseIterable {
    case source, sink, converter
    case headerConverter = "header_converter"
    case transformation, predicate
}

/// How to make a plugin instance.
public enum PluginFactory: Sendable {
    case source(@Sendable () -> any SourceConnector)
    case sink(@Sendable () -> any SinkConnector)
    case converter(@Sendable () -> any Converter)
    case headerConverter(@Sendable () -> any HeaderConverter)
    case transformation(@Sendable () -> any Transformation)
    case predicate(@Sendable () -> any Predicate)

    public var type: PluginType {
        switch self {
        case .source: return .source
        case .sink: return .sink
        case .converter: return .converter
        case .headerConverter: return .headerConverter
        case .transformation: return .transformation
        case .predicate: return .predicate
        }
    }
}

/// A bundled plugin: its Java class name (what users write), extra aliases, version, config definition and factory.
///
/// The registry also matches the simple class name and, for connectors, the name without a `Connector` suffix,
/// as Kafka Connect's plugin aliases do.
public struct PluginDescriptor: Sendable {
    public let className: String
    public let aliases: [String]
    public let version: String
    public let configDef: ConfigDef
    public let factory: PluginFactory

    public init(className: String, aliases: [String] = [], version: String, configDef: ConfigDef, factory: PluginFactory) {
        self.className = className
        self.aliases = aliases
        self.version = version
        self.configDef = configDef
        self.factory = factory
    }

    public var type: PluginType { factory.type }
}
