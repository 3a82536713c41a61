import Foundation
import Plugins
import Synchronization
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// What a `BlockingSourceTask` saw, per connector name, with times relative to the end of its first poll.
struct BlockingSourceLog: Sendable {
    var batchReturnedAt: ContinuousClock.Instant?
    var blockedInPoll = false
    var commitRecords = 0
    var lastCommitRecordAt: ContinuousClock.Instant?
    var commitsAfterAllAcked = 0
    var firstCommitAt: ContinuousClock.Instant?
}

/// A source connector whose task returns one batch of `records` records, then blocks in `poll` for `block.ms`
/// (until stopped): the shape of an idle file directory or replication stream right after a burst.
final class BlockingSourceConnector: SourceConnector, @unchecked Sendable {
    static let log = Mutex<[String: BlockingSourceLog]>([:])
    var props: [String: String] = [:]
    var configDef: ConfigDef { ConfigDef() }
    var version: String { "test" }
    func start(_ props: [String: String]) throws { self.props = props }
    func taskConfigs(maxTasks: Int) throws -> [[String: String]] { [props] }
    func stop() {}
    func makeTask() -> any SourceTask { BlockingSourceTask() }
}

final class BlockingSourceTask: SourceTask, @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var sent = false
    private var name = ""
    private var props: [String: String] = [:]

    func initialize(context: any SourceTaskContext) {}
    func start(_ props: [String: String]) throws {
        name = props["name"]!
        self.props = props
    }

    func poll() throws -> [SourceRecord] {
        if !sent {
            sent = true
            let n = Int(props["records"] ?? "10")!
            let out = (0..<n).map { i in
                SourceRecord(sourcePartition: ["source": .string(name)], sourceOffset: ["position": .int(Int64(i))],
                             topic: props["topic"]!, valueSchema: .string, value: .string("record \(i)"))
            }
            BlockingSourceConnector.log.withLock { $0[name, default: BlockingSourceLog()].batchReturnedAt = .now }
            return out
        }
        BlockingSourceConnector.log.withLock { $0[name, default: BlockingSourceLog()].blockedInPoll = true }
        condition.lock()
        let until = Date().addingTimeInterval(Double(props["block.ms"] ?? "10000")! / 1000)
        while !stopped, Date() < until { _ = condition.wait(until: until) }
        condition.unlock()
        BlockingSourceConnector.log.withLock { $0[name, default: BlockingSourceLog()].blockedInPoll = false }
        return []
    }

    func commitRecord(_ record: SourceRecord, metadata: RecordMetadata?) throws {
        BlockingSourceConnector.log.withLock {
            $0[name, default: BlockingSourceLog()].commitRecords += 1
            $0[name, default: BlockingSourceLog()].lastCommitRecordAt = .now
        }
    }

    func commit() throws {
        let n = Int(props["records"] ?? "10")!
        BlockingSourceConnector.log.withLock {
            if $0[name, default: BlockingSourceLog()].commitRecords == n {
                $0[name, default: BlockingSourceLog()].commitsAfterAllAcked += 1
                if $0[name]!.firstCommitAt == nil { $0[name]!.firstCommitAt = .now }
            }
        }
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Delivery reports are served by the source task's own poller thread, not only between polls.
@Suite struct SourceAckLatencyTests {
    static let plugins = BuiltinPlugins.all + [
        PluginDescriptor(className: "test.BlockingSourceConnector", version: "test", configDef: ConfigDef(), factory: .source { BlockingSourceConnector() })
    ]

    @Test func blockedPollStillGetsAcksAndOffsetCommits() async throws {
        let w = try await TestWorker(extra: ["offset.flush.interval.ms": "200"], plugins: SourceAckLatencyTests.plugins)
        let name = "ackblock-\(UUID().uuidString.prefix(8))"
        let blockMs = 12_000.0
        _ = try await w.create(name, ["connector.class": "test.BlockingSourceConnector", "topic": "\(name)-topic",
                                      "records": "10", "block.ms": "\(Int(blockMs))"])
        try await waitUntil(timeout: 20, "the first batch") { BlockingSourceConnector.log.withLock { $0[name]?.batchReturnedAt } != nil }
        // Every record acknowledged and the offsets committed (SourceTask.commit seen after all acks) while the task
        // is still blocked in its second poll: the old loop would wait the whole block (12 s) for both.
        try await waitUntil(timeout: 6, "commitRecord for all 10 records and an offset commit") {
            BlockingSourceConnector.log.withLock { ($0[name]?.commitRecords ?? 0) == 10 && ($0[name]?.commitsAfterAllAcked ?? 0) > 0 }
        }
        let log = BlockingSourceConnector.log.withLock { $0[name]! }
        let ackDelay = log.lastCommitRecordAt! - log.batchReturnedAt!
        let commitDelay = log.firstCommitAt! - log.batchReturnedAt!
        #expect(log.blockedInPoll, "the task must still be blocked in poll when its offsets are committed")
        #expect(ackDelay < .seconds(3), "last commitRecord \(ackDelay) after the batch, poll blocks \(blockMs) ms")
        #expect(commitDelay < .seconds(3), "first commit() \(commitDelay) after the batch")
        // The committed source offset is the last record's, readable over REST while the task still blocks.
        let offsets = try await w.get("/connectors/\(name)/offsets").body
        let entry = offsets?["offsets"]?.arrayValue?.first { $0["partition"]?["source"]?.stringValue == name }
        #expect(entry?["offset"]?["position"]?.int64Value == 9, "offsets: \(offsets?.compactString ?? "nil")")
        #expect(BlockingSourceConnector.log.withLock { $0[name]!.blockedInPoll })
        await w.shutdown()
    }
}
