import CRdKafka

extension KafkaConsumer {
    /// Called on the polling thread, inside `poll`, after the consumer moved past an out-of-range position.
    public typealias OutOfRangeHandler = @Sendable (KafkaOffsetOutOfRange) -> Void

    struct OutOfRangeHandling: Sendable {
        let rule: KafkaOffsetResetRule
        let handler: OutOfRangeHandler
    }

    /// Handles librdkafka's `_AUTO_OFFSET_RESET` consumer error (given `auto.offset.reset=error`): the partition's
    /// position is not on the broker, or it has none. Without a position the user's rule applies silently, as Kafka
    /// does; with one, the watermarks tell what was skipped and the handler hears about it.
    ///
    /// librdkafka 2.0.2 leaves the partition in fetch state NONE after this error, where `seek` fails with `_STATE`
    /// (checked on the mock cluster), so the partition is assigned again at the new offset instead: incrementally
    /// under the cooperative protocol, else by re-assigning the whole assignment with every other partition at its
    /// current position (nothing re-read, nothing skipped).
    func resetOutOfRange(_ message: UnsafeMutablePointer<rd_kafka_message_t>, _ handling: OutOfRangeHandling) throws(KafkaError) {
        guard let rkt = message.pointee.rkt else { return }
        let tp = KafkaTopicPartition(topic: String(cString: rd_kafka_topic_name(rkt)), partition: message.pointee.partition)
        let requested = message.pointee.offset
        // A report about a partition revoked meanwhile is stale: its new owner handles its own position.
        guard (try assignment()).contains(tp) else { return }
        var low: Int64 = -1
        var high: Int64 = -1
        if requested >= 0 {
            (low, high) = try watermarks(topic: tp.topic, partition: tp.partition)
        }
        switch handling.rule.decide(requested: requested, low: low, high: high) {
        case .fail:
            throw KafkaError(
                code: .init(rawValue: Int32(RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET.rawValue)),
                message: requested < 0
                    ? "\(tp.topic)-\(tp.partition) has no committed offset and auto.offset.reset is none"
                    : "\(tp.topic)-\(tp.partition): offset \(requested) is out of range [\(low), \(high)) and auto.offset.reset is none")
        case .startLogical(let logical):
            try reassign(tp, at: logical)
        case .resumeAt(let offset):
            try reassign(tp, at: offset)
            handling.handler(KafkaOffsetOutOfRange(
                topic: tp.topic, partition: tp.partition, requestedOffset: requested,
                lowWatermark: low, highWatermark: high, resumedAt: offset))
        }
    }

    /// Restarts fetching `tp` at `offset` (see `resetOutOfRange` for why not `seek`).
    private func reassign(_ tp: KafkaTopicPartition, at offset: Int64) throws(KafkaError) {
        let rk = metadataHandle.pointer
        if String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE" {
            let one = TopicPartitionList([KafkaPartitionOffset(topic: tp.topic, partition: tp.partition, offset: offset)])
            if let error = rd_kafka_incremental_unassign(rk, one.pointer) { throw KafkaError(consuming: error, "cannot unassign \(tp) to reset it") }
            if let error = rd_kafka_incremental_assign(rk, one.pointer) { throw KafkaError(consuming: error, "cannot assign \(tp) at \(offset)") }
            return
        }
        let list = TopicPartitionList(try assignment())
        // Positions of the other partitions: the next offset after the last record the application consumed
        // (OFFSET_INVALID when none yet, which makes the assignment start from the committed offset, as before).
        let err = rd_kafka_position(rk, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "cannot read positions to reset \(tp)") }
        for index in 0..<Int(list.pointer.pointee.cnt) {
            let element = list.pointer.pointee.elems[index]
            if element.partition == tp.partition && String(cString: element.topic) == tp.topic {
                list.pointer.pointee.elems[index].offset = offset
            }
        }
        let assignErr = rd_kafka_assign(rk, list.pointer)
        if assignErr != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(assignErr, "cannot assign \(tp) at \(offset)") }
    }
}
