import CRdKafka

extension KafkaConsumer {
    /// The low (earliest kept) and high (next to be written) offsets of a partition, asked of the broker.
    ///
    /// Used to "reset" a sink connector's offsets: committing the low watermark makes the group start from the
    /// earliest record, which is what deleting the committed offsets does under Connect's `auto.offset.reset=earliest`.
    public func watermarks(topic: String, partition: Int32, timeoutMs: Int = 10_000) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(metadataHandle.pointer, topic, partition, &low, &high, Int32(clamping: timeoutMs))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "cannot read watermarks of \(topic)-\(partition)") }
        return (low, high)
    }
}
