import SluiceAPI

/// Appends each record's value as a line to a file (or stdout): `org.apache.kafka.connect.file.FileStreamSinkConnector`.
///
/// `topics` / `topics.regex` are runtime keys (the runtime subscribes); this connector only knows `file`.
public final class FileStreamSinkConnector: SinkConnector, @unchecked Sendable {
    public static let fileConfig = "file"

    /// The same key, type, default and doc as Kafka's `FileStreamSinkConnector.CONFIG_DEF`.
    public static let configDefinition = ConfigDef([
        ConfigKey(fileConfig, .string, default: .value(nil), importance: .high,
                  doc: "Destination filename. If not specified, the standard output will be used"),
    ])

    private let lock = NSLockBox()
    private var props: [String: String] = [:]

    public init() {}

    public var configDef: ConfigDef { Self.configDefinition }
    public var version: String { FileStreamPlugins.version }

    public func start(_ props: [String: String]) throws {
        _ = try Self.configDefinition.parse(props)
        lock.run { self.props = props }
    }

    public func makeTask() -> any SinkTask { FileStreamSinkTask() }

    /// `maxTasks` copies of the connector config, as Kafka does (several tasks append to the same file).
    public func taskConfigs(maxTasks: Int) throws -> [[String: String]] {
        let p = lock.run { props }
        return Array(repeating: p, count: max(1, maxTasks))
    }

    public func stop() {}
}
