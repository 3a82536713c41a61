import Kafka
import SluiceAPI
import Synchronization
import Testing
@testable import ConnectCluster

/// The Kafka-backed stores against the embedded cluster: exact record formats, and a fresh instance reading
/// everything back (what a restarted worker does).
@Suite struct KafkaStoresTests {
    static func records(_ kafka: EmbeddedKafka, _ topic: String, _ count: Int) throws -> [(key: String, value: String?, partition: Int32)] {
        try TopicReader.read(bootstrapServers: kafka.bootstrapServers, topic: topic, count: count, timeoutMs: 10_000)
            .sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
            .map { (String(decoding: $0.key ?? [], as: UTF8.self), $0.value.map { String(decoding: $0, as: UTF8.self) }, $0.partition) }
    }

    @Test func configStoreRecordsAndRestart() throws {
        let kafka = try EmbeddedKafka.start()
        let admin = try KafkaAdmin.make(config: ["bootstrap.servers": kafka.bootstrapServers])
        try ConnectTopics.ensure(admin: admin, name: "connect-configs", kind: .config, partitions: 1)
        let updates = Locked<[KafkaConfigStore.Update]>([])
        let store = KafkaConfigStore(topic: "connect-configs", bootstrapServers: kafka.bootstrapServers) { u in updates.withLock { $0.append(u) } }
        try store.start(timeoutMs: 20_000)
        #expect(store.snapshot().offset == -1)

        try store.putConnectorConfig("files", ["connector.class": "FileStreamSource", "tasks.max": "2"], targetState: .paused)
        try store.putTaskConfigs("files", [["file": "a"], ["file": "b"]])
        try store.putConnectorConfig("gone", ["connector.class": "X"])
        try store.removeConnector("gone")
        try store.putTargetState("files", .stopped)
        try store.requestRestart("files", includeTasks: true, onlyFailed: false)
        try store.readToEnd()

        let written = try Self.records(kafka, "connect-configs", 10)
        #expect(written.map(\.key) == [
            "target-state-files", "connector-files", "task-files-0", "task-files-1", "commit-files", "connector-gone",
            "connector-gone", "target-state-gone", "target-state-files", "restart-connector-files",
        ])
        #expect(written[0].value == #"{"state":"PAUSED","state.v2":"PAUSED"}"#)
        #expect(written[1].value == #"{"properties":{"connector.class":"FileStreamSource","tasks.max":"2"}}"#)
        #expect(written[2].value == #"{"properties":{"file":"a"}}"#)
        #expect(written[4].value == #"{"tasks":2}"#)
        #expect(written[6].value == nil && written[7].value == nil)
        #expect(written[8].value == #"{"state":"PAUSED","state.v2":"STOPPED"}"#)
        #expect(written[9].value == #"{"include-tasks":true,"only-failed":false}"#)

        let snapshot = store.snapshot()
        #expect(snapshot.offset == 10)
        #expect(snapshot.connectorConfigs.keys.sorted() == ["files"])
        #expect(snapshot.targetState("files") == .stopped)
        #expect(snapshot.tasks(of: "files") == [.init(connector: "files", task: 0), .init(connector: "files", task: 1)])
        #expect(snapshot.taskConfigs[.init(connector: "files", task: 1)] == ["file": "b"])
        #expect(snapshot.configured == ConnectorsAndTasks(connectors: ["files"]), "a stopped connector's tasks are not assigned")
        #expect(updates.withLock { $0 }.contains(.restartRequested(connector: "files", includeTasks: true, onlyFailed: false)))
        #expect(updates.withLock { $0 }.contains(.connectorRemoved("gone")))

        let fresh = KafkaConfigStore(topic: "connect-configs", bootstrapServers: kafka.bootstrapServers)
        try fresh.start(timeoutMs: 20_000)
        #expect(fresh.snapshot() == snapshot)
        store.stop()
        fresh.stop()
    }

    @Test func configStoreOnAnAutoCreatedMultiPartitionTopic() throws {
        let kafka = try EmbeddedKafka.start()
        try kafka.createTopic("configs-4", partitions: 4)
        let store = KafkaConfigStore(topic: "configs-4", bootstrapServers: kafka.bootstrapServers)
        try store.start(timeoutMs: 20_000)
        for i in 0..<5 { try store.putConnectorConfig("c\(i)", ["n": "\(i)"]) }
        #expect(try Self.records(kafka, "configs-4", 5).allSatisfy { $0.partition == 0 })
        let fresh = KafkaConfigStore(topic: "configs-4", bootstrapServers: kafka.bootstrapServers)
        try fresh.start(timeoutMs: 20_000)
        #expect(fresh.snapshot().connectorConfigs.count == 5 && fresh.snapshot().offset == 5)
        store.stop()
        fresh.stop()
    }

    @Test func uncommittedOrIncompleteTaskConfigsAreNotEffective() throws {
        var state = KafkaConfigStore.State()
        func record(_ offset: Int64, _ key: String, _ value: String?) throws -> [KafkaConfigStore.Update] {
            try KafkaConfigStore.apply(KafkaMessage(topic: "c", partition: 0, offset: offset, key: Array(key.utf8), value: value.map { Array($0.utf8) }), to: &state)
        }
        _ = try record(0, "connector-my-conn", #"{"properties":{"a":"1"}}"#)
        _ = try record(1, "task-my-conn-0", #"{"properties":{"t":"0"}}"#)
        #expect(state.snapshot.tasks(of: "my-conn").isEmpty, "no commit yet")
        _ = try record(2, "commit-my-conn", #"{"tasks":2}"#)
        #expect(state.snapshot.inconsistent == ["my-conn"])
        #expect(state.snapshot.tasks(of: "my-conn").isEmpty)
        _ = try record(3, "task-my-conn-0", #"{"properties":{"t":"0"}}"#)
        _ = try record(4, "task-my-conn-1", #"{"properties":{"t":"1"}}"#)
        #expect(try record(5, "commit-my-conn", #"{"tasks":2}"#) == [.taskConfigs("my-conn")])
        #expect(state.snapshot.inconsistent.isEmpty)
        #expect(state.snapshot.taskConfigs[.init(connector: "my-conn", task: 1)] == ["t": "1"])
        #expect(throws: ConnectStoreError.self) { try record(6, "connector-x", "not json") }
        #expect(throws: ConnectStoreError.self) { try record(7, "target-state-x", #"{"state":"SLEEPING"}"#) }
        #expect(state.snapshot.offset == 8)
    }

    @Test func offsetStoreKeysPartitioningAndRestart() throws {
        let kafka = try EmbeddedKafka.start()
        let admin = try KafkaAdmin.make(config: ["bootstrap.servers": kafka.bootstrapServers])
        let partitions = try ConnectTopics.ensure(admin: admin, name: "connect-offsets", kind: .offset, partitions: 5)
        let store = KafkaOffsetStore(topic: "connect-offsets", bootstrapServers: kafka.bootstrapServers)
        try store.start(timeoutMs: 20_000)
        let p1: [String: JSONValue] = ["table": .string("orders"), "db": .string("shop")]
        let p2: [String: JSONValue] = ["filename": .string("/data/a.txt")]
        try store.write(connector: "jdbc", [.init(partition: p1, offset: ["ts": .int(5), "id": .int(9)])])
        try store.write(connector: "files", [.init(partition: p2, offset: ["position": .int(120)])])
        try store.write(connector: "files", [.init(partition: ["filename": .string("/data/b.txt")], offset: ["position": .int(1)])])
        try store.write(connector: "files", [.init(partition: ["filename": .string("/data/b.txt")], offset: nil)])
        #expect(store.offset(connector: "jdbc", partition: p1) == ["ts": .int(5), "id": .int(9)])
        #expect(store.offset(connector: "files", partition: ["filename": .string("/data/b.txt")]) == nil)

        let written = try Self.records(kafka, "connect-offsets", 4)
        let jdbc = try #require(written.first { $0.key.hasPrefix(#"["jdbc""#) })
        #expect(jdbc.key == #"["jdbc",{"db":"shop","table":"orders"}]"#)
        #expect(jdbc.value == #"{"id":9,"ts":5}"#)
        for record in written {
            #expect(record.partition == KafkaPartitioner.partition(forKey: Array(record.key.utf8), partitionCount: partitions))
        }
        #expect(written.contains { $0.key == #"["files",{"filename":"/data/b.txt"}]"# && $0.value == nil })

        let fresh = KafkaOffsetStore(topic: "connect-offsets", bootstrapServers: kafka.bootstrapServers)
        try fresh.start(timeoutMs: 20_000)
        #expect(fresh.offset(connector: "jdbc", partition: p1) == ["ts": .int(5), "id": .int(9)])
        #expect(fresh.offsets(connector: "files") == [.init(partition: p2, offset: ["position": .int(120)])])
        try fresh.removeAll(connector: "jdbc")
        try store.readToEnd()
        #expect(store.offset(connector: "jdbc", partition: p1) == nil)
        store.stop()
        fresh.stop()
    }

    @Test func offsetReadsNeverGoBackAfterOwnWrites() throws {
        let kafka = try EmbeddedKafka.start()
        try kafka.createTopic("offsets-rapid", partitions: 3)
        let store = KafkaOffsetStore(topic: "offsets-rapid", bootstrapServers: kafka.bootstrapServers)
        try store.start(timeoutMs: 20_000)
        let partition: [String: JSONValue] = ["file": .string("x")]
        for i in 0..<60 {
            try store.write(connector: "c", [.init(partition: partition, offset: ["pos": .int(Int64(i))])])
            #expect(store.offset(connector: "c", partition: partition) == ["pos": .int(Int64(i))])
        }
        try store.readToEnd()
        #expect(store.offset(connector: "c", partition: partition) == ["pos": .int(59)])
        store.stop()
    }

    @Test func olderRecordsReadBackDoNotOverwriteAcknowledgedWrites() throws {
        let key = KafkaOffsetStore.key(connector: "c", partition: ["f": .string("x")])
        func message(_ offset: Int64, _ value: String?) -> KafkaMessage {
            KafkaMessage(topic: "o", partition: 0, offset: offset, key: Array(key.utf8), value: value.map { Array($0.utf8) })
        }
        var data = KafkaOffsetStore.Data()
        data.acknowledged[key] = 5
        data.offsets[key] = .init(connector: "c", partition: ["f": .string("x")], offset: ["pos": .int(5)])
        try KafkaOffsetStore.apply(message(3, #"{"pos":3}"#), to: &data)
        #expect(data.offsets[key]?.offset == ["pos": .int(5)], "a record older than our acknowledged write is ignored")
        try KafkaOffsetStore.apply(message(6, #"{"pos":6}"#), to: &data)
        #expect(data.offsets[key]?.offset == ["pos": .int(6)])
        try KafkaOffsetStore.apply(message(7, nil), to: &data)
        #expect(data.offsets[key] == nil)
        #expect(throws: ConnectStoreError.self) { try KafkaOffsetStore.apply(message(8, "[1]"), to: &data) }
        #expect(throws: ConnectStoreError.self) {
            try KafkaOffsetStore.apply(KafkaMessage(topic: "o", partition: 0, offset: 9, key: Array("nope".utf8), value: nil), to: &data)
        }
    }

    @Test func statusStoreRecordsAndRestart() throws {
        let kafka = try EmbeddedKafka.start()
        let admin = try KafkaAdmin.make(config: ["bootstrap.servers": kafka.bootstrapServers])
        try ConnectTopics.ensure(admin: admin, name: "connect-status", kind: .status, partitions: 1)
        let store = KafkaStatusStore(topic: "connect-status", bootstrapServers: kafka.bootstrapServers)
        try store.start(timeoutMs: 20_000)
        try store.put(connector: "files", ConnectStatus(state: .running, workerId: "w1:8083", generation: 3))
        try store.put(task: .init(connector: "files", task: 0), ConnectStatus(state: .running, workerId: "w2:8083", generation: 3))
        try store.put(task: .init(connector: "files", task: 1), ConnectStatus(state: .failed, trace: "boom\n at x", workerId: "w1:8083", generation: 4))
        try store.put(connector: "old", ConnectStatus(state: .running, workerId: "w1:8083", generation: 1))
        try store.put(task: .init(connector: "old", task: 0), ConnectStatus(state: .running, workerId: "w1:8083", generation: 1))
        try store.remove(connector: "old")

        let written = try Self.records(kafka, "connect-status", 7)
        #expect(written[0].key == "status-connector-files")
        #expect(written[0].value == #"{"state":"RUNNING","trace":null,"worker_id":"w1:8083","generation":3}"#)
        #expect(written[2].value == #"{"state":"FAILED","trace":"boom\n at x","worker_id":"w1:8083","generation":4}"#)
        #expect(written.suffix(2).map(\.key) == ["status-task-old-0", "status-connector-old"] && written.suffix(2).allSatisfy { $0.value == nil })

        let fresh = KafkaStatusStore(topic: "connect-status", bootstrapServers: kafka.bootstrapServers)
        try fresh.start(timeoutMs: 20_000)
        #expect(fresh.connectors() == ["files": ConnectStatus(state: .running, workerId: "w1:8083", generation: 3)])
        #expect(fresh.tasks(of: "files")[.init(connector: "files", task: 1)]?.trace == "boom\n at x")
        #expect(fresh.tasks(of: "old").isEmpty)
        store.stop()
        fresh.stop()
    }
}
