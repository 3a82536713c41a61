import Logging

/// A connector instance: validates its config and splits the work into task configs (`connect.connector.Connector`).
///
/// Threading: the runtime calls `start`, `taskConfigs` and `stop` from one worker thread at a time; `stop` may come
/// while another call is in progress, so implementations are `final class … @unchecked Sendable` guarding their state.
public protocol Connector: AnyObject, Sendable {
    /// The config keys this connector understands; REST `validate` and docs read it.
    var configDef: ConfigDef { get }
    var version: String { get }
    func initialize(context: any ConnectorContext)
    func start(_ props: [String: String]) throws
    /// One config map per task, at most `maxTasks` of them.
    func taskConfigs(maxTasks: Int) throws -> [[String: String]]
    func stop()
    /// Validates a config; the default runs `configDef.validate`. Override to add cross-key or live checks
    /// (e.g. connecting to the database), appending errors to the named keys.
    func validate(_ props: [String: String]) -> [ConfigValueInfo]
}

extension Connector {
    public func validate(_ props: [String: String]) -> [ConfigValueInfo] { configDef.validate(props) }
    public func initialize(context: any ConnectorContext) {}
}

/// A connector that reads from an external system into Kafka.
public protocol SourceConnector: Connector {
    func makeTask() -> any SourceTask
    /// Called by `PATCH/DELETE /connectors/{c}/offsets` (KIP-875); return true when the connector accepts the change.
    func alterOffsets(_ config: [String: String], _ offsets: [[String: JSONValue]: [String: JSONValue]?]) throws -> Bool
}

extension SourceConnector {
    public func alterOffsets(_ config: [String: String], _ offsets: [[String: JSONValue]: [String: JSONValue]?]) throws -> Bool { true }
}

/// A connector that writes Kafka records to an external system.
public protocol SinkConnector: Connector {
    func makeTask() -> any SinkTask
}

/// What a connector can ask of the runtime.
public protocol ConnectorContext: Sendable {
    /// Ask for `taskConfigs` to be called again (e.g. a table or file appeared).
    func requestTaskReconfiguration()
    /// Fail the connector with this error.
    func raiseError(_ error: any Error)
    /// Committed source offsets, for connectors that look at them (nil for sinks).
    var offsetStorageReader: (any OffsetStorageReader)? { get }
    var logger: Logger { get }
}
