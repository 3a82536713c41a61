import SluiceAPI

/// Reads lines of a file (or stdin) into a topic: `org.apache.kafka.connect.file.FileStreamSourceConnector`.
///
/// Kept because every Kafka Connect quickstart uses it and it lets a user try the runtime before any database
/// connector is configured. Always one task: a file has one reader.
public final class FileStreamSourceConnector: SourceConnector, @unchecked Sendable {
    public static let fileConfig = "file"
    public static let topicConfig = "topic"
    public static let batchSizeConfig = "batch.size"
    public static let defaultBatchSize = 2000
    /// The source partition key and offset key, as Kafka writes them (users' existing offsets keep working).
    public static let filenameField = "filename"
    public static let positionField = "position"

    /// The same keys, types, defaults and docs as Kafka's `FileStreamSourceConnector.CONFIG_DEF`.
    public static let configDefinition = ConfigDef([
        ConfigKey(fileConfig, .string, default: .value(nil), importance: .high,
                  doc: "Source filename. If not specified, the standard input will be used"),
        ConfigKey(topicConfig, .string, default: .required, validator: .nonEmptyString, importance: .high,
                  doc: "The topic to publish data to"),
        ConfigKey(batchSizeConfig, .int, default: .value(String(defaultBatchSize)), importance: .low,
                  doc: "The maximum number of records the source task can read from the file each time it is polled"),
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

    public func makeTask() -> any SourceTask { FileStreamSourceTask() }

    /// One task whatever `tasks.max` says, with the connector's whole config, as Kafka does (REST `/tasks` shows it).
    public func taskConfigs(maxTasks: Int) throws -> [[String: String]] {
        [lock.run { props }]
    }

    public func stop() {}

    /// KIP-875 offset changes, checked with Kafka's rules and messages: a file must be configured, partitions carry
    /// `filename`, offsets are null (reset) or a non-negative integer `position`.
    public func alterOffsets(_ config: [String: String], _ offsets: [[String: JSONValue]: [String: JSONValue]?]) throws -> Bool {
        let file = config[Self.fileConfig] ?? ""
        if file.isEmpty {
            throw ConnectError(.connect, "Offsets cannot be modified if the '\(Self.fileConfig)' configuration is unspecified. "
                + "This is because stdin is used for input and offsets are not tracked.")
        }
        for (partition, offset) in offsets {
            guard let offset else { continue }
            guard let position = offset[Self.positionField] else {
                throw ConnectError(.connect, "Offset objects should either be null or contain the key '\(Self.positionField)'")
            }
            guard case .int(let p) = position else {
                throw ConnectError(.connect, "The value for the '\(Self.positionField)' key in the offset is expected to be a Long value")
            }
            if p < 0 {
                throw ConnectError(.connect, "The value for the '\(Self.positionField)' key in the offset should be a non-negative value")
            }
            if partition[Self.filenameField] == nil {
                throw ConnectError(.connect, "Partition objects should contain the key '\(Self.filenameField)'")
            }
        }
        return true
    }
}
