import CRdKafka
import Logging
import Synchronization

/// An idempotent Kafka producer whose delivery reports tell the runtime exactly when the broker acknowledged a record.
///
/// Synchronous by design: source tasks run on dedicated threads, which call `produce` and `poll`. `produce` may block
/// (bounded by `blockTimeoutMs`) while the local queue is full — that is the back-pressure path — so it must NEVER be
/// called from the Swift concurrency cooperative pool. All methods are thread-safe; delivery callbacks run on whichever
/// thread calls `poll`, `flush`, or a blocked `produce`.
///
/// Two ways to learn about deliveries:
/// - `produce(..., id:)` with the producer-wide `DeliveryHandler` given to `make`: no allocation per record, the fast
///   path for the source loop (the id indexes the runtime's own table of in-flight records);
/// - `produce(..., completion:)`: a closure per record, convenient for low-volume writers (config/status stores).
/// Either way every accepted record gets exactly one report.
public final class KafkaProducer: @unchecked Sendable {
    /// Called once per record produced with an `id`: the id given to `produce` and where the record was stored.
    /// Must not capture the producer strongly (the producer owns it for its whole life).
    public typealias DeliveryHandler = @Sendable (_ id: UInt64, _ result: Result<KafkaDeliveryReport, KafkaError>) -> Void
    /// Called once per record produced with a completion closure.
    public typealias Completion = @Sendable (Result<KafkaDeliveryReport, KafkaError>) -> Void

    private let handle: RdKafkaHandle
    private let topics = Mutex<[String: TopicHandle]>([:])
    private let closed = Atomic<Bool>(false)

    /// Retained per-message boxes are 16-byte aligned, so odd opaque values can carry integer ids.
    final class CompletionBox {
        let completion: Completion
        init(_ completion: @escaping Completion) { self.completion = completion }
    }

    /// A cached `rd_kafka_topic_t`, so the hot path avoids looking a topic up by name on every record. It is the
    /// topic's opaque too: delivery reports take the topic's name from it instead of building a `String` from the
    /// C name per record.
    final class TopicHandle: @unchecked Sendable {
        let name: String
        private(set) var pointer: OpaquePointer?

        /// A handle whose `rd_kafka_topic_t` has the producer's default topic settings and this object as opaque;
        /// nil when librdkafka refuses the name.
        init?(_ rk: OpaquePointer, name: String) {
            self.name = name
            let conf = rd_kafka_default_topic_conf_dup(rk)
            rd_kafka_topic_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
            guard let rkt = rd_kafka_topic_new(rk, name, conf) else { return nil }  // takes `conf` either way
            pointer = rkt
        }

        deinit { if let pointer { rd_kafka_topic_destroy(pointer) } }

        /// The name of a topic whose handle this producer made (every record it produces), else librdkafka's.
        static func name(of rkt: OpaquePointer) -> String {
            if let opaque = rd_kafka_topic_opaque(rkt) {
                return Unmanaged<TopicHandle>.fromOpaque(opaque).takeUnretainedValue().name
            }
            return String(cString: rd_kafka_topic_name(rkt))
        }
    }

    private init(handle: RdKafkaHandle) { self.handle = handle }

    deinit {
        // Records still queued would never be reported after rd_kafka_destroy (leaking their completion boxes):
        // purge them and serve the resulting failure reports first.
        if outstanding > 0 {
            _ = rd_kafka_purge(handle.pointer, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            let deadline = ContinuousClock.now.advanced(by: .seconds(5))
            while outstanding > 0 && ContinuousClock.now < deadline { poll(timeoutMs: 50) }
        }
        topics.withLock { $0.removeAll() }  // topic handles must go before the rd_kafka_t they belong to
    }

    /// Creates a producer from librdkafka configuration (see `KafkaConfigMapper.producerConfig` for Java keys).
    ///
    /// `enable.idempotence=true` and `acks=all` are applied unless the config says otherwise, as Kafka Connect does.
    public static func make(
        config: [String: String],
        logger: Logger = Logger(label: "sluice.kafka.producer"),
        deliveryHandler: DeliveryHandler? = nil
    ) throws(KafkaError) -> KafkaProducer {
        var config = config
        if config["enable.idempotence"] == nil { config["enable.idempotence"] = "true" }
        if config["acks"] == nil && config["request.required.acks"] == nil { config["acks"] = "all" }
        let context = KafkaClientContext(logger: logger, deliveryHandler: deliveryHandler)
        let handle = try RdKafkaHandle.make(type: RD_KAFKA_PRODUCER, config: config, context: context) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, producerDeliveryCallback)
        }
        return KafkaProducer(handle: handle)
    }

    /// Records accepted by `produce` whose delivery report has not been handled yet.
    public var outstanding: Int { handle.context.outstanding.load(ordering: .relaxed) }

    /// Produces a record whose report goes to the producer's `DeliveryHandler` with `id` (must be < 2^63).
    ///
    /// - Parameters:
    ///   - headers: (key, value) pairs in order, unlabeled like the runtime's own, so callers pass theirs as they are.
    ///   - partition: nil lets librdkafka's partitioner choose (`partitioner` config; set `murmur2_random` for
    ///     Java-compatible key placement).
    ///   - timestamp: milliseconds since the epoch; nil means now.
    ///   - blockTimeoutMs: how long to wait, serving delivery reports, while the local queue is full.
    /// - Throws: `KafkaError` with `.queueFull` when the queue stayed full for `blockTimeoutMs`, or any other
    ///   immediate refusal (unknown partition, message too large, closed producer).
    public func produce(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
        headers: [(String, [UInt8]?)] = [], timestamp: Int64? = nil,
        id: UInt64, blockTimeoutMs: Int = 60_000
    ) throws(KafkaError) {
        let opaque = UnsafeMutableRawPointer(bitPattern: UInt(truncatingIfNeeded: (id << 1) | 1))
        try enqueue(topic, partition, key, value, headers, timestamp, opaque, blockTimeoutMs)
    }

    /// Produces a record and calls `completion` exactly once with its delivery report (from a `poll`ing thread).
    public func produce(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
        headers: [(String, [UInt8]?)] = [], timestamp: Int64? = nil,
        blockTimeoutMs: Int = 60_000, completion: @escaping Completion
    ) throws(KafkaError) {
        let box = Unmanaged.passRetained(CompletionBox(completion))
        do {
            try enqueue(topic, partition, key, value, headers, timestamp, box.toOpaque(), blockTimeoutMs)
        } catch {
            box.release()  // librdkafka refused the record: it will never report it
            throw error
        }
    }

    /// Serves queued delivery reports for up to `timeoutMs`; returns how many events were served.
    @discardableResult
    public func poll(timeoutMs: Int = 0) -> Int {
        Int(rd_kafka_poll(handle.pointer, Int32(clamping: timeoutMs)))
    }

    /// Waits until every outstanding record is reported (serving reports meanwhile); false on timeout.
    @discardableResult
    public func flush(timeoutMs: Int) -> Bool {
        _ = rd_kafka_flush(handle.pointer, Int32(clamping: timeoutMs))
        poll(timeoutMs: 0)
        return outstanding == 0
    }

    /// Flushes for up to `timeoutMs`, then refuses further records. Undelivered records are reported as failed when
    /// the producer is released. Returns true when nothing was left outstanding.
    @discardableResult
    public func close(timeoutMs: Int = 30_000) -> Bool {
        closed.store(true, ordering: .relaxed)
        let done = flush(timeoutMs: timeoutMs)
        if !done { _ = rd_kafka_purge(handle.pointer, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)); poll(timeoutMs: 100) }
        return done
    }

    private func topicHandle(_ name: String) throws(KafkaError) -> OpaquePointer {
        let result: OpaquePointer? = topics.withLock { cache in
            if let cached = cache[name] { return cached.pointer }
            guard let topic = TopicHandle(handle.pointer, name: name) else { return nil }
            cache[name] = topic
            return topic.pointer
        }
        guard let result else {
            throw KafkaError(code: .invalidArgument, message: "cannot create topic handle for '\(name)'")
        }
        return result
    }

    private func enqueue(
        _ topic: String, _ partition: Int32?, _ key: [UInt8]?, _ value: [UInt8]?,
        _ headers: [(String, [UInt8]?)], _ timestamp: Int64?, _ opaque: UnsafeMutableRawPointer?,
        _ blockTimeoutMs: Int
    ) throws(KafkaError) {
        try enqueue(topic, partition, key, value, headers.count, { hdrs in
            for (k, v) in headers { Self.addHeader(hdrs, k, v) }
        }, timestamp, opaque, blockTimeoutMs)
    }

    @inline(__always) private static func addHeader(_ hdrs: OpaquePointer?, _ key: String, _ value: [UInt8]?) {
        if let bytes = value {
            bytes.withUnsafeBytes { _ = rd_kafka_header_add(hdrs, key, -1, $0.baseAddress, $0.count) }
        } else {
            _ = rd_kafka_header_add(hdrs, key, -1, nil, 0)
        }
    }

    private func enqueue(
        _ topic: String, _ partition: Int32?, _ key: [UInt8]?, _ value: [UInt8]?,
        _ headerCount: Int, _ addHeaders: (OpaquePointer?) -> Void, _ timestamp: Int64?, _ opaque: UnsafeMutableRawPointer?,
        _ blockTimeoutMs: Int
    ) throws(KafkaError) {
        if closed.load(ordering: .relaxed) {
            throw KafkaError(code: .invalidState, message: "producer is closed; cannot produce to '\(topic)'")
        }
        let rkt = try topicHandle(topic)
        let context = handle.context
        context.outstanding.add(1, ordering: .relaxed)  // before enqueueing: the report may arrive on another thread at once
        var hdrs: OpaquePointer? = nil
        if headerCount > 0 {
            hdrs = rd_kafka_headers_new(headerCount)
            addHeaders(hdrs)
        }
        var deadline: ContinuousClock.Instant?
        while true {
            let error = Self.produceva(handle.pointer, rkt, partition, key, value, hdrs, timestamp, opaque)
            guard let error else { return }  // success: librdkafka owns the headers now
            let code = KafkaError.Code(rawValue: Int32(rd_kafka_error_code(error).rawValue))
            if code == .queueFull && !closed.load(ordering: .relaxed) {
                let now = ContinuousClock.now
                if deadline == nil { deadline = now.advanced(by: .milliseconds(blockTimeoutMs)) }
                if now < deadline! {
                    rd_kafka_error_destroy(error)
                    rd_kafka_poll(handle.pointer, 10)  // serving reports is what frees queue space
                    continue
                }
            }
            if let hdrs { rd_kafka_headers_destroy(hdrs) }
            context.outstanding.subtract(1, ordering: .relaxed)
            let suffix = code == .queueFull ? " (local queue stayed full for \(blockTimeoutMs) ms)" : ""
            throw KafkaError(consuming: error, "cannot produce to topic '\(topic)'\(suffix)")
        }
    }

    /// One `rd_kafka_produceva` call; payloads are copied (`RD_KAFKA_MSG_F_COPY`) so Swift arrays need not outlive it.
    private static func produceva(
        _ rk: OpaquePointer, _ rkt: OpaquePointer, _ partition: Int32?, _ key: [UInt8]?, _ value: [UInt8]?,
        _ headers: OpaquePointer?, _ timestamp: Int64?, _ opaque: UnsafeMutableRawPointer?
    ) -> OpaquePointer? {
        withBytes(key) { keyPtr, keyLen in
            withBytes(value) { valuePtr, valueLen in
                // On the stack: this runs once per record, a heap array here was one malloc/free per record.
                withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 8) { vus in
                    var count = 0
                    func add(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) {
                        var vu = rd_kafka_vu_t()
                        vu.vtype = type
                        set(&vu)
                        vus.initializeElement(at: count, to: vu)
                        count += 1
                    }
                    add(RD_KAFKA_VTYPE_RKT) { $0.u.rkt = rkt }
                    add(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition ?? RD_KAFKA_PARTITION_UA }
                    add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                    add(RD_KAFKA_VTYPE_VALUE) { $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: valuePtr); $0.u.mem.size = valueLen }
                    add(RD_KAFKA_VTYPE_KEY) { $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: keyPtr); $0.u.mem.size = keyLen }
                    add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                    if let timestamp { add(RD_KAFKA_VTYPE_TIMESTAMP) { $0.u.i64 = timestamp } }
                    if let headers { add(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers } }
                    return rd_kafka_produceva(rk, UnsafePointer(vus.baseAddress), count)
                }
            }
        }
    }

    /// Null stays null (pointer nil), empty stays empty (non-nil pointer, length 0): Kafka distinguishes them.
    private static func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawPointer?, Int) -> R) -> R {
        guard let bytes else { return body(nil, 0) }
        if bytes.isEmpty {
            var empty: UInt8 = 0
            return withUnsafePointer(to: &empty) { body(UnsafeRawPointer($0), 0) }
        }
        return bytes.withUnsafeBytes { body($0.baseAddress, $0.count) }
    }
}

/// librdkafka's delivery report callback: decodes the opaque (tagged id or retained closure box) and reports once.
private let producerDeliveryCallback:
    @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        rk, message, _ in
        guard let message, let context = KafkaClientContext.of(rk) else { return }
        let m = message.pointee
        let result: Result<KafkaDeliveryReport, KafkaError>
        if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            var tsType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
            let ts = rd_kafka_message_timestamp(message, &tsType)
            result = .success(KafkaDeliveryReport(
                topic: KafkaProducer.TopicHandle.name(of: m.rkt), partition: m.partition, offset: m.offset,
                timestamp: tsType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : ts
            ))
        } else {
            let topic = m.rkt.map { KafkaProducer.TopicHandle.name(of: $0) } ?? "?"
            result = .failure(KafkaError(m.err, "delivery to '\(topic)' partition \(m.partition) failed"))
        }
        let bits = UInt(bitPattern: m._private)
        if bits & 1 == 1 {
            context.deliveryHandler?(UInt64(bits >> 1), result)
        } else if let raw = m._private {
            Unmanaged<KafkaProducer.CompletionBox>.fromOpaque(raw).takeRetainedValue().completion(result)
        }
        // Only after the handler ran: `outstanding == 0` then means every report has been fully handled.
        context.outstanding.subtract(1, ordering: .relaxed)
    }
