import Foundation
import Logging
import SluiceAPI
import Synchronization
import TestSupport

@testable import Elasticsearch

/// Collects what the task reports (raw reports: the document as sent), and throws when told to (tolerance none).
final class CollectingReporter: RawErrantRecordReporter, @unchecked Sendable {
    let reports = Mutex<[(topic: String, key: String?, value: String?, error: String)]>([])
    let refuse: Bool
    init(refuse: Bool = false) { self.refuse = refuse }
    func report(_ record: any ConnectRecord, error: any Error) throws {
        reports.withLock { $0.append((record.topic, record.key.stringValue, nil, "\(error)")) }
        if refuse { throw ConnectError(.connect, "Tolerance exceeded") }
    }
    func reportRaw(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [(String, [UInt8]?)], error: any Error) throws {
        reports.withLock {
            $0.append((topic, key.map { String(decoding: $0, as: UTF8.self) }, value.map { String(decoding: $0, as: UTF8.self) }, "\(error)"))
        }
        if refuse { throw ConnectError(.connect, "Tolerance exceeded") }
    }
    var all: [(topic: String, key: String?, value: String?, error: String)] { reports.withLock { $0 } }
}

final class ESTestContext: SinkTaskContext, @unchecked Sendable {
    let configs: [String: String]
    let reporter: CollectingReporter
    let commits = Mutex(0)
    init(configs: [String: String], reporter: CollectingReporter = CollectingReporter()) {
        self.configs = configs
        self.reporter = reporter
    }
    var assignment: [TopicPartition] { [] }
    func offset(_ partition: TopicPartition, _ offset: Int64) {}
    func timeout(_ ms: Int64) {}
    func requestCommit() { commits.withLock { $0 += 1 } }
    var errantRecordReporter: (any ErrantRecordReporter)? { reporter }
    var logger: Logger { Logger(label: "es-sink-test") }
}

/// A started task against `server` with `extra` settings (DLQ reporting on, so reports are visible).
func makeTask(_ server: OpenSearchServer, _ extra: [String: String] = [:], reporter: CollectingReporter = CollectingReporter())
    throws -> (ElasticsearchSinkTask, ESTestContext)
{
    var props = ["connection.url": server.url, "topics": "t", "errors.deadletterqueue.topic.name": "dlq",
                 "linger.ms": "5"]
    for (k, v) in extra { props[k] = v }
    let ctx = ESTestContext(configs: props, reporter: reporter)
    let task = ElasticsearchSinkTask()
    task.initialize(context: ctx)
    try task.start(props)
    return (task, ctx)
}

let orderSchema = SchemaBuilder(type: .structure)
    .field("id", .int64)
    .field("name", .string)
    .field("day", Logical.date)
    .field("ts", Logical.timestamp)
    .field("price", Logical.decimal(scale: 2, optional: true))
    .field("note", .optionalString)
    .build()

func order(_ topic: String = "Orders", offset: Int64, id: Int64, key: Value? = nil, name: String = "n",
           partition: Int32 = 0) -> SinkRecord
{
    var s = Struct(schema: orderSchema)
    s[0] = .int64(id)
    s[1] = .string(name)
    s[2] = .int32(19_737)  // 2024-01-15
    s[3] = .int64(1_705_312_800_000)
    s[4] = .decimal(ConnectDecimal(unscaled: 1234, scale: 2))
    return SinkRecord(topic: topic, partition: partition, keySchema: .string, key: key ?? .string("k\(id)"),
        valueSchema: orderSchema, value: .structure(s), kafkaOffset: offset, timestamp: 1_705_312_800_000)
}

/// Polls `condition` for up to `seconds`.
func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

func json(_ text: String) -> Any? { text.data(using: .utf8).flatMap { try? JSONSerialization.jsonObject(with: $0) } }
