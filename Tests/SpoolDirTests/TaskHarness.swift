import Foundation
import Logging
import SluiceAPI
import Testing
@testable import SpoolDir

/// Committed offsets in memory, as the runtime's offset store would hold them after a flush; task state lives
/// among them under `{"sluice.state": key}` partitions, as the runtime keeps it.
final class MemoryOffsets: OffsetStorageReader, TaskStateStore, @unchecked Sendable {
    private let lock = NSLock()
    private var data: [[String: JSONValue]: [String: JSONValue]] = [:]

    func offset(_ partition: [String: JSONValue]) -> [String: JSONValue]? {
        lock.lock(); defer { lock.unlock() }
        return data[partition]
    }

    func commit(_ record: SourceRecord) {
        lock.lock(); defer { lock.unlock() }
        data[record.sourcePartition] = record.sourceOffset
    }

    func state(_ key: String) -> [String: JSONValue]? { offset(["sluice.state": .string(key)]) }

    func setState(_ key: String, _ value: [String: JSONValue]?) throws {
        lock.lock(); defer { lock.unlock() }
        data[["sluice.state": .string(key)]] = value
    }
}

struct TestTaskContext: SourceTaskContext {
    var configs: [String: String]
    var offsetStorageReader: any OffsetStorageReader
    var errantRecordReporter: (any ErrantRecordReporter)? { nil }
    var logger: Logger { Logger(label: "spooldir-test") }
    var stateStore: (any TaskStateStore)? { offsetStorageReader as? any TaskStateStore }
}

/// A unique temp directory tree per test: input, error and finished directories.
struct SpoolDirs {
    let root: String
    var input: String { root + "/input" }
    var error: String { root + "/error" }
    var finished: String { root + "/finished" }

    init(_ name: String = #function) throws {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        root = NSTemporaryDirectory() + "spooldir-\(clean)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/input", withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String, dir: String? = nil) throws {
        let path = (dir ?? input) + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func files(_ dir: String) -> [String] {
        ((try? FileManager.default.subpathsOfDirectory(atPath: dir)) ?? []).filter {
            var d: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir + "/" + $0, isDirectory: &d) && !d.boolValue
        }.sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// A CSV config like the seed example, pointed at these directories.
    func csvConfig(_ extra: [String: String] = [:]) -> [String: String] {
        var c = [
            "connector.class": SpoolDirFormat.csv.className, "tasks.max": "1", "topic": "t",
            "input.path": input, "error.path": error, "finished.path": finished, "input.file.pattern": "^.*\\.csv$",
            "empty.poll.wait.ms": "10", "halt.on.error": "false", "csv.first.row.as.header": "true",
            "schema.generation.enabled": "true",
        ]
        for (k, v) in extra { c[k] = v }
        return c
    }
}

/// Runs a real connector and its tasks' poll loops like the runtime does: every returned record is "produced",
/// its offset committed and `commitRecord` called, until every task has been idle for a few polls.
struct TaskRun {
    var records: [SourceRecord] = []
    var perTask: [[SourceRecord]] = []

    static func run(
        format: SpoolDirFormat = .csv, _ props: [String: String], tasks: Int = 1, offsets: MemoryOffsets = MemoryOffsets(),
        maxRecordsBeforeCrash: Int? = nil
    ) throws -> TaskRun {
        let connector = SpoolDirSourceConnector(format: format)
        try connector.start(props)
        let configs = try connector.taskConfigs(maxTasks: tasks)
        var run = TaskRun()
        for config in configs {
            let task = connector.makeTask()
            task.initialize(context: TestTaskContext(configs: config, offsetStorageReader: offsets))
            try task.start(config)
            var mine: [SourceRecord] = []
            var idle = 0
            let deadline = Date().addingTimeInterval(30)
            while idle < 3, Date() < deadline {
                let batch = try task.poll()
                idle = batch.isEmpty ? idle + 1 : 0
                for r in batch {
                    if let max = maxRecordsBeforeCrash, mine.count >= max { break }
                    mine.append(r)
                    offsets.commit(r)
                    try task.commitRecord(r, metadata: nil)
                }
                if let max = maxRecordsBeforeCrash, mine.count >= max { break }  // "crash": no stop, no cleanup
            }
            if maxRecordsBeforeCrash == nil { task.stop() }
            run.perTask.append(mine)
            run.records += mine
        }
        connector.stop()
        return run
    }
}

extension SourceRecord {
    var structValue: Struct { value.structValue! }
    func field(_ name: String) -> Value { structValue[name] ?? .null }
}
