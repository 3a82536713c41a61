import Foundation
import Testing
@testable import Runtime
import Plugins
import SluiceAPI
import TestSupport
import WorkerTestSupport

@Suite struct StoreTests {
    @Test func fileOffsetStoreRoundTripsAndIsAtomic() throws {
        let dir = try TemporaryDirectory(prefix: "offsets")
        let path = dir.file("connect.offsets")
        let store = try FileOffsetStore(path: path)
        try store.write(connector: "c", [OffsetEntry(partition: ["filename": .string("/a b")], offset: ["position": .int(42)])])
        try store.write(connector: "d", [OffsetEntry(partition: ["table": .string("t"), "protocol": .string("1")], offset: ["incrementing": .int(7)])])
        let reopened = try FileOffsetStore(path: path)
        #expect(reopened.offset(connector: "c", partition: ["filename": .string("/a b")]) == ["position": .int(42)])
        #expect(reopened.offsets(connector: "d").count == 1)
        try reopened.write(connector: "c", [OffsetEntry(partition: ["filename": .string("/a b")], offset: nil)])
        #expect(try FileOffsetStore(path: path).offset(connector: "c", partition: ["filename": .string("/a b")]) == nil)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(getpid())"))
    }

    @Test func offsetKeyIsKafkaConnectsFormat() {
        #expect(OffsetKey.encode(connector: "jdbc", partition: ["table": .string("orders"), "protocol": .string("1")])
                == #"["jdbc",{"protocol":"1","table":"orders"}]"#)
        #expect(OffsetKey.decode(#"["jdbc",{"table":"orders"}]"#)?.connector == "jdbc")
    }

    @Test func fileConfigStoreKeepsRestConnectors() throws {
        let dir = try TemporaryDirectory(prefix: "configs")
        let s = FileConfigStore(path: dir.file("c.json"))
        try s.put("a", StoredConnector(config: ["name": "a", "x": "1"], targetState: .paused))
        let loaded = try FileConfigStore(path: dir.file("c.json")).load()
        #expect(loaded["a"] == StoredConnector(config: ["name": "a", "x": "1"], targetState: .paused))
    }

    @Test func submittedRecordsCommitOnlyAcknowledgedPrefixes() {
        let s = SubmittedRecords()
        let p: [String: JSONValue] = ["f": .string("a")]
        let e1 = s.submit(partition: p, offset: ["o": .int(1)])
        let e2 = s.submit(partition: p, offset: ["o": .int(2)])
        let e3 = s.submit(partition: p, offset: ["o": .int(3)])
        s.ack(e2)
        #expect(s.takeCommittable().isEmpty)
        s.ack(e1)
        #expect(s.takeCommittable() == [OffsetEntry(partition: p, offset: ["o": .int(2)])])
        s.ack(e3)
        #expect(s.takeCommittable() == [OffsetEntry(partition: p, offset: ["o": .int(3)])])
        #expect(s.inFlight == 0)
    }
}

@Suite struct ConfigTests {
    @Test func workerConfigDefaultsAndListener() throws {
        let c = try WorkerConfig(["key.converter": "JsonConverter", "value.converter": "JsonConverter"])
        #expect(c.bootstrapServers == "localhost:9092")
        #expect(c.offsetFlushIntervalMs == 60000)
        #expect(c.listener.port == 8083)
        #expect(c.listener.host == "0.0.0.0")
        let d = try WorkerConfig(["key.converter": "a", "value.converter": "b", "listeners": "http://127.0.0.1:9999"])
        #expect(d.listener.host == "127.0.0.1" && d.listener.port == 9999)
    }

    @Test func workerConfigRequiresConverters() {
        #expect(throws: ConnectError.self) { try WorkerConfig([:]) }
    }

    @Test func configProvidersResolvePlaceholders() throws {
        let dir = try TemporaryDirectory(prefix: "providers")
        try "db.password=s3cret\n".write(toFile: dir.file("secrets.properties"), atomically: true, encoding: .utf8)
        setenv("SLUICE_TEST_VAR", "from-env", 1)
        let c = try WorkerConfig([
            "key.converter": "a", "value.converter": "b", "config.providers": "file,env",
            "config.providers.file.class": "org.apache.kafka.common.config.provider.FileConfigProvider",
            "config.providers.env.class": "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
            "rest.advertised.host.name": "${env:SLUICE_TEST_VAR}",
            "group.id": "${file:\(dir.file("secrets.properties")):db.password}",
        ])
        #expect(c.parsed.string("rest.advertised.host.name") == "from-env")
        #expect(c.parsed.string("group.id") == "s3cret")
    }

    @Test func restartBackoffGrowsAndCaps() {
        let p = RestartPolicy(enabled: true, initialBackoffMs: 1000, maxBackoffMs: 5000, maxAttempts: 3)
        #expect(p.delayMs(attempt: 1) == 1000)
        #expect(p.delayMs(attempt: 2) == 2000)
        #expect(p.delayMs(attempt: 4) == 5000)
        #expect(p.allows(attempt: 3) && !p.allows(attempt: 4))
    }

    @Test func pluginAliases() {
        let r = PluginRegistry(BuiltinPlugins.all)
        #expect(r.find("FileStreamSource")?.className == "org.apache.kafka.connect.file.FileStreamSourceConnector")
        #expect(r.find("FileStreamSourceConnector")?.className == "org.apache.kafka.connect.file.FileStreamSourceConnector")
        #expect(r.find("org.apache.kafka.connect.json.JsonConverter")?.type == .converter)
        #expect(r.find("JsonConverter") != nil)
        #expect(r.find("nope") == nil)
    }

    @Test func connectorConfigFileFormats() throws {
        let dir = try TemporaryDirectory(prefix: "cfgfile")
        try #"{"name":"x","config":{"tasks.max":3,"topic":"t"}}"#.write(toFile: dir.file("a.json"), atomically: true, encoding: .utf8)
        let a = try ConnectorConfigFile.load(path: dir.file("a.json"))
        #expect(a == ["name": "x", "tasks.max": "3", "topic": "t"])
        try "name=y\nconnector.class=FileStreamSink\n".write(toFile: dir.file("b.properties"), atomically: true, encoding: .utf8)
        #expect(try ConnectorConfigFile.load(path: dir.file("b.properties"))["name"] == "y")
    }
}
