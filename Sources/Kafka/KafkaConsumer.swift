import CRdKafka
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A consumer-group member with manual commits, for sink tasks and the distributed-mode stores.
///
/// `enable.auto.commit` and `enable.auto.offset.store` are forced off: a sink commits only what it has flushed.
/// Synchronous by design — call it from a dedicated thread, NEVER from the Swift concurrency cooperative pool: `poll`
/// blocks up to its timeout, and commits/`close` wait for the broker. Use it from one thread at a time (the task
/// thread); `wakeup()` may be called from any thread to make a blocked `poll` return early.
///
/// Rebalances reach the installed `RebalanceHandler` on the polling thread, inside `poll` or `close`; the wrapper
/// applies the assignment itself (eager or cooperative protocol), so the handler only has to react.
public final class KafkaConsumer: @unchecked Sendable {
    /// Called on the polling thread for each rebalance; it must not call `poll` (commits and seeks are fine).
    /// It may capture the consumer: `close()` drops the handler, which breaks the reference cycle.
    public typealias RebalanceHandler = @Sendable (KafkaRebalanceEvent) -> Void

    private let handle: RdKafkaHandle
    private let queue: OpaquePointer
    var metadataHandle: RdKafkaHandle { handle }
    private let closed = Atomic<Bool>(false)
    private let fetchNudge = FetchNudge()
    /// Set when the caller takes over out-of-range resets (see `KafkaConsumer+OutOfRange.swift`).
    let outOfRange: OutOfRangeHandling?

    private init(handle: RdKafkaHandle, queue: OpaquePointer, outOfRange: OutOfRangeHandling?) {
        self.handle = handle
        self.queue = queue
        self.outOfRange = outOfRange
    }

    deinit {
        close()
        rd_kafka_queue_destroy(queue)
    }

    /// Creates a consumer. `group.id` is needed for `subscribe` and meaningful commits. Without one, a private
    /// `__sluice-assign-only-…` id is set, because librdkafka's `assign`/`seek` need a group handle even when the
    /// group is never joined (this is how `TopicReader` reads).
    ///
    /// With an `outOfRangeHandler`, the consumer applies `auto.offset.reset` itself (librdkafka is told `error`) and
    /// reports every jump over records the broker no longer had; see `KafkaOffsetOutOfRange`.
    public static func make(
        config: [String: String],
        logger: Logger = Logger(label: "sluice.kafka.consumer"),
        rebalanceHandler: RebalanceHandler? = nil,
        outOfRangeHandler: OutOfRangeHandler? = nil
    ) throws(KafkaError) -> KafkaConsumer {
        var config = config
        var outOfRange: OutOfRangeHandling?
        if let outOfRangeHandler {
            guard let rule = KafkaOffsetResetRule(config["auto.offset.reset"]) else {
                throw KafkaError(code: .invalidArgument, message: "invalid auto.offset.reset '\(config["auto.offset.reset"] ?? "")': use earliest, latest or none")
            }
            outOfRange = OutOfRangeHandling(rule: rule, handler: outOfRangeHandler)
            config["auto.offset.reset"] = "error"
        }
        if config["group.id"] == nil {
            config["group.id"] = "__sluice-assign-only-\(getpid())-\(assignOnlyCounter.add(1, ordering: .relaxed).newValue)"
        }
        config["enable.auto.commit"] = "false"
        config["enable.auto.offset.store"] = "false"
        let context = KafkaClientContext(logger: logger, cooperativeByConfig: Self.isCooperative(config))
        context.rebalanceHandler.withLock { $0 = rebalanceHandler }
        let handle = try RdKafkaHandle.make(type: RD_KAFKA_CONSUMER, config: config, context: context) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, consumerRebalanceCallback)
        }
        // Serve logs, errors and rebalances from the consumer queue that `poll` reads.
        rd_kafka_poll_set_consumer(handle.pointer)
        // Without a group.id there is no consumer queue: `rd_kafka_consumer_poll` then reads the main queue.
        guard let queue = rd_kafka_queue_get_consumer(handle.pointer) ?? rd_kafka_queue_get_main(handle.pointer) else {
            throw KafkaError(code: .invalidState, message: "consumer has no consumer queue")
        }
        return KafkaConsumer(handle: handle, queue: queue, outOfRange: outOfRange)
    }

    /// Whether this configuration makes librdkafka rebalance incrementally: it refuses to mix eager and cooperative
    /// assignors, so any cooperative one (or KIP-848's `group.protocol=consumer`) means the whole group is cooperative.
    public static func isCooperative(_ config: [String: String]) -> Bool {
        if config["group.protocol"]?.lowercased() == "consumer" { return true }
        return (config["partition.assignment.strategy"] ?? "").lowercased().contains("cooperative")
    }

    /// Installs (or replaces) the rebalance handler; takes effect at the next rebalance.
    public func setRebalanceHandler(_ handler: RebalanceHandler?) {
        handle.context.rebalanceHandler.withLock { $0 = handler }
    }

    /// Joins the group for exactly these topics (replacing any previous subscription).
    public func subscribe(topics: [String]) throws(KafkaError) {
        try subscribeRaw(topics, what: "topics \(topics)")
    }

    /// Joins the group for every topic matching a regular expression, as Kafka Connect's `topics.regex`.
    ///
    /// librdkafka treats a subscription as a regex only when it starts with `^`, so one is prepended when missing.
    public func subscribe(pattern: String) throws(KafkaError) {
        let regex = pattern.hasPrefix("^") ? pattern : "^" + pattern
        try subscribeRaw([regex], what: "pattern '\(regex)'")
    }

    private func subscribeRaw(_ entries: [String], what: String) throws(KafkaError) {
        let list = TopicPartitionList(entries.map { KafkaTopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
        let err = rd_kafka_subscribe(handle.pointer, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "cannot subscribe to \(what)") }
    }

    /// Leaves the subscription (revoking the current assignment through the handler at the next poll).
    public func unsubscribe() throws(KafkaError) {
        let err = rd_kafka_unsubscribe(handle.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "cannot unsubscribe") }
    }

    /// Reads exactly these partitions from these offsets, without group management (no rebalances).
    public func assign(_ offsets: [KafkaPartitionOffset]) throws(KafkaError) {
        let list = TopicPartitionList(offsets)
        let err = rd_kafka_assign(handle.pointer, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "cannot assign \(offsets)") }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let err = rd_kafka_assignment(handle.pointer, &list)
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "cannot read assignment") }
        return TopicPartitionList.partitions(of: list)
    }

    /// Returns up to `maxMessages` records, waiting at most `timeoutMs` for the first one.
    ///
    /// Rebalance handlers run inside this call. Transient consumer errors (unknown topic, broker down) are logged, not
    /// thrown, as the Java consumer does; a fatal client error throws.
    public func poll(maxMessages: Int, timeoutMs: Int) throws(KafkaError) -> [KafkaMessage] {
        var result: [KafkaMessage] = []
        result.reserveCapacity(min(maxMessages, 1024))
        var names = KafkaNameCache()
        try dequeue(maxMessages: maxMessages, timeoutMs: timeoutMs) { message in
            result.append(KafkaMessage(copying: message, names: &names))
            return false
        }
        return result
    }

    /// `poll` without the copying: dequeues up to `maxMessages` records (waiting at most `timeoutMs` for the first)
    /// and returns them still in librdkafka's buffers (see `KafkaMessageBatch`). Same error handling as `poll`.
    public func pollBatch(maxMessages: Int, timeoutMs: Int) throws(KafkaError) -> KafkaMessageBatch {
        var result: [UnsafeMutablePointer<rd_kafka_message_t>] = []
        result.reserveCapacity(min(maxMessages, 1024))
        do {
            try dequeue(maxMessages: maxMessages, timeoutMs: timeoutMs) { message in
                result.append(message)
                return true
            }
        } catch {
            for m in result { rd_kafka_message_destroy(m) }
            throw error
        }
        return KafkaMessageBatch(result)
    }

    /// The loop both polls share. `take` gets each record and returns whether it keeps it (and destroys it later
    /// itself); otherwise it is destroyed here. Transient consumer errors are logged, a fatal client error throws.
    private func dequeue(maxMessages: Int, timeoutMs: Int, _ take: (UnsafeMutablePointer<rd_kafka_message_t>) -> Bool) throws(KafkaError) {
        if closed.load(ordering: .relaxed) {
            throw KafkaError(code: .invalidState, message: "consumer is closed")
        }
        // Only right after a poll that returned records: an idle consumer's fetcher is not backed off (its queue is
        // not full), and nudging it would send a ListOffsets request every 20 ms for nothing.
        if fetchNudge.lastPollHadMessages && rd_kafka_queue_length(queue) == 0 {
            fetchNudge.wake(handle.pointer) { (try? assignment()) ?? [] }
        }
        var taken = 0
        defer { fetchNudge.lastPollHadMessages = taken > 0 }
        var wait = Int32(clamping: timeoutMs)
        while taken < maxMessages {
            guard let message = rd_kafka_consumer_poll(handle.pointer, wait) else { break }
            wait = 0
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                taken += 1
                if !take(message) { rd_kafka_message_destroy(message) }
                continue
            }
            defer { rd_kafka_message_destroy(message) }
            if err == RD_KAFKA_RESP_ERR__PARTITION_EOF { continue }
            if err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET, let outOfRange {
                try resetOutOfRange(message, outOfRange)
                continue
            }
            try checkFatal()
            let text = message.pointee.payload.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: message.pointee.len), as: UTF8.self)
            } ?? ""
            handle.context.logger.warning("consumer error \(KafkaError.Code(rawValue: Int32(err.rawValue)).name): \(text)")
        }
    }

    /// Makes a `poll` blocked on another thread return early (used by the task's `stop()`).
    public func wakeup() {
        rd_kafka_queue_yield(queue)
    }

    /// Commits next-offsets (last processed + 1) for the given partitions.
    ///
    /// With `async: true` the call returns at once and a failure is only logged — use it for periodic commits where
    /// the next commit supersedes this one; use synchronous commits on revocation and shutdown.
    public func commit(offsets: [KafkaPartitionOffset], async: Bool = false) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = TopicPartitionList(offsets)
        let err = rd_kafka_commit(handle.pointer, list.pointer, async ? 1 : 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "offset commit of \(offsets) failed") }
        if !async, let error = list.firstError("offset commit failed") { throw error }
    }

    /// The group's committed next-offsets for these partitions; partitions without a commit are absent.
    public func committed(_ partitions: [KafkaTopicPartition], timeoutMs: Int = 10_000) throws(KafkaError)
        -> [KafkaTopicPartition: Int64]
    {
        guard !partitions.isEmpty else { return [:] }
        let list = TopicPartitionList(partitions)
        let err = rd_kafka_committed(handle.pointer, list.pointer, Int32(clamping: timeoutMs))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "cannot fetch committed offsets for \(partitions)") }
        if let error = list.firstError("cannot fetch committed offset") { throw error }
        var result: [KafkaTopicPartition: Int64] = [:]
        for entry in list.offsets where entry.offset >= 0 { result[entry.topicPartition] = entry.offset }
        return result
    }

    /// Moves the fetch position of assigned partitions (e.g. to offsets a sink stored itself, or `.beginning`).
    ///
    /// Also valid inside the `.assigned` rebalance handler for the partitions being assigned: there the offsets become
    /// the assignment's start positions instead of the committed ones.
    public func seek(_ offsets: [KafkaPartitionOffset], timeoutMs: Int = 10_000) throws(KafkaError) {
        // Inside the `.assigned` handler the incoming partitions are not fetched yet: record their start offsets.
        let remaining: [KafkaPartitionOffset] = handle.context.assigning.withLock { pending in
            guard var incoming = pending else { return offsets }
            defer { pending = incoming }
            return offsets.filter { offset in
                guard incoming.partitions.contains(offset.topicPartition) else { return true }
                incoming.seeks[offset.topicPartition] = offset.offset
                return false
            }
        }
        guard !remaining.isEmpty else { return }
        let list = TopicPartitionList(remaining)
        if let error = rd_kafka_seek_partitions(handle.pointer, list.pointer, Int32(clamping: timeoutMs)) {
            throw KafkaError(consuming: error, "cannot seek \(remaining)")
        }
        if let error = list.firstError("seek failed") { throw error }
    }

    /// Stops fetching these partitions (their assignment is kept), e.g. when a sink task asks for back-pressure.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let list = TopicPartitionList(partitions)
        let err = rd_kafka_pause_partitions(handle.pointer, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "cannot pause \(partitions)") }
        if let error = list.firstError("cannot pause") { throw error }
    }

    /// Resumes fetching paused partitions.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let list = TopicPartitionList(partitions)
        let err = rd_kafka_resume_partitions(handle.pointer, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, "cannot resume \(partitions)") }
        if let error = list.firstError("cannot resume") { throw error }
    }

    /// Leaves the group cleanly (the revoke handler runs first), so the group rebalances at once instead of waiting
    /// for `session.timeout.ms` — which matters doubly on the mock cluster. Idempotent; also done on deinit.
    public func close() {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        let err = rd_kafka_consumer_close(handle.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            handle.context.logger.warning("consumer close: \(KafkaError(err, "close").message)")
        }
        // The handler may capture this consumer (to commit on revocation): dropping it breaks that cycle.
        handle.context.rebalanceHandler.withLock { $0 = nil }
    }

    private func checkFatal() throws(KafkaError) {
        var errstr = [CChar](repeating: 0, count: 512)
        let fatal = rd_kafka_fatal_error(handle.pointer, &errstr, errstr.count)
        if fatal != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(code: .init(rawValue: Int32(fatal.rawValue)), message: "consumer fatal error: \(cString(errstr))", isFatal: true)
        }
    }
}

private let assignOnlyCounter = Atomic<Int>(0)

/// Applies the new assignment (the wrapper, not the handler, owns correctness here) and notifies the handler:
/// revocations before giving partitions up, assignments after taking them.
private let consumerRebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { rk, err, partitions, _ in
    guard let rk, let context = KafkaClientContext.of(rk) else { return }
    let handler = context.rebalanceHandler.withLock { $0 }
    // `rd_kafka_rebalance_protocol` is documented to return NULL when it cannot answer (no group handle, or the
    // request to the group thread failed, as while the group is being torn down). Swift imports the result as an
    // implicitly unwrapped pointer, so the old `String(cString:)` of it would trap inside this C callback and take
    // the whole worker down with it; the configured protocol is the same answer (librdkafka forbids mixing eager
    // and cooperative assignors).
    let cooperative: Bool
    if let name = rd_kafka_rebalance_protocol(rk) {
        cooperative = String(cString: name) == "COOPERATIVE"
    } else {
        cooperative = context.cooperativeByConfig
    }
    let list = TopicPartitionList.partitions(of: partitions)
    if err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
        // The handler runs first so that its seeks can become start offsets of the assignment.
        context.assigning.withLock { $0 = KafkaClientContext.PendingAssignment(partitions: Set(list)) }
        handler?(.assigned(list))
        let seeks = context.assigning.withLock { pending in
            defer { pending = nil }
            return pending?.seeks ?? [:]
        }
        if let partitions, !seeks.isEmpty {
            for index in 0..<Int(partitions.pointee.cnt) {
                let element = partitions.pointee.elems[index]
                let tp = KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition)
                if let offset = seeks[tp] { partitions.pointee.elems[index].offset = offset }
            }
        }
        if cooperative {
            if let error = rd_kafka_incremental_assign(rk, partitions) {
                context.logger.error("incremental assign failed: \(KafkaError(consuming: error, "assign").message)")
            }
        } else {
            _ = rd_kafka_assign(rk, partitions)
        }
    } else if err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS {
        handler?(.revoked(list))
        if cooperative {
            if let error = rd_kafka_incremental_unassign(rk, partitions) {
                context.logger.error("incremental unassign failed: \(KafkaError(consuming: error, "unassign").message)")
            }
        } else {
            _ = rd_kafka_assign(rk, nil)
        }
    } else {
        context.logger.warning("rebalance error: \(KafkaError(err, "rebalance").message)")
        if !list.isEmpty { handler?(.revoked(list)) }
        _ = rd_kafka_assign(rk, nil)
    }
}
