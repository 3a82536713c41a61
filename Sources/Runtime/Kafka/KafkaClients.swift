import SluiceAPI

/// A record on its way to Kafka.
public struct OutgoingMessage: Sendable {
    public var topic: String
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [(String, [UInt8]?)]
    public var timestamp: Int64?
    /// Direct pipelines (`bootstrap.servers=none`): the record itself, unconverted, instead of key/value bytes.
    public var record: SourceRecord?
    public init(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?, headers: [(String, [UInt8]?)] = [], timestamp: Int64? = nil, record: SourceRecord? = nil) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
        self.record = record
    }
}

/// A record read from Kafka.
public struct IncomingMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [(String, [UInt8]?)]
    public var timestamp: Int64?
    public var timestampType: SinkRecord.TimestampType
    /// Direct pipelines: the source's record, unconverted (key/value bytes are then nil).
    public var record: SourceRecord?
    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?, headers: [(String, [UInt8]?)], timestamp: Int64?, timestampType: SinkRecord.TimestampType, record: SourceRecord? = nil) {
        self.record = record
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
        self.timestampType = timestampType
    }
}

/// The producer as the worker uses it. Sends come from one task thread; acknowledgement callbacks are invoked
/// from `poll`/`flush` on whichever thread calls them (a source task serves them on its own poller thread, so its
/// callbacks must be thread-safe).
protocol KafkaSender: AnyObject {
    func send(_ message: OutgoingMessage, onAck: @escaping (Result<RecordMetadata, any Error>) -> Void) throws
    func poll(timeoutMs: Int)
    /// Waits for every outstanding acknowledgement; false on timeout.
    func flush(timeoutMs: Int) -> Bool
    var outstanding: Int { get }
    func close()
    /// True when the sender takes Connect records as they are (`OutgoingMessage.record`) and no converters run.
    var carriesRecords: Bool { get }

    /// A source task's records, in order, with no closure per record: their acknowledgements reach
    /// `onRecordAcks` in batches, from `poll`/`flush`. Returns how many were taken: fewer than all when the
    /// sender is full (serve acknowledgements with `poll`, then send the rest again).
    /// - Throws: when the batch's first record is refused for good (e.g. too large for the producer); a refusal
    ///   after it ends the batch there, and the next call throws.
    func sendRecords(_ batch: ArraySlice<SourceSend>) throws -> Int
    /// Takes acknowledged records sent with `sendRecords`. Set once, before the first `sendRecords`.
    var onRecordAcks: (([SourceRecordAck]) -> Void)? { get set }
    /// Takes records sent with `sendRecords` that could not be delivered. Set once, before the first `sendRecords`.
    var onRecordFailure: ((SourceRecordFailure) -> Void)? { get set }
}

extension KafkaSender {
    var carriesRecords: Bool { false }
}

/// Called by a consumer when its partition assignment changes (from inside `poll`).
public protocol RebalanceListener: AnyObject {
    func partitionsAssigned(_ partitions: [TopicPartition])
    func partitionsRevoked(_ partitions: [TopicPartition])
    /// The consumer's position was not on the broker any more and it moved on (see `OffsetOutOfRange`).
    func offsetOutOfRange(_ event: OffsetOutOfRange)
}

/// The group consumer as a sink task uses it; auto-commit is off, offsets are committed explicitly.
public protocol KafkaReceiver: AnyObject {
    func subscribe(topics: [String]) throws
    func subscribe(pattern: String) throws
    func poll(maxMessages: Int, timeoutMs: Int) throws -> [IncomingMessage]
    /// `poll` that leaves the copying of the messages to whoever calls `messages()` on the result, on any thread.
    func pollBatch(maxMessages: Int, timeoutMs: Int) throws -> PolledBatch
    /// Commits next-offset-to-read per partition.
    func commit(_ offsets: [TopicPartition: Int64], sync: Bool) throws
    func seek(_ partition: TopicPartition, to offset: Int64) throws
    func pause(_ partitions: [TopicPartition])
    func resume(_ partitions: [TopicPartition])
    var assignment: [TopicPartition] { get }
    func close()
}

extension KafkaReceiver {
    public func pollBatch(maxMessages: Int, timeoutMs: Int) throws -> PolledBatch {
        let messages = try poll(maxMessages: maxMessages, timeoutMs: timeoutMs)
        return PolledBatch(count: messages.count) { messages }
    }
}

/// Messages dequeued by `KafkaReceiver.pollBatch` and not yet turned into `IncomingMessage`s.
public struct PolledBatch: @unchecked Sendable {
    public let count: Int
    private let materialize: () -> [IncomingMessage]

    public init(count: Int, materialize: @escaping () -> [IncomingMessage]) {
        self.count = count
        self.materialize = materialize
    }

    public var isEmpty: Bool { count == 0 }

    /// The messages, in consumed order. Call once.
    public func messages() -> [IncomingMessage] { materialize() }
}

/// Makes Kafka clients; the librdkafka implementation lives in `LibrdkafkaClientFactory`.
protocol KafkaClientFactory: Sendable {
    func makeSender(props: [String: String], clientId: String) throws -> any KafkaSender
    func makeReceiver(props: [String: String], groupId: String, clientId: String, listener: any RebalanceListener) throws -> any KafkaReceiver
    func createTopic(props: [String: String], name: String, partitions: Int, replicationFactor: Int, configs: [String: String]) throws
    /// Committed offsets of a consumer group for the given topics (for `GET /connectors/{sink}/offsets`).
    func committedOffsets(props: [String: String], groupId: String, topics: [String]) throws -> [TopicPartition: Int64]
    /// Overwrites (or, with nil, deletes) committed offsets of a consumer group.
    func alterCommittedOffsets(props: [String: String], groupId: String, _ offsets: [TopicPartition: Int64?]) throws
    /// Forgets a deleted sink connector's group where that matters (direct pipelines: it stops holding records).
    func deleteGroup(props: [String: String], groupId: String) throws
}

extension KafkaClientFactory {
    /// Kafka keeps a deleted connector's consumer group, as Kafka Connect does.
    func deleteGroup(props: [String: String], groupId: String) throws {}
}
