import CRdKafka

extension KafkaMessage {
    /// Copies a consumed `rd_kafka_message_t` (key, value, headers, timestamp) into Swift values.
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let m = message.pointee
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) }
        var headers: [(key: String, value: [UInt8]?)] = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var index = 0
            var name: UnsafePointer<CChar>?
            var data: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(hdrs, index, &name, &data, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let headerValue = data.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append((key: name.map { String(cString: $0) } ?? "", value: headerValue))
                index += 1
            }
        }
        var tsType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ts = rd_kafka_message_timestamp(message, &tsType)
        let type: KafkaTimestampType =
            tsType == RD_KAFKA_TIMESTAMP_CREATE_TIME ? .createTime
            : tsType == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? .logAppendTime : .notAvailable
        self.init(
            topic: String(cString: rd_kafka_topic_name(m.rkt)), partition: m.partition, offset: m.offset,
            key: key, value: value, headers: headers, timestamp: type == .notAvailable ? nil : ts, timestampType: type
        )
    }
}
