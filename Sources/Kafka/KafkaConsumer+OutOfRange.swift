import CRdKafka

extension KafkaConsumer {
    /// Called on the polling thread, inside `poll`, after the consumer moved past an out-of-range position.
    public typealias OutOfRangeHandler = @Sendable (KafkaOffsetOutOfRange) -> Void

    /// Used from the polling thread only.
    final class OutOfRangeHandling: @unchecked Sendable {
        let rule: KafkaOffsetResetRule
        let handler: OutOfRangeHandler
        /// Start offsets this wrapper gave partitions when it reset them; see `reassign`.
        var resetStarts: [KafkaTopicPartition: Int64] = [:]

        init(rule: KafkaOffsetResetRule, handler: @escaping OutOfRangeHandler) {
            self.rule = rule
            self.handler = handler
        }
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
            try reassign(tp, at: logical, handling)
        case .resumeAt(let offset):
            try reassign(tp, at: offset, handling)
            handling.handler(KafkaOffsetOutOfRange(
                topic: tp.topic, partition: tp.partition, requestedOffset: requested,
                lowWatermark: low, highWatermark: high, resumedAt: offset))
        }
    }

    /// Restarts fetching `tp` at `offset` (see `resetOutOfRange` for why not `seek`).
    ///
    /// Under the eager protocol the whole assignment is given again. A partition the application has consumed
    /// from keeps its position. One it has not (no position yet) must not fall back to its committed offset when
    /// this wrapper already moved it (a second report of the same loss) nor to "no offset" (another reset, which
    /// would undo this one: with several fresh partitions each reset undid the previous one forever), so it gets
    /// the later of its committed offset and the start this wrapper last gave it, else the rule's logical offset.
    private func reassign(_ tp: KafkaTopicPartition, at offset: Int64, _ handling: OutOfRangeHandling) throws(KafkaError) {
        if offset >= 0 { handling.resetStarts[tp] = offset }
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
        let count = Int(list.pointer.pointee.cnt)
        var unpositioned: [KafkaTopicPartition] = []
        for index in 0..<count {
            let element = list.pointer.pointee.elems[index]
            let other = KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
            if other != tp && element.offset < 0 { unpositioned.append(other) }
        }
        let committed = unpositioned.isEmpty ? [:] : try self.committed(unpositioned)
        let logical: Int64
        switch handling.rule {
        case .earliest: logical = KafkaOffsetResetRule.beginning
        case .latest: logical = KafkaOffsetResetRule.end
        case .none: logical = -1001  // OFFSET_INVALID: the committed offset or, without one, a reported failure
        }
        for index in 0..<count {
            let element = list.pointer.pointee.elems[index]
            let other = KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
            if other == tp {
                list.pointer.pointee.elems[index].offset = offset
            } else if element.offset < 0 {
                let start = max(committed[other] ?? -1, handling.resetStarts[other] ?? -1)
                list.pointer.pointee.elems[index].offset = start >= 0 ? start : logical
            }
        }
        let assignErr = rd_kafka_assign(rk, list.pointer)
        if assignErr != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(assignErr, "cannot assign \(tp) at \(offset)") }
    }
}
