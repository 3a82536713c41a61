import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t` built from or read into Swift values.
final class TopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int) {
        pointer = rd_kafka_topic_partition_list_new(Int32(max(capacity, 1)))
    }

    convenience init(_ partitions: [KafkaTopicPartition]) {
        self.init(capacity: partitions.count)
        for p in partitions { rd_kafka_topic_partition_list_add(pointer, p.topic, p.partition) }
    }

    convenience init(_ offsets: [KafkaPartitionOffset]) {
        self.init(capacity: offsets.count)
        for o in offsets { rd_kafka_topic_partition_list_add(pointer, o.topic, o.partition).pointee.offset = o.offset }
    }

    deinit { rd_kafka_topic_partition_list_destroy(pointer) }

    /// Copies a list librdkafka owns (e.g. the rebalance callback's) into Swift values.
    static func partitions(of list: UnsafePointer<rd_kafka_topic_partition_list_t>?) -> [KafkaTopicPartition] {
        guard let list else { return [] }
        return (0..<Int(list.pointee.cnt)).map { index in
            let element = list.pointee.elems[index]
            return KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
        }
    }

    var partitions: [KafkaTopicPartition] { TopicPartitionList.partitions(of: pointer) }

    var offsets: [KafkaPartitionOffset] {
        (0..<Int(pointer.pointee.cnt)).map { index in
            let element = pointer.pointee.elems[index]
            return KafkaPartitionOffset(topic: String(cString: element.topic), partition: element.partition, offset: element.offset)
        }
    }

    /// The first per-partition error librdkafka recorded in the list, if any.
    func firstError(_ context: String) -> KafkaError? {
        for index in 0..<Int(pointer.pointee.cnt) {
            let element = pointer.pointee.elems[index]
            if element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                return KafkaError(element.err, "\(context) (\(String(cString: element.topic))-\(element.partition))")
            }
        }
        return nil
    }
}
