extension KafkaConsumer {
    /// Partition count of an existing topic (nil if absent), from this consumer's connection.
    func partitionCount(topic: String, timeoutMs: Int) throws(KafkaError) -> Int? {
        try metadataHandle.partitionCounts(topic: nil, timeoutMs: Int32(clamping: timeoutMs))[topic]
    }
}
