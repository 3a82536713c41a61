import CRdKafka
import Logging

/// Owns one `rd_kafka_t` and the retained callback context registered as its opaque.
///
/// Producer, consumer, admin and the embedded cluster each hold exactly one. `deinit` destroys the handle first (which
/// joins librdkafka's threads, so no callback can still be running) and only then releases the context.
final class RdKafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
    let context: KafkaClientContext
    private let retainedContext: Unmanaged<KafkaClientContext>

    private init(pointer: OpaquePointer, context: KafkaClientContext, retained: Unmanaged<KafkaClientContext>) {
        self.pointer = pointer
        self.context = context
        self.retainedContext = retained
    }

    deinit {
        rd_kafka_destroy(pointer)
        retainedContext.release()
    }

    /// Builds the configuration, lets `configure` install callbacks, and creates the client.
    ///
    /// On any failure the half-built conf is destroyed and the context released, so nothing leaks.
    static func make(
        type: rd_kafka_type_t,
        config: [String: String],
        context: KafkaClientContext,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> RdKafkaHandle {
        let conf = try makeConf(config)
        let retained = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, retained.toOpaque())
        rd_kafka_conf_set_log_cb(conf, kafkaLogCallback)
        rd_kafka_conf_set_error_cb(conf, kafkaErrorCallback)
        configure(conf)
        var errstr = [CChar](repeating: 0, count: 512)
        guard let rk = rd_kafka_new(type, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)  // rd_kafka_new leaves the conf to us when it fails
            retained.release()
            throw KafkaError(code: .invalidArgument, message: "cannot create Kafka client: \(cString(errstr))")
        }
        return RdKafkaHandle(pointer: rk, context: context, retained: retained)
    }

    /// A new `rd_kafka_conf_t` with every key applied; names the offending key when librdkafka refuses one.
    static func makeConf(_ config: [String: String]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .invalidArgument, message: "rd_kafka_conf_new failed")
        }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in config.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errstr, errstr.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(
                    code: .invalidArgument,
                    message: "invalid Kafka client config '\(key)'='\(value)': \(cString(errstr))"
                )
            }
        }
        return conf
    }

    /// Partition count of every topic (or just `topic`), from a metadata request.
    ///
    /// Asking for one topic lets a broker with auto-creation create it, which is how topics appear on the mock cluster.
    func partitionCounts(topic: String?, timeoutMs: Int32) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        var rkt: OpaquePointer?
        if let topic { rkt = rd_kafka_topic_new(pointer, topic, nil) }
        defer { if let rkt { rd_kafka_topic_destroy(rkt) } }
        let err = rd_kafka_metadata(pointer, topic == nil ? 1 : 0, rkt, &metadata, Int32(timeoutMs))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(err, "metadata request for \(topic.map { "topic '\($0)'" } ?? "all topics") failed")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        var counts: [String: Int] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let entry = metadata.pointee.topics[index]
            guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR, entry.partition_cnt > 0 else { continue }
            counts[String(cString: entry.topic)] = Int(entry.partition_cnt)
        }
        return counts
    }
}

/// Text of a NUL-terminated C buffer librdkafka filled (error strings).
func cString(_ buffer: [CChar]) -> String {
    buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
