import CRdKafka

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wakes librdkafka's fetcher when the consumer has drained its local queue.
///
/// librdkafka 2.0 stops fetching a partition while the consumer queue holds more than `queued.max.messages.kbytes`,
/// and re-checks only when the leader's broker thread next wakes up — up to a second later when nothing else is
/// going on (newer versions added `fetch.queue.backoff.ms` for this). A sink that drains the queue faster than that
/// sat idle: with the runtime's 16 MiB prefetch cap a JDBC sink read 33k records/s where the same consumer with a
/// 64 MiB cap read 92k. Any request to the leader wakes its thread, which then re-evaluates fetching at once, so when
/// `poll` finds the queue empty it asks one assigned partition's leader for its watermarks (a read-only ListOffsets),
/// at most every 20 ms, rotating over the assignment so every leader gets woken in turn.
///
/// Used only from the polling thread.
final class FetchNudge: @unchecked Sendable {
    private var partitions: [KafkaTopicPartition] = []
    private var refreshedAtNs: UInt64 = 0
    private var lastNudgeNs: UInt64 = 0
    private var next = 0
    /// Whether the previous `poll` returned records (set by `poll`).
    var lastPollHadMessages = false
    static let minIntervalNs: UInt64 = 20_000_000
    static let refreshIntervalNs: UInt64 = 1_000_000_000

    static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Called by `poll` when the local queue is empty.
    func wake(_ rk: OpaquePointer, assignment: () -> [KafkaTopicPartition]) {
        let now = Self.nowNs()
        guard now &- lastNudgeNs >= Self.minIntervalNs else { return }
        lastNudgeNs = now
        if partitions.isEmpty || now &- refreshedAtNs >= Self.refreshIntervalNs {
            partitions = assignment()
            refreshedAtNs = now
        }
        guard !partitions.isEmpty else { return }
        let p = partitions[next % partitions.count]
        next &+= 1
        var low: Int64 = 0
        var high: Int64 = 0
        // The answer does not matter (errors included): the request itself wakes the leader's broker thread.
        _ = rd_kafka_query_watermark_offsets(rk, p.topic, p.partition, &low, &high, 200)
    }
}
