import Foundation
import Logging
import SQL
import SluiceAPI
import Synchronization
import TestSupport
@testable import CDC

/// An offset store the tests control: `persist` plays the runtime writing acknowledged offsets.
final class MemoryOffsets: OffsetStorageReader, @unchecked Sendable {
    private let stored = Mutex<[[String: JSONValue]: [String: JSONValue]]>([:])
    func offset(_ partition: [String: JSONValue]) -> [String: JSONValue]? { stored.withLock { $0[partition] } }
    func persist(_ record: SourceRecord) { stored.withLock { $0[record.sourcePartition] = record.sourceOffset } }
}

struct TestTaskContext: SourceTaskContext {
    var configs: [String: String]
    var offsetStorageReader: any OffsetStorageReader
    var errantRecordReporter: (any ErrantRecordReporter)? { nil }
    var logger: Logger { Logger(label: "cdc-test") }
}

/// A database, a unique slot, and helpers to run a task against it.
struct CDCFixture {
    let db: TestDatabase
    let slot: String
    let sql: any DatabaseConnection

    init(_ name: String) throws {
        db = try PostgresServer.shared().createDatabase(prefix: "cdc_" + name)
        slot = "slot_" + db.dbname
        sql = try db.connect()
    }

    func props(_ extra: [String: String] = [:]) -> [String: String] {
        var p = [
            "connector.class": PostgresConnector.className, "topic.prefix": "srv", "database.hostname": db.host,
            "database.port": String(db.port), "database.user": "postgres", "database.dbname": db.dbname,
            "slot.name": slot, "poll.interval.ms": "200", "status.update.interval.ms": "200",
        ]
        for (k, v) in extra { p[k] = v }
        return p
    }

    func startTask(_ offsets: MemoryOffsets, _ extra: [String: String] = [:]) throws -> PostgresSourceTask {
        let task = PostgresSourceTask()
        task.initialize(context: TestTaskContext(configs: props(extra), offsetStorageReader: offsets))
        try task.start(props(extra))
        return task
    }

    /// Polls until `count` records (tombstones included) arrived or `seconds` passed.
    func poll(_ task: PostgresSourceTask, until count: Int, seconds: Double = 20, where keep: (SourceRecord) -> Bool = { _ in true }) throws -> [SourceRecord] {
        var out: [SourceRecord] = []
        let deadline = Date().addingTimeInterval(seconds)
        while out.count < count && Date() < deadline {
            out += try task.poll().filter(keep)
        }
        return out
    }

    func confirmedFlush() throws -> LSN? {
        try sql.queryScalar("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = $1", [.text(slot)])?
            .textValue.flatMap(LSN.init)
    }

    func currentWAL() throws -> LSN {
        try sql.queryScalar("SELECT pg_current_wal_insert_lsn()::text")?.textValue.flatMap(LSN.init) ?? .zero
    }

    func dropSlot() {
        for _ in 0..<20 {
            if (try? sql.execute("SELECT pg_drop_replication_slot($1)", [.text(slot)])) != nil { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        sql.close()
    }
}

extension SourceRecord {
    var op: String? { value.structValue?["op"]?.stringValue }
    var after: Struct? { value.structValue?["after"]?.structValue }
    var before: Struct? { value.structValue?["before"]?.structValue }
}
