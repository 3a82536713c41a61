import SluiceAPI

/// The records converted from one consumer poll, waiting to be handed to the sink task's `put`, with what the
/// runtime needs once `put` returned.
struct ConvertedBatch {
    var records: [SinkRecord] = []
    /// Per partition, the offset after the last polled message: what becomes committable once `put` returned
    /// (records that converters or transforms skipped under `errors.tolerance=all` count as processed, as in Kafka).
    var nextOffsets: [TopicPartition: Int64] = [:]
    /// The original key and value bytes of each record, kept only when a dead letter queue is configured, so a
    /// record the task reports as errant can be dead-lettered as it was consumed.
    var raw: [SinkCoordinates: ([UInt8]?, [UInt8]?)] = [:]

    /// Forgets everything of `partitions`: they were revoked or sought elsewhere before this batch was put, so their
    /// records will be consumed again from the committed (or sought) offset.
    mutating func drop(_ partitions: Set<TopicPartition>) {
        guard !partitions.isEmpty else { return }
        records.removeAll { partitions.contains(TopicPartition($0.originalTopic, $0.originalKafkaPartition)) }
        for p in partitions { nextOffsets.removeValue(forKey: p) }
        raw = raw.filter { !partitions.contains(TopicPartition($0.key.topic, $0.key.partition)) }
    }

    var isEmpty: Bool { nextOffsets.isEmpty }
}

/// Identifies a consumed record by its original Kafka coordinates.
struct SinkCoordinates: Hashable {
    let topic: String
    let partition: Int32
    let offset: Int64
    init(_ r: SinkRecord) {
        topic = r.originalTopic
        partition = r.originalKafkaPartition
        offset = r.originalKafkaOffset
    }
}
