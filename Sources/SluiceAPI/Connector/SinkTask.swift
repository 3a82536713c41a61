import Logging

/// Writes Kafka records to an external system (`connect.sink.SinkTask`).
///
/// Runs on its own thread; `put` may block on the database. The runtime commits consumer offsets only for records
/// that `preCommit` says are durable — by default everything handed to `put` once `flush` returned, so a task that
/// writes synchronously inside `put` is safe by construction.
public protocol SinkTask: AnyObject, Sendable {
    func initialize(context: any SinkTaskContext)
    func start(_ props: [String: String]) throws
    func put(_ records: [SinkRecord]) throws
    /// Make everything given to `put` durable.
    func flush(_ currentOffsets: [TopicPartition: Int64]) throws
    /// Offsets safe to commit (next offset to read per partition); default: flush, then all of them.
    func preCommit(_ currentOffsets: [TopicPartition: Int64]) throws -> [TopicPartition: Int64]
    func open(_ partitions: [TopicPartition]) throws
    func close(_ partitions: [TopicPartition]) throws
    func stop()
    /// Whether `put` reads record headers (default true). A task that never does says false, and the runtime may
    /// then hand it records without headers when no transform of its connector could read them either — converting
    /// the headers of every record read from Kafka (SpoolDir sets eight per line) is work nobody would see.
    var readsHeaders: Bool { get }
}

extension SinkTask {
    public func flush(_ currentOffsets: [TopicPartition: Int64]) throws {}
    public func preCommit(_ currentOffsets: [TopicPartition: Int64]) throws -> [TopicPartition: Int64] {
        try flush(currentOffsets)
        return currentOffsets
    }
    public func open(_ partitions: [TopicPartition]) throws {}
    public func close(_ partitions: [TopicPartition]) throws {}
    public var readsHeaders: Bool { true }
}

public protocol SinkTaskContext: Sendable {
    var configs: [String: String] { get }
    var assignment: [TopicPartition] { get }
    /// Rewind or skip: the next `put` starts at `offset` for that partition.
    func offset(_ partition: TopicPartition, _ offset: Int64)
    /// Ask the runtime to retry the last `put` after `ms` (after a `RetriableException`).
    func timeout(_ ms: Int64)
    func requestCommit()
    var errantRecordReporter: (any ErrantRecordReporter)? { get }
    var logger: Logger { get }
}

/// A Kafka topic partition.
public struct TopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
    public var description: String { "\(topic)-\(partition)" }
    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        a.topic == b.topic ? a.partition < b.partition : a.topic < b.topic
    }
}

/// Reports a record that could not be processed; the runtime applies `errors.tolerance` and the dead letter queue.
public protocol ErrantRecordReporter: Sendable {
    /// Throws when the error must fail the task (`errors.tolerance=none`).
    func report(_ record: any ConnectRecord, error: any Error) throws
}
