import Foundation
import Logging
import SluiceAPI
import Testing
@testable import SpoolDir

/// Bad lines parked by the task, as the runtime's dead letter queue would receive them.
final class CollectingReporter: RawErrantRecordReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var raws: [(value: String, headers: [String: String])] = []
    var parked: [(value: String, headers: [String: String])] { lock.lock(); defer { lock.unlock() }; return raws }

    func report(_ record: any ConnectRecord, error: any Error) throws { throw error }

    func reportRaw(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [(String, [UInt8]?)], error: any Error) throws {
        var h: [String: String] = [:]
        for (k, v) in headers { h[k] = v.map { String(decoding: $0, as: UTF8.self) } }
        lock.lock()
        raws.append((String(decoding: value ?? [], as: UTF8.self), h))
        lock.unlock()
    }
}

struct DriftContext: SourceTaskContext {
    var configs: [String: String]
    let offsets: MemoryOffsets
    var reporter: CollectingReporter?
    var offsetStorageReader: any OffsetStorageReader { offsets }
    var errantRecordReporter: (any ErrantRecordReporter)? { reporter }
    var logger: Logger { Logger(label: "spooldir-drift-test") }
    var stateStore: (any TaskStateStore)? { offsets }
}

/// One connector started before any file existed and its single task, polled like the runtime polls it.
final class LiveTask {
    let dirs: SpoolDirs
    let offsets: MemoryOffsets
    let task: any SourceTask

    init(_ dirs: SpoolDirs, _ extra: [String: String] = [:], offsets: MemoryOffsets = MemoryOffsets(), reporter: CollectingReporter? = nil) throws {
        self.dirs = dirs
        self.offsets = offsets
        let connector = SpoolDirSourceConnector(format: .csv)
        try connector.start(dirs.csvConfig(extra))
        let config = try connector.taskConfigs(maxTasks: 1)[0]
        task = connector.makeTask()
        task.initialize(context: DriftContext(configs: config, offsets: offsets, reporter: reporter))
        try task.start(config)
    }

    /// Polls until idle, "producing" and acknowledging every record; returns them.
    func drain() throws -> [SourceRecord] {
        var got: [SourceRecord] = []
        var idle = 0
        let deadline = Date().addingTimeInterval(20)
        while idle < 3, Date() < deadline {
            let batch = try task.poll()
            idle = batch.isEmpty ? idle + 1 : 0
            for r in batch {
                got.append(r)
                offsets.commit(r)
                try task.commitRecord(r, metadata: nil)
            }
        }
        return got
    }

    /// The value schema stored for topic `t`.
    func stored() throws -> Schema? {
        guard let text = offsets.state("spooldir.schema/t")?["valueSchema"]?.stringValue else { return nil }
        return try SchemaJSON.parse(text, key: "state")
    }
}

@Suite struct SchemaDriftTaskTests {
    @Test func laterFileWidensIntegersAndDecimals() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let live = try LiveTask(dirs)
        #expect(try live.drain().isEmpty)
        #expect(try live.stored() == nil)
        try dirs.write("a.csv", "order_id,amount\n1,2\n2,3\n")
        let a = try live.drain()
        #expect(a.map { $0.valueSchema?.field("order_id")?.schema } == [.int32, .int32])
        #expect(try live.stored() == a[0].valueSchema)
        try dirs.write("b.csv", "order_id,amount\n3000000000,2.50\n4,7\n")
        let b = try live.drain()
        #expect(b.count == 2)
        #expect(b[0].valueSchema?.field("order_id")?.schema == .int64)
        #expect(b[0].valueSchema?.field("amount")?.schema == Logical.decimal(scale: 2))
        #expect(b.map { $0.field("order_id") } == [.int64(3_000_000_000), .int64(4)])
        #expect(b[1].field("amount") == .decimal(ConnectDecimal(unscaled: 700, scale: 2)))
        #expect(try live.stored() == b[0].valueSchema)
        #expect(dirs.files(dirs.finished) == ["a.csv", "b.csv"])
        live.task.stop()
    }

    @Test func laterFileAddsAnOptionalTrailingColumn() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let live = try LiveTask(dirs, ["schema.generation.key.fields": "order_id"])
        try dirs.write("a.csv", "order_id,amount\n1,2.5\n")
        _ = try live.drain()
        try dirs.write("b.csv", "order_id,amount,note\n2,3.5,hello\n")
        try dirs.write("c.csv", "order_id,amount\n3,4.5\n")
        let later = try live.drain()
        #expect(later.count == 2)
        for r in later {
            #expect(r.valueSchema?.fields.map(\.name) == ["order_id", "amount", "note"])
            #expect(r.valueSchema?.field("note")?.schema == .optionalString)
            #expect(r.keySchema?.fields.map(\.name) == ["order_id"])
        }
        #expect(later[0].field("note") == .string("hello"))
        #expect(later[1].field("note") == .null)  // a file without the new column still carries the evolved schema
        #expect(try live.stored()?.fields.map(\.name) == ["order_id", "amount", "note"])
        live.task.stop()
    }

    @Test func garbageInAnIntegerColumnHaltsAndMovesTheFileToErrorPath() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let live = try LiveTask(dirs, ["halt.on.error": "true"])
        try dirs.write("a.csv", "order_id,amount\n1,2\n")
        _ = try live.drain()
        try dirs.write("b.csv", "order_id,amount\n2,3\nnot-a-number,4\n")
        #expect {
            _ = try live.drain()
        } throws: { e in
            let m = "\(e)"
            return m.contains("b.csv line 3") && m.contains("column 'order_id'") && m.contains("value 'not-a-number'")
                && m.contains("expected INT32")
        }
        #expect(dirs.files(dirs.error) == ["b.csv", "b.csv.error"])
        #expect(dirs.files(dirs.finished) == ["a.csv"])
        #expect(dirs.files(dirs.input).isEmpty)
        let why = try String(contentsOfFile: dirs.error + "/b.csv.error", encoding: .utf8)
        #expect(why.contains("line 3") && why.contains("not-a-number") && why.contains("expected INT32"))
        #expect(try live.stored()?.field("order_id")?.schema == .int32)  // never a string schema
    }

    @Test func missingRequiredColumnAndBadDateAreRecordErrors() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let live = try LiveTask(dirs)  // halt.on.error=false: bad files go to error.path, the task goes on
        try dirs.write("a.csv", "id,day\n1,2024-01-31\n")
        _ = try live.drain()
        try dirs.write("b.csv", "id\n2\n")
        try dirs.write("c.csv", "id,day\n3,31.01.2024\n")
        try dirs.write("d.csv", "id,day\n4,2024-02-01\n")
        let got = try live.drain()
        #expect(got.map { $0.field("id") } == [.int32(4)])
        #expect(dirs.files(dirs.error) == ["b.csv", "b.csv.error", "c.csv", "c.csv.error"])
        #expect(try String(contentsOfFile: dirs.error + "/b.csv.error", encoding: .utf8).contains("column 'day'"))
        let c = try String(contentsOfFile: dirs.error + "/c.csv.error", encoding: .utf8)
        #expect(c.contains("line 2") && c.contains("value '31.01.2024'") && c.contains("expected Date"))
        #expect(dirs.files(dirs.finished) == ["a.csv", "d.csv"])
        live.task.stop()
    }

    @Test func withToleranceBadLinesGoToTheDeadLetterQueueAndGoodLinesFlow() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let reporter = CollectingReporter()
        let live = try LiveTask(dirs, ["errors.tolerance": "all", "errors.deadletterqueue.topic.name": "dlq", "halt.on.error": "true"],
            reporter: reporter)
        try dirs.write("a.csv", "order_id,amount\n1,2\n")
        _ = try live.drain()
        try dirs.write("b.csv", "order_id,amount\n2,3\nnot-a-number,4\n5,6\n")
        let got = try live.drain()
        #expect(got.map { $0.field("order_id") } == [.int32(2), .int32(5)])
        #expect(reporter.parked.map(\.value) == ["not-a-number,4"])
        #expect(reporter.parked.first?.headers["file.line"] == "3")
        #expect(reporter.parked.first?.headers["file.error"]?.contains("expected INT32") == true)
        #expect(dirs.files(dirs.finished) == ["a.csv", "b.csv"])
        live.task.stop()
    }

    @Test func restartedTaskUsesThePersistedSchema() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let offsets = MemoryOffsets()
        let first = try LiveTask(dirs, offsets: offsets)
        try dirs.write("a.csv", "id,amount\n1,2\n")
        try dirs.write("b.csv", "id,amount\n3000000000,2.125\n")
        _ = try first.drain()
        #expect(try first.stored()?.field("id")?.schema == .int64)
        first.task.stop()
        // Restart (a new connector and task over the same offset store). The connector now finds c.csv at start
        // and would infer INT32 columns from it: the stored schema wins.
        try dirs.write("c.csv", "id,amount\n5,6\n")
        let second = try LiveTask(dirs, offsets: offsets)
        let got = try second.drain()
        #expect(got.count == 1)
        #expect(got[0].valueSchema?.field("id")?.schema == .int64)
        #expect(got[0].valueSchema?.field("amount")?.schema == Logical.decimal(scale: 3))
        #expect(got[0].field("amount") == .decimal(ConnectDecimal(unscaled: 6000, scale: 3)))
        second.task.stop()
    }

    @Test func explicitValueSchemaIsNeverEvolved() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let schema = #"{"name":"v","type":"STRUCT","isOptional":false,"fieldSchemas":{"id":{"type":"INT32","isOptional":false}}}"#
        let live = try LiveTask(dirs, ["value.schema": schema, "schema.generation.enabled": "false"])
        try dirs.write("a.csv", "id\n3000000000\n")
        #expect(try live.drain().isEmpty)
        #expect(dirs.files(dirs.error) == ["a.csv", "a.csv.error"])
        #expect(try live.stored() == nil)
        live.task.stop()
    }
}
