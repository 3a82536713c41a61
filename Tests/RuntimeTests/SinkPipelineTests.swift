import Converters
import Foundation
import Logging
import Prometheus
import SluiceAPI
import Synchronization
import Testing
@testable import Runtime

/// The sink task's pipeline (batch N+1 converted on a helper thread while batch N is put), driven through a real
/// `WorkerSinkTask` over a scripted consumer: order, offsets committed only for what `put` returned from, and a
/// rewind requested during a put dropping the already converted records of that partition.
@Suite struct SinkPipelineTests {
    @Test func backgroundJobRunsOneJobAtATimeOnItsOwnThread() throws {
        let job = BackgroundJob<Int>(name: "test-job", kernelRole: "X", kernelId: "test-job")
        defer { job.close() }
        let caller = Thread.current
        for i in 0..<50 {
            try job.submit { precondition(Thread.current != caller); return i * 2 }
            #expect(job.isBusy)
            #expect(try job.result() == i * 2)
            #expect(!job.isBusy)
        }
        struct Boom: Error {}
        try job.submit { throw Boom() }
        #expect(throws: Boom.self) { try job.result() }
        // Still usable after a failed job.
        try job.submit { 7 }
        // A second job while one is outstanding fails the caller (the owning task), never the process.
        #expect(throws: ConnectError.self) { try job.submit { 8 } }
        #expect(try job.result() == 7)
    }

    @Test func droppingPartitionsForgetsTheirRecordsOffsetsAndRawBytes() {
        var b = ConvertedBatch()
        for (p, o) in [(0, 10), (1, 20), (0, 11), (1, 21)] as [(Int32, Int64)] {
            let r = SinkRecord(topic: "t", partition: p, keySchema: nil, key: .null, valueSchema: nil, value: .string("\(o)"), kafkaOffset: o)
            b.records.append(r)
            b.raw[SinkCoordinates(r)] = (nil, Array("\(o)".utf8))
        }
        b.nextOffsets = [TopicPartition("t", 0): 12, TopicPartition("t", 1): 22]
        b.drop([TopicPartition("t", 1)])
        #expect(b.records.map(\.kafkaOffset) == [10, 11])
        #expect(b.nextOffsets == [TopicPartition("t", 0): 12])
        #expect(b.raw.keys.map(\.offset).sorted() == [10, 11])
        b.drop([TopicPartition("t", 0)])
        #expect(b.isEmpty && b.records.isEmpty)
    }

    @Test func batchesArriveInOrderAndCommitsNeverRunAheadOfPut() throws {
        let receiver = ScriptedReceiver(partitions: 2, perPartition: 300, chunk: 70)
        let sink = RecordingSink(putDelayMs: 3, rewind: nil)
        let task = makeTask(sink: sink, receiver: receiver, maxPoll: 50)
        task.start()
        try waitFor { sink.putCount(partition: 0) >= 300 && sink.putCount(partition: 1) >= 300 && receiver.lastCommitted() == [TopicPartition("t", 0): 300, TopicPartition("t", 1): 300] }
        task.stop()
        #expect(task.awaitStop(timeoutMs: 10_000))
        // Each partition's records reached put once each, in offset order.
        for p: Int32 in [0, 1] { #expect(sink.offsets(partition: p) == Array(0..<300)) }
        // Every commit covered only records put before it was made.
        #expect(receiver.commitsAheadOfPut.load(ordering: .relaxed) == 0)
        #expect(receiver.commitCount.load(ordering: .relaxed) > 2)
    }

    @Test func aRewindDuringPutDropsTheConvertedRecordsOfThatPartition() throws {
        let receiver = ScriptedReceiver(partitions: 1, perPartition: 200, chunk: 40)
        // After putting offset 119 the task asks to read partition 0 again from 100: the batch converted meanwhile
        // (offsets 120...) must not reach put before the re-read 100...119.
        let sink = RecordingSink(putDelayMs: 5, rewind: (after: 119, to: 100))
        let task = makeTask(sink: sink, receiver: receiver, maxPoll: 40)
        task.start()
        try waitFor { sink.offsets(partition: 0).last == 199 }
        task.stop()
        #expect(task.awaitStop(timeoutMs: 10_000))
        #expect(sink.offsets(partition: 0) == Array(0..<120) + Array(100..<200))
        #expect(receiver.commitsAheadOfPut.load(ordering: .relaxed) == 0)
    }

    @Test func headersAreConvertedOnlyForTasksOrTransformsThatReadThem() throws {
        for reads in [true, false] {
            let receiver = ScriptedReceiver(partitions: 1, perPartition: 20, chunk: 20, headers: [("file.name", Array("a.csv".utf8))])
            let sink = RecordingSink(putDelayMs: 0, rewind: nil, readsHeaders: reads)
            let task = makeTask(sink: sink, receiver: receiver, maxPoll: 20)
            task.start()
            try waitFor { sink.putCount(partition: 0) == 20 }
            task.stop()
            #expect(task.awaitStop(timeoutMs: 10_000))
            #expect(sink.headerKeys() == (reads ? ["file.name"] : []), "readsHeaders=\(reads)")
        }
    }

    // MARK: - Harness

    func makeTask(sink: RecordingSink, receiver: ScriptedReceiver, maxPoll: Int) -> WorkerSinkTask {
        receiver.sink = sink
        let metrics = TaskMetrics(registry: PrometheusCollectorRegistry(), labels: [("connector", "c"), ("task", "0")])
        let logger = Logger(label: "test.sink-pipeline")
        let string = StringConverter()
        try? string.configure([:], isKey: false)
        return WorkerSinkTask(
            id: ConnectorTaskId("c", 0), task: sink, props: [:], connectorConfig: ["topics": "t"],
            converters: ConverterSet(key: string, value: string, header: SimpleHeaderConverter()),
            chain: TransformationChain(stages: []),
            errors: ErrorHandler(config: [:], connector: "c", taskId: 0, logger: logger, metrics: metrics),
            receiverFactory: { listener in receiver.listener = listener; return receiver },
            dlqFactory: { throw ConnectError(.connect, "no DLQ in this test") }, activeTopics: ActiveTopics(),
            maxPollRecords: maxPoll, metrics: metrics, initialState: .started, logger: logger, statusListener: NoStatus())
    }

    func waitFor(timeout: Double = 20, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { throw ConnectError(.connect, "timed out") }
            usleep(10_000)
        }
    }
}

final class NoStatus: TaskStatusListener, @unchecked Sendable {
    func onTaskStatus(_ task: WorkerTask, _ state: RunState, trace: String?) {}
}

/// Records what `put` received; optionally asks (once) to rewind partition 0 after putting a given offset.
final class RecordingSink: SinkTask, @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int32: [Int64]] = [:]
    private var context: (any SinkTaskContext)?
    private var rewind: (after: Int64, to: Int64)?
    private var keys = Set<String>()
    let putDelayMs: UInt32
    let readsHeaders: Bool

    init(putDelayMs: UInt32, rewind: (after: Int64, to: Int64)?, readsHeaders: Bool = true) {
        self.putDelayMs = putDelayMs
        self.rewind = rewind
        self.readsHeaders = readsHeaders
    }

    /// Header keys seen in any record put.
    func headerKeys() -> Set<String> { lock.withLock { keys } }

    func initialize(context: any SinkTaskContext) { self.context = context }
    func start(_ props: [String: String]) throws {}
    func stop() {}

    func put(_ records: [SinkRecord]) throws {
        usleep(putDelayMs * 1000)  // a slow put, so the next batch is converted meanwhile
        lock.withLock {
            for r in records {
                seen[r.kafkaPartition ?? -1, default: []].append(r.kafkaOffset)
                for h in r.headers { keys.insert(h.key) }
            }
        }
        if let rw = rewind, records.contains(where: { $0.kafkaPartition == 0 && $0.kafkaOffset == rw.after }) {
            rewind = nil
            // Only the records up to `after` count as written: the rest of this put is "lost" and read again.
            lock.withLock { seen[0] = seen[0]!.filter { $0 <= rw.after } }
            context?.offset(TopicPartition("t", 0), rw.to)
        }
    }

    func offsets(partition: Int32) -> [Int64] { lock.withLock { seen[partition] ?? [] } }
    func putCount(partition: Int32) -> Int { offsets(partition: partition).count }
    /// Highest offset put + 1 per partition (what may be committed).
    func committable() -> [Int32: Int64] { lock.withLock { seen.mapValues { ($0.max() ?? -1) + 1 } } }
}

/// A consumer over fixed partitions of string records, handing out `chunk` records of one partition at a time in
/// round-robin; honours seeks, records commits and whether any ran ahead of what the sink had put.
final class ScriptedReceiver: KafkaReceiver, @unchecked Sendable {
    let partitions: Int32, perPartition: Int64, chunk: Int64
    let headers: [(String, [UInt8]?)]
    private var position: [Int32: Int64] = [:]
    private var next: Int32 = 0
    private var assigned = false
    weak var sink: RecordingSink?
    var listener: (any RebalanceListener)?
    private let lock = NSLock()
    private var committed: [TopicPartition: Int64] = [:]
    let commitsAheadOfPut = Atomic<Int>(0)
    let commitCount = Atomic<Int>(0)

    init(partitions: Int32, perPartition: Int64, chunk: Int64, headers: [(String, [UInt8]?)] = []) {
        self.headers = headers
        self.partitions = partitions
        self.perPartition = perPartition
        self.chunk = chunk
        for p in 0..<partitions { position[p] = 0 }
    }

    func subscribe(topics: [String]) throws {}
    func subscribe(pattern: String) throws {}

    func poll(maxMessages: Int, timeoutMs: Int) throws -> [IncomingMessage] {
        if !assigned {
            assigned = true
            listener?.partitionsAssigned((0..<partitions).map { TopicPartition("t", $0) })
        }
        var out: [IncomingMessage] = []
        for _ in 0..<partitions where out.isEmpty {
            let p = next
            next = (next + 1) % partitions
            let from = position[p]!
            let to = min(perPartition, from + chunk, from + Int64(maxMessages))
            for o in from..<to {
                out.append(IncomingMessage(topic: "t", partition: p, offset: o, key: nil, value: Array("v\(o)".utf8), headers: headers, timestamp: nil, timestampType: .noTimestampType))
            }
            position[p] = to
        }
        if out.isEmpty { usleep(UInt32(min(timeoutMs, 20)) * 1000) }
        return out
    }

    func commit(_ offsets: [TopicPartition: Int64], sync: Bool) throws {
        let put = sink?.committable() ?? [:]
        for (tp, off) in offsets where off > (put[tp.partition] ?? 0) { commitsAheadOfPut.add(1, ordering: .relaxed) }
        commitCount.add(1, ordering: .relaxed)
        lock.withLock { committed.merge(offsets) { $1 } }
    }

    func lastCommitted() -> [TopicPartition: Int64] { lock.withLock { committed } }
    func seek(_ partition: TopicPartition, to offset: Int64) throws { position[partition.partition] = offset }
    func pause(_ partitions: [TopicPartition]) {}
    func resume(_ partitions: [TopicPartition]) {}
    var assignment: [TopicPartition] { (0..<partitions).map { TopicPartition("t", $0) } }
    func close() {}
}
