import Foundation
import SluiceAPI

/// A sink task's consumer on the direct bus: one member of its connector's group.
///
/// Each poll first settles the assignment (revoking what the group now gives to another member, then claiming
/// what was released — the rebalance callbacks run here, on the task thread, outside the bus lock), then reads
/// from the owned, unpaused partitions round-robin, waiting up to the timeout for records.
final class DirectReceiver: KafkaReceiver, @unchecked Sendable {
    let bus: DirectBus
    let groupId: String
    let startAtEnd: Bool
    weak var listener: (any RebalanceListener)?
    private var member: Int?
    private var owned: [TopicPartition] = []
    private var positions: [TopicPartition: Int64] = [:]
    private var paused = Set<TopicPartition>()
    private var nextStart = 0
    /// How long a poll that found only a few records waits for more.
    static let lingerSeconds = 0.01

    init(bus: DirectBus, groupId: String, autoOffsetReset: String?, listener: any RebalanceListener) {
        self.bus = bus
        self.groupId = groupId
        self.startAtEnd = autoOffsetReset?.lowercased() == "latest"
        self.listener = listener
    }

    /// Topics need not exist yet: the member gets their partitions once a source creates them.
    func subscribe(topics: [String]) throws {
        try join(.topics(Set(topics)))
    }

    func subscribe(pattern: String) throws {
        guard (try? NSRegularExpression(pattern: pattern)) != nil else {
            throw ConnectError(.config, "Invalid topics.regex '\(pattern)'")
        }
        try join(.pattern(pattern))
    }

    private func join(_ s: DirectGroup.Subscription) throws {
        if let m = member { bus.locked { bus.leave(group: groupId, member: m) } }
        member = bus.locked { bus.join(group: groupId, s) }
    }

    /// Gives up partitions the group assigns elsewhere (after the task committed and closed them), then claims
    /// released partitions that are now this member's.
    private func settleAssignment() {
        guard let member else { return }
        let revoke: [TopicPartition] = bus.locked {
            guard let g = bus.group(groupId) else { return owned }
            let target = g.target(for: member, partitions: bus.partitionCounts)
            return owned.filter { !target.contains($0) }
        }
        if !revoke.isEmpty {
            listener?.partitionsRevoked(revoke)
            bus.locked {
                bus.updateGroup(groupId) { g in for tp in revoke where g.owners[tp] == member { g.owners.removeValue(forKey: tp) } }
                owned.removeAll { revoke.contains($0) }
                for tp in revoke { positions.removeValue(forKey: tp) }
                bus.cond.broadcast()
            }
        }
        let claimed: [TopicPartition] = bus.locked {
            guard let g = bus.group(groupId) else { return [] }
            let target = g.target(for: member, partitions: bus.partitionCounts)
            var claimed: [TopicPartition] = []
            for tp in target.sorted() where !owned.contains(tp) && (g.owners[tp] == nil || g.owners[tp] == member) {
                claimed.append(tp)
            }
            if claimed.isEmpty { return [] }
            var commits: [TopicPartition: Int64] = [:]
            bus.updateGroup(groupId) { g in
                for tp in claimed {
                    g.owners[tp] = member
                    if let c = g.committed[tp] {
                        positions[tp] = c
                    } else {
                        let b = bus.bounds(tp)
                        positions[tp] = startAtEnd ? b.end : b.start
                        if startAtEnd { commits[tp] = b.end }
                    }
                }
            }
            if !commits.isEmpty { bus.commit(group: groupId, commits) }
            owned.append(contentsOf: claimed)
            return claimed
        }
        if !claimed.isEmpty { listener?.partitionsAssigned(claimed) }
    }

    func poll(maxMessages: Int, timeoutMs: Int) throws -> [IncomingMessage] {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMs) / 1000)
        while true {
            settleAssignment()
            let out: [IncomingMessage]? = bus.locked {
                var batch = readOwned(max: maxMessages)
                if !batch.isEmpty {
                    // A short batch after a wait: linger a little so the sink gets fewer, larger puts.
                    if batch.count < maxMessages / 2 && timeoutMs > 0 {
                        _ = bus.wait(until: min(deadline, Date(timeIntervalSinceNow: Self.lingerSeconds)))
                        batch += readOwned(max: maxMessages - batch.count)
                    }
                    return batch
                }
                if timeoutMs <= 0 { return [] }
                bus.wantData(owned.map(\.topic))
                if !bus.wait(until: deadline) { return [] }
                return nil  // woken: assignment or data changed
            }
            if let out { return out }
        }
    }

    /// Round-robin over owned, unpaused partitions (lock held).
    private func readOwned(max: Int) -> [IncomingMessage] {
        let readable = owned.filter { !paused.contains($0) }
        if readable.isEmpty { return [] }
        var out: [IncomingMessage] = []
        nextStart = (nextStart + 1) % readable.count
        for i in 0..<readable.count where out.count < max {
            let tp = readable[(nextStart + i) % readable.count]
            let (first, entries) = bus.read(tp, from: positions[tp] ?? 0, max: max - out.count)
            var offset = first
            out.reserveCapacity(out.count + entries.count)
            for case let e? in entries {
                if e.message.record != nil {
                    // Passed straight from the entry: binding it first (`if let r`) copied the record twice.
                    out.append(IncomingMessage(topic: tp.topic, partition: tp.partition, offset: offset, key: nil, value: nil,
                                               headers: [], timestamp: e.timestamp, timestampType: .createTime,
                                               record: e.message.record))
                } else {
                    let m = e.message
                    out.append(IncomingMessage(topic: tp.topic, partition: tp.partition, offset: offset, key: m.key, value: m.value,
                                               headers: m.headers, timestamp: e.timestamp, timestampType: .createTime))
                }
                offset += 1
            }
            positions[tp] = offset
        }
        return out
    }

    func commit(_ offsets: [TopicPartition: Int64], sync: Bool) throws {
        // The committed records go to their sources' senders, whose threads free them (see `DirectPartitionLog`).
        bus.locked { bus.commit(group: groupId, offsets) }
    }

    func seek(_ partition: TopicPartition, to offset: Int64) throws {
        bus.locked { positions[partition] = offset }
    }

    func pause(_ partitions: [TopicPartition]) { bus.locked { paused.formUnion(partitions) } }
    func resume(_ partitions: [TopicPartition]) { bus.locked { paused.subtract(partitions) } }
    var assignment: [TopicPartition] { bus.locked { owned } }

    func close() {
        guard let m = member else { return }
        bus.locked { bus.leave(group: groupId, member: m) }
        member = nil
        owned = []
    }
}
