import CRdKafka

/// Messages taken from the consumer queue but not yet copied out of librdkafka's buffers.
///
/// `KafkaConsumer.pollBatch` only dequeues: the copying (payloads, headers, topic names) happens in `messages()`,
/// which may run on another thread. A sink task polls on its own thread (rebalance callbacks run there) and leaves
/// the per-message work to the thread that converts the batch, so its thread goes straight back to writing.
/// librdkafka allows destroying a message on any thread; whatever `messages()` did not take is destroyed on deinit.
public final class KafkaMessageBatch: @unchecked Sendable {
    private var pointers: [UnsafeMutablePointer<rd_kafka_message_t>]

    init(_ pointers: [UnsafeMutablePointer<rd_kafka_message_t>]) { self.pointers = pointers }

    deinit { for p in pointers { rd_kafka_message_destroy(p) } }

    public var count: Int { pointers.count }

    /// Copies every message into Swift values (in consumed order) and releases librdkafka's copies. Call once.
    public func messages() -> [KafkaMessage] {
        let taken = pointers
        pointers = []
        var out: [KafkaMessage] = []
        out.reserveCapacity(taken.count)
        var names = KafkaNameCache()
        for p in taken {
            out.append(KafkaMessage(copying: p, names: &names))
            rd_kafka_message_destroy(p)
        }
        return out
    }
}
