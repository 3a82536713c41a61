import CRdKafka
import Logging
import Synchronization

/// State shared between a Swift client and librdkafka's C callbacks.
///
/// One instance per `rd_kafka_t`, handed to librdkafka as the conf opaque through a retained `Unmanaged`; the
/// `RdKafkaHandle` owning the `rd_kafka_t` releases it after `rd_kafka_destroy`, when no callback can run any more.
final class KafkaClientContext: @unchecked Sendable {
    let logger: Logger
    /// Producer: the single per-producer delivery handler for records produced with an integer id. Immutable after init.
    let deliveryHandler: KafkaProducer.DeliveryHandler?
    /// Producer: records produced but not yet reported.
    let outstanding = Atomic<Int>(0)
    /// Consumer: installed by the runtime; read inside the rebalance callback.
    let rebalanceHandler = Mutex<KafkaConsumer.RebalanceHandler?>(nil)
    /// Consumer: set while the `.assigned` handler runs; seeks on the incoming partitions are collected here and
    /// become the assignment's start offsets (librdkafka refuses seeks on partitions not yet being fetched).
    let assigning = Mutex<PendingAssignment?>(nil)

    struct PendingAssignment {
        var partitions: Set<KafkaTopicPartition>
        var seeks: [KafkaTopicPartition: Int64] = [:]
    }

    /// Consumer: whether the configured assignors are cooperative, for when librdkafka cannot tell any more.
    let cooperativeByConfig: Bool

    init(logger: Logger, deliveryHandler: KafkaProducer.DeliveryHandler? = nil, cooperativeByConfig: Bool = false) {
        self.logger = logger
        self.deliveryHandler = deliveryHandler
        self.cooperativeByConfig = cooperativeByConfig
    }

    /// The context registered as the opaque of `rk`.
    static func of(_ rk: OpaquePointer?) -> KafkaClientContext? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<KafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// Routes librdkafka's log lines into swift-log instead of stderr (called from librdkafka's internal threads).
let kafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    rk, level, facility, buffer in
    guard let context = KafkaClientContext.of(rk) else { return }
    let fac = facility.map { String(cString: $0) } ?? "-"
    let text = buffer.map { String(cString: $0) } ?? ""
    let swiftLevel: Logger.Level
    switch level {
    case ...3: swiftLevel = .error
    case 4: swiftLevel = .warning
    case 5, 6: swiftLevel = .info
    default: swiftLevel = .debug
    }
    context.logger.log(level: swiftLevel, "librdkafka \(fac): \(text)")
}

/// Surfaces client-level errors (broker down, fatal idempotence errors) in the log; per-operation errors are thrown.
let kafkaErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    rk, err, reason, _ in
    guard let context = KafkaClientContext.of(rk) else { return }
    let text = reason.map { String(cString: $0) } ?? ""
    let code = KafkaError.Code(rawValue: err)
    if code == .fatal {
        context.logger.error("librdkafka fatal error: \(text)")
    } else if code == .allBrokersDown || code == .transport {
        context.logger.debug("librdkafka: \(code.name): \(text)")
    } else {
        context.logger.warning("librdkafka: \(code.name): \(text)")
    }
}
