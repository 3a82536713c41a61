import Foundation
import Logging
import SluiceAPI
import Synchronization
import Testing
@testable import Runtime

/// The direct bus without a worker: its partition log and group assignment as pure state, and its one promise —
/// a source record is acknowledged only after every sink group holding its topic committed past it.
@Suite struct DirectBusTests {
    static func record(_ i: Int, topic: String = "t") -> SourceRecord {
        SourceRecord(sourcePartition: ["p": .string("x")], sourceOffset: ["o": .int(Int64(i))], topic: topic,
                     keySchema: nil, key: .null, valueSchema: Schema.int64, value: .int64(Int64(i)))
    }

    static func message(_ i: Int, topic: String = "t") -> OutgoingMessage {
        OutgoingMessage(topic: topic, key: nil, value: nil, record: record(i, topic: topic))
    }

    final class Listener: RebalanceListener, @unchecked Sendable {
        var assigned: [TopicPartition] = []
        var revoked: [TopicPartition] = []
        func partitionsAssigned(_ p: [TopicPartition]) { assigned += p }
        func partitionsRevoked(_ p: [TopicPartition]) { revoked += p }
    }

    @Test func partitionLogTrimsAndReadsAcrossCompaction() {
        var log = DirectPartitionLog()
        for i in 0..<5000 { #expect(log.append(.init(message: Self.message(i), timestamp: 0, ack: nil)) == Int64(i)) }
        #expect(log.trim(below: 3000).count == 3000)
        #expect(log.start == 3000 && log.end == 5000 && log.count == 2000)
        let (first, entries) = log.read(from: 10, max: 3)  // below start: reads from start
        #expect(first == 3000)
        #expect(entries.map { $0?.message.record?.value } == [.int64(3000), .int64(3001), .int64(3002)])
        #expect(log.trim(below: 2000).isEmpty)  // already gone
        #expect(log.trim(below: 99_999).count == 2000)
        #expect(log.count == 0 && log.end == 5000)
        #expect(log.append(.init(message: Self.message(7), timestamp: 0, ack: nil)) == 5000)
    }

    @Test func groupDealsPartitionsOverMatchingMembers() {
        var g = DirectGroup(id: "g")
        g.join(member: 1, .topics(["a", "b"]))
        g.join(member: 2, .pattern("a|c"))
        let parts = ["a": 4, "b": 2, "c": 1, "other": 3]
        let one = g.target(for: 1, partitions: parts), two = g.target(for: 2, partitions: parts)
        #expect(one == [TopicPartition("a", 0), TopicPartition("a", 2), TopicPartition("b", 0), TopicPartition("b", 1)])
        #expect(two == [TopicPartition("a", 1), TopicPartition("a", 3), TopicPartition("c", 0)])
        #expect(g.holds("c") && !g.holds("other") && !g.holds("ca"))  // whole-name pattern match
        g.leave(member: 2)
        #expect(g.target(for: 1, partitions: parts).count == 6)
        #expect(g.holds("c"), "a group keeps holding what it subscribed to while its tasks are away")
    }

    @Test func offsetsStartAtTheBusFirstOffsetSoRestartsNeverReuseThem() throws {
        let first = DirectBus.restartSafeFirstOffset()
        let bus = DirectBus(defaultPartitions: 2, maxRecordsPerPartition: 10, firstOffset: first, logger: Logger(label: "test"))
        bus.locked { _ = bus.ensureTopic("t") }
        #expect(bus.locked { bus.bounds(TopicPartition("t", 1)).start } == first)
        #expect(DirectBus.restartSafeFirstOffset() > first, "a later start begins above every earlier offset")
        #expect(first > 1_700_000_000 * 1_000_000_000 && first < Int64.max / 4)
    }

    @Test func acknowledgesOnlyWhatEveryGroupCommitted() throws {
        let bus = DirectBus(defaultPartitions: 1, maxRecordsPerPartition: 100, logger: Logger(label: "test"))
        let factory = DirectClientFactory(bus: bus)
        let sender = try factory.makeSender(props: [:], clientId: "s")
        let la = Listener(), lb = Listener()
        let a = try factory.makeReceiver(props: [:], groupId: "connect-a", clientId: "a", listener: la)
        let b = try factory.makeReceiver(props: [:], groupId: "connect-b", clientId: "b", listener: lb)
        try a.subscribe(topics: ["t"])
        try b.subscribe(topics: ["t"])
        let acked = Mutex<[Int64]>([])
        for i in 0..<10 {
            try sender.send(Self.message(i)) { r in if case .success(let md) = r { acked.withLock { $0.append(md.offset) } } }
        }
        #expect(sender.carriesRecords)
        let readA = try a.poll(maxMessages: 100, timeoutMs: 1000)
        #expect(la.assigned == [TopicPartition("t", 0)])
        #expect(readA.map(\.offset) == Array(0..<10))
        #expect(readA[3].record?.value == .int64(3), "records travel unconverted")
        try a.commit([TopicPartition("t", 0): 10], sync: true)
        sender.poll(timeoutMs: 0)
        #expect(acked.withLock { $0 }.isEmpty, "group b has not committed: nothing may be acknowledged")
        _ = try b.poll(maxMessages: 4, timeoutMs: 1000)
        try b.commit([TopicPartition("t", 0): 4], sync: true)
        sender.poll(timeoutMs: 0)
        #expect(acked.withLock { $0 } == [0, 1, 2, 3])
        #expect(sender.outstanding == 6)
        // A deleted sink connector stops holding records.
        try factory.deleteGroup(props: [:], groupId: "connect-b")
        #expect(sender.flush(timeoutMs: 1000))
        #expect(acked.withLock { $0 } == Array(0..<10))
    }

    @Test func fullPartitionPushesBackUntilTheSinkCommits() throws {
        let bus = DirectBus(defaultPartitions: 1, maxRecordsPerPartition: 5, logger: Logger(label: "test"))
        let factory = DirectClientFactory(bus: bus)
        let sender = try factory.makeSender(props: [:], clientId: "s")
        let sink = try factory.makeReceiver(props: [:], groupId: "connect-s", clientId: "c", listener: Listener())
        try sink.subscribe(topics: ["t"])
        for i in 0..<5 { try sender.send(Self.message(i)) { _ in } }
        #expect(throws: DirectSender.Full.self) { try sender.send(Self.message(5)) { _ in } }
        let got = try sink.poll(maxMessages: 3, timeoutMs: 1000)
        try sink.commit([TopicPartition("t", 0): got.last!.offset + 1], sync: true)
        try sender.send(Self.message(5)) { _ in }  // room again
        sender.poll(timeoutMs: 0)
        #expect(sender.outstanding == 3)
    }

    @Test func aSecondMemberGetsPartitionsOnlyAfterTheFirstReleasedThem() throws {
        let bus = DirectBus(defaultPartitions: 2, maxRecordsPerPartition: 100, logger: Logger(label: "test"))
        let factory = DirectClientFactory(bus: bus)
        let l1 = Listener(), l2 = Listener()
        try factory.createTopic(props: [:], name: "t", partitions: 2, replicationFactor: 1, configs: [:])
        let m1 = try factory.makeReceiver(props: [:], groupId: "g", clientId: "1", listener: l1)
        try m1.subscribe(topics: ["t"])
        _ = try m1.poll(maxMessages: 1, timeoutMs: 0)
        #expect(Set(l1.assigned) == [TopicPartition("t", 0), TopicPartition("t", 1)])
        let m2 = try factory.makeReceiver(props: [:], groupId: "g", clientId: "2", listener: l2)
        try m2.subscribe(topics: ["t"])
        _ = try m2.poll(maxMessages: 1, timeoutMs: 0)
        #expect(l2.assigned.isEmpty, "t-1 still belongs to member 1 until it revokes it")
        _ = try m1.poll(maxMessages: 1, timeoutMs: 0)
        #expect(l1.revoked == [TopicPartition("t", 1)])
        _ = try m2.poll(maxMessages: 1, timeoutMs: 0)
        #expect(l2.assigned == [TopicPartition("t", 1)])
        m2.close()
        _ = try m1.poll(maxMessages: 1, timeoutMs: 0)
        #expect(l1.assigned.last == TopicPartition("t", 1), "a leaving member's partitions go back")
    }

    @Test func aSenderSwitchingTopicsAppendsEachRecordToItsOwnTopic() throws {
        let bus = DirectBus(defaultPartitions: 1, maxRecordsPerPartition: 100, logger: Logger(label: "test"))
        let factory = DirectClientFactory(bus: bus)
        let sender = try factory.makeSender(props: [:], clientId: "s")
        let a = try factory.makeReceiver(props: [:], groupId: "connect-a", clientId: "a", listener: Listener())
        let b = try factory.makeReceiver(props: [:], groupId: "connect-b", clientId: "b", listener: Listener())
        try a.subscribe(topics: ["a"])
        try b.subscribe(topics: ["b"])
        // a a b a b b: each record lands in its own topic, in order, with its own offsets.
        for (i, t) in ["a", "a", "b", "a", "b", "b"].enumerated() { try sender.send(Self.message(i, topic: t)) { _ in } }
        let readA = try a.poll(maxMessages: 100, timeoutMs: 1000), readB = try b.poll(maxMessages: 100, timeoutMs: 1000)
        #expect(readA.map { $0.record?.value } == [.int64(0), .int64(1), .int64(3)])
        #expect(readB.map { $0.record?.value } == [.int64(2), .int64(4), .int64(5)])
        #expect(readA.map(\.offset) == [0, 1, 2] && readB.map(\.offset) == [0, 1, 2])
        try a.commit([TopicPartition("a", 0): 3], sync: true)
        try b.commit([TopicPartition("b", 0): 3], sync: true)
        #expect(sender.flush(timeoutMs: 1000), "both topics' records acknowledged once their sinks committed")
    }

    @Test func recordsSentInBatchesAreAcknowledgedInBatchesOnlyAfterTheCommit() throws {
        let bus = DirectBus(defaultPartitions: 1, maxRecordsPerPartition: 4, logger: Logger(label: "test"))
        let factory = DirectClientFactory(bus: bus)
        let sender = try #require(try factory.makeSender(props: [:], clientId: "s") as? DirectSender)
        let sink = try factory.makeReceiver(props: [:], groupId: "connect-s", clientId: "c", listener: Listener())
        try sink.subscribe(topics: ["t"])
        let submitted = SubmittedRecords()
        var batches: [[SourceRecordAck]] = []
        sender.onRecordAcks = { batches.append($0) }
        // Six records, the partition holds four: the first call appends four and says so.
        let items = (0..<6).map { i in
            let m = Self.message(i)
            let original = i == 2 ? Self.record(102) : m.record!  // as if a transform had replaced record 2
            return (message: m, receipt: SourceReceipt(
                submitted: submitted.submit(partition: m.record!.sourcePartition, offset: m.record!.sourceOffset), record: original, bytes: 0))
        }
        #expect(sender.sendRecords(items[...]) == 4)
        #expect(sender.outstanding == 4)
        sender.poll(timeoutMs: 0)
        #expect(batches.isEmpty, "nothing is acknowledged before the sink commits")
        _ = try sink.poll(maxMessages: 10, timeoutMs: 1000)
        try sink.commit([TopicPartition("t", 0): 3], sync: true)
        sender.poll(timeoutMs: 0)
        #expect(batches.count == 1, "one poll hands over its acknowledgements as one batch")
        #expect(batches[0].map(\.metadata.offset) == [0, 1, 2])
        #expect(batches[0].map(\.record.value) == [.int64(0), .int64(1), .int64(102)], "commitRecord gets the task's original")
        submitted.ack(batches[0].map(\.receipt.submitted))
        #expect(submitted.takeCommittable().map(\.offset) == [["o": .int(2)]])
        // Room again: the rest goes in.
        #expect(sender.sendRecords(items[4...]) == 2)
        try sink.commit([TopicPartition("t", 0): 6], sync: true)
        #expect(sender.flush(timeoutMs: 1000))
        #expect(batches.flatMap { $0 }.map(\.metadata.offset) == Array(0..<6))
        #expect(sender.outstanding == 0)
    }

    @Test func trimmedEntriesAreMovedOutOfTheLog() {
        // The log must not keep trimmed records alive: whoever takes them from `trim` frees them (the source's thread).
        var log = DirectPartitionLog()
        weak var first: DirectPartitionLog.Entry?
        do {
            let e = DirectPartitionLog.Entry(message: Self.message(0), timestamp: 0, ack: nil)
            first = e
            _ = log.append(e)
        }
        for i in 1..<3000 { _ = log.append(.init(message: Self.message(i), timestamp: 0, ack: nil)) }
        do {
            let trimmed = log.trim(below: 10)
            #expect(trimmed.count == 10 && first != nil)
        }
        #expect(first == nil, "released with the trimmed batch, not held by the log's buffer")
        #expect(log.read(from: 0, max: 1).entries.first??.message.record?.value == .int64(10))
    }
}
