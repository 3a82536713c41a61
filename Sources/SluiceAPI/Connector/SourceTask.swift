import Logging

/// Reads records from an external system (`connect.source.SourceTask`).
///
/// Each task runs on its own thread, so `poll` may block on I/O (a database query, a file read), but it should
/// return within about a second when there is nothing to read so the runtime can flush offsets and react to
/// pause/stop. `stop` is called from another thread and must make a blocked `poll` return soon.
public protocol SourceTask: AnyObject, Sendable {
    func initialize(context: any SourceTaskContext)
    func start(_ props: [String: String]) throws
    /// The next batch of records, or an empty array when none are ready.
    func poll() throws -> [SourceRecord]
    /// Called after the offsets of acknowledged records were persisted (e.g. to advance a replication slot).
    func commit() throws
    /// Called once Kafka acknowledged `record` (metadata nil when a transform dropped it).
    func commitRecord(_ record: SourceRecord, metadata: RecordMetadata?) throws
    func stop()
}

extension SourceTask {
    public func commit() throws {}
    public func commitRecord(_ record: SourceRecord, metadata: RecordMetadata?) throws {}
}

public protocol SourceTaskContext: Sendable {
    var configs: [String: String] { get }
    var offsetStorageReader: any OffsetStorageReader { get }
    /// Parks a record that cannot be processed (bad line, bad row) in the dead letter queue, when one is configured;
    /// throws when the connector's error tolerance says the task must fail instead.
    var errantRecordReporter: (any ErrantRecordReporter)? { get }
    var logger: Logger { get }
    /// Durable per-connector state, nil when the runtime offers none (tasks then keep such state in memory only).
    var stateStore: (any TaskStateStore)? { get }
}

extension SourceTaskContext {
    public var stateStore: (any TaskStateStore)? { nil }
}

/// Where an acknowledged record landed.
public struct RecordMetadata: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var timestamp: Int64?
    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }
}
