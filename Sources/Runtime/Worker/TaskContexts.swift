import Foundation
import Logging
import SluiceAPI

/// What a source task sees of the runtime.
struct RuntimeSourceTaskContext: SourceTaskContext {
    let configs: [String: String]
    let offsetStorageReader: any OffsetStorageReader
    let errantRecordReporter: (any ErrantRecordReporter)?
    let logger: Logger
    let stateStore: (any TaskStateStore)?
}

/// What a sink task sees of the runtime. Offset resets and retry timeouts are handed to the owning task.
final class RuntimeSinkTaskContext: SinkTaskContext, @unchecked Sendable {
    let configs: [String: String]
    let logger: Logger
    let errantRecordReporter: (any ErrantRecordReporter)?
    private let lock = NSLock()
    private var _assignment: [TopicPartition] = []
    private var _resets: [TopicPartition: Int64] = [:]
    private var _timeout: Int64 = 0
    private var _commitRequested = false

    init(configs: [String: String], logger: Logger, reporter: (any ErrantRecordReporter)?) {
        self.configs = configs
        self.logger = logger
        self.errantRecordReporter = reporter
    }

    var assignment: [TopicPartition] {
        get { lock.lock(); defer { lock.unlock() }; return _assignment }
        set { lock.lock(); _assignment = newValue; lock.unlock() }
    }
    func offset(_ partition: TopicPartition, _ offset: Int64) { lock.lock(); _resets[partition] = offset; lock.unlock() }
    func timeout(_ ms: Int64) { lock.lock(); _timeout = ms; lock.unlock() }
    func requestCommit() { lock.lock(); _commitRequested = true; lock.unlock() }

    func takeResets() -> [TopicPartition: Int64] { lock.lock(); defer { _resets = [:]; lock.unlock() }; return _resets }
    func takeTimeout() -> Int64 { lock.lock(); defer { _timeout = 0; lock.unlock() }; return _timeout }
    func takeCommitRequest() -> Bool { lock.lock(); defer { _commitRequested = false; lock.unlock() }; return _commitRequested }
}

/// Lets connectors park bad records through the task's error handler (`ErrantRecordReporter`).
struct RuntimeErrantRecordReporter: ErrantRecordReporter, @unchecked Sendable {
    let handler: ErrorHandler
    let stage: ErrorStage
    let encode: (any ConnectRecord) -> ErrorContext

    func report(_ record: any ConnectRecord, error: any Error) throws {
        try handler.tolerate(stage, encode(record), error)
    }
}
