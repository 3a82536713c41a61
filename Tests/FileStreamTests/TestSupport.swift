import Foundation
import Logging
import FileStream
import SluiceAPI

/// Committed offsets as the runtime would hand them to a task.
struct FixedOffsetReader: OffsetStorageReader {
    let stored: [[String: JSONValue]: [String: JSONValue]]
    func offset(_ partition: [String: JSONValue]) -> [String: JSONValue]? { stored[partition] }
}

struct TestSourceContext: SourceTaskContext {
    var configs: [String: String]
    var offsetStorageReader: any OffsetStorageReader
    var errantRecordReporter: (any ErrantRecordReporter)? { nil }
    var logger: Logger { Logger(label: "filestream-test") }
}

struct TestSinkContext: SinkTaskContext {
    var configs: [String: String]
    var assignment: [TopicPartition] { [] }
    func offset(_ partition: TopicPartition, _ offset: Int64) {}
    func timeout(_ ms: Int64) {}
    func requestCommit() {}
    var errantRecordReporter: (any ErrantRecordReporter)? { nil }
    var logger: Logger { Logger(label: "filestream-test") }
}

/// A fresh directory per test so tests can run in parallel.
func makeTempDir(_ name: String = #function) throws -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let dir = NSTemporaryDirectory() + "filestream-\(safe)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

func append(_ text: String, to path: String) throws {
    if !FileManager.default.fileExists(atPath: path) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
    }
    let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try h.seekToEnd()
    try h.write(contentsOf: Data(text.utf8))
    try h.close()
}

/// Starts a source task on `file` with the given committed offsets.
func startSource(file: String, topic: String = "lines", batchSize: Int? = nil,
                 offsets: [[String: JSONValue]: [String: JSONValue]] = [:]) throws -> FileStreamSourceTaskHandle {
    var props = ["file": file, "topic": topic]
    if let batchSize { props["batch.size"] = String(batchSize) }
    let task = FileStreamSourceConnector().makeTask()
    task.initialize(context: TestSourceContext(configs: props, offsetStorageReader: FixedOffsetReader(stored: offsets)))
    try task.start(props)
    return FileStreamSourceTaskHandle(task: task)
}

struct FileStreamSourceTaskHandle {
    let task: any SourceTask

    /// Polls until `count` records arrived or `seconds` passed.
    func poll(until count: Int, seconds: Double = 5) throws -> [SourceRecord] {
        var out: [SourceRecord] = []
        let deadline = Date(timeIntervalSinceNow: seconds)
        while out.count < count && Date() < deadline { out += try task.poll() }
        return out
    }
}

extension SourceRecord {
    var line: String? { value.stringValue }
    var position: Int64? { sourceOffset["position"]?.int64Value }
}
