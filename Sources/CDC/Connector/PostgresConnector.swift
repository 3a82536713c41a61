import Logging
import SluiceAPI
import Synchronization

/// `io.debezium.connector.postgresql.PostgresConnector`: one task streaming a database's changes from a logical
/// replication slot (a slot has exactly one reader, so `tasks.max` above 1 still yields one task, as in Debezium).
public final class PostgresConnector: SourceConnector, @unchecked Sendable {
    public static let className = "io.debezium.connector.postgresql.PostgresConnector"
    /// The Debezium release whose output format this connector reproduces; reported in `source.version`.
    public static let debeziumVersion = "3.0.7.Final"

    public static var descriptor: PluginDescriptor {
        PluginDescriptor(className: className, aliases: ["PostgresConnector"], version: debeziumVersion,
                         configDef: PostgresConnectorConfig.definition, factory: .source { PostgresConnector() })
    }

    private let props = Mutex<[String: String]>([:])

    public init() {}

    public var configDef: ConfigDef { PostgresConnectorConfig.definition }
    public var version: String { Self.debeziumVersion }

    public func start(_ props: [String: String]) throws {
        _ = try PostgresConnectorConfig(props)
        self.props.withLock { $0 = props }
    }

    public func taskConfigs(maxTasks: Int) throws -> [[String: String]] { [props.withLock { $0 }] }

    public func stop() {}

    public func makeTask() -> any SourceTask { PostgresSourceTask() }
}
