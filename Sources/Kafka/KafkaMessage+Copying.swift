import CRdKafka
import Glibc

extension KafkaMessage {
    /// Copies a consumed `rd_kafka_message_t` (key, value, headers, timestamp) into Swift values.
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>) {
        var names = KafkaNameCache()
        self.init(copying: message, names: &names)
    }

    /// `init(copying:)` that takes its topic and header names from `names`: consecutive messages repeat them, and
    /// building a `String` per name per message cost a sink as much as copying the payload.
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>, names: inout KafkaNameCache) {
        let m = message.pointee
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) }
        var headers: [(String, [UInt8]?)] = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            headers.reserveCapacity(rd_kafka_header_cnt(hdrs))
            var index = 0
            var name: UnsafePointer<CChar>?
            var data: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(hdrs, index, &name, &data, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let headerValue = data.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append((name.map { names.header(at: index, $0) } ?? "", headerValue))
                index += 1
            }
        }
        var tsType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ts = rd_kafka_message_timestamp(message, &tsType)
        let type: KafkaTimestampType =
            tsType == RD_KAFKA_TIMESTAMP_CREATE_TIME ? .createTime
            : tsType == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? .logAppendTime : .notAvailable
        self.init(
            topic: names.topic(m.rkt), partition: m.partition, offset: m.offset,
            key: key, value: value, headers: headers, timestamp: type == .notAvailable ? nil : ts, timestampType: type
        )
    }
}

/// The previous message's topic and header names, reused while the next message's are byte for byte the same.
/// Header names are compared by position (records of one source carry the same headers in the same order); a
/// name that differs replaces the cached one.
struct KafkaNameCache {
    private var rkt: OpaquePointer?
    private var topicName = ""
    private var headers: [String] = []

    mutating func topic(_ rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        if rkt != self.rkt {
            self.rkt = rkt
            topicName = String(cString: rd_kafka_topic_name(rkt))
        }
        return topicName
    }

    mutating func header(at index: Int, _ name: UnsafePointer<CChar>) -> String {
        let bytes = UnsafeRawBufferPointer(start: name, count: strlen(name))
        if index < headers.count, Self.equal(headers[index], bytes) { return headers[index] }
        let s = String(decoding: bytes, as: UTF8.self)
        if index < headers.count { headers[index] = s } else if index == headers.count { headers.append(s) }
        return s
    }

    private static func equal(_ s: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var s = s
        return s.withUTF8 { utf8 in
            utf8.count == bytes.count && (bytes.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }
}
