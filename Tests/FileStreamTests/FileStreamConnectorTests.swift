import Foundation
import JavaCompat
import SluiceAPI
import Testing
@testable import FileStream

@Suite struct FileStreamConnectorTests {
    @Test func sourceRequiresATopicAndRunsOneTask() throws {
        let c = FileStreamSourceConnector()
        #expect {
            try c.start(["file": "/tmp/x"])
        } throws: { ($0 as? ConnectError)?.message.contains("\"topic\"") == true }
        #expect(throws: ConnectError.self) { try c.start(["topic": ""]) }
        try c.start(["file": "/tmp/x", "topic": "t", "name": "n"])
        let tasks = try c.taskConfigs(maxTasks: 5)
        // Kafka hands the task the connector's whole config (REST /tasks shows it).
        #expect(tasks == [["file": "/tmp/x", "topic": "t", "name": "n"]])
        #expect(c.version == "3.9.0")
    }

    @Test func sourceValidatesBatchSize() throws {
        let results = FileStreamSourceConnector().validate(["topic": "t", "batch.size": "lots"])
        let batch = try #require(results.first { $0.name == "batch.size" })
        #expect(batch.errors.first?.contains("batch.size") == true)
    }

    @Test func sinkCopiesItsConfigToEveryTask() throws {
        let c = FileStreamSinkConnector()
        let props = ["file": "/tmp/out", "topics": "a,b", "name": "s"]
        try c.start(props)
        #expect(try c.taskConfigs(maxTasks: 3) == [props, props, props])
    }

    @Test func alterOffsetsFollowsKafkasRules() throws {
        let c = FileStreamSourceConnector()
        let config = ["file": "/tmp/in", "topic": "t"]
        let p: [String: JSONValue] = ["filename": .string("/tmp/in")]
        #expect(try c.alterOffsets(config, [p: ["position": .int(10)]]))
        #expect(try c.alterOffsets(config, [p: nil]))
        func message(_ config: [String: String], _ offsets: [[String: JSONValue]: [String: JSONValue]?]) -> String? {
            do { _ = try c.alterOffsets(config, offsets); return nil } catch { return (error as? ConnectError)?.message }
        }
        #expect(message(["topic": "t"], [p: nil])?.contains("stdin is used for input") == true)
        #expect(message(config, [p: ["pos": .int(1)]]) == "Offset objects should either be null or contain the key 'position'")
        #expect(message(config, [p: ["position": .string("1")]])
            == "The value for the 'position' key in the offset is expected to be a Long value")
        #expect(message(config, [p: ["position": .int(-1)]])
            == "The value for the 'position' key in the offset should be a non-negative value")
        #expect(message(config, [["file": .string("x")]: ["position": .int(1)]])
            == "Partition objects should contain the key 'filename'")
    }

    @Test func pluginsAreListedWithJavaNamesAndAliases() {
        let byClass = Dictionary(uniqueKeysWithValues: FileStreamPlugins.all.map { ($0.className, $0) })
        let source = byClass["org.apache.kafka.connect.file.FileStreamSourceConnector"]
        let sink = byClass["org.apache.kafka.connect.file.FileStreamSinkConnector"]
        #expect(source?.type == .source)
        #expect(sink?.type == .sink)
        #expect(source?.aliases.contains("FileStreamSource") == true)
        #expect(sink?.aliases.contains("FileStreamSink") == true)
        #expect(FileStreamPlugins.all.allSatisfy { $0.version == "3.9.0" })
        #expect(source?.configDef.key("batch.size")?.defaultValue == .value("2000"))
        #expect(source?.configDef.key("topic")?.isRequired == true)
        #expect(sink?.configDef.key("file")?.defaultValue == .value(nil))
    }

    @Test func javaDateTextMatchesJavaUtilDate() {
        #expect(JavaText.dateString(epochMillis: 0) == "Thu Jan 01 00:00:00 UTC 1970")
        #expect(JavaText.dateString(epochMillis: 1_764_067_244_000) == "Tue Nov 25 10:40:44 UTC 2025")
        #expect(JavaText.dateString(epochMillis: -1) == "Wed Dec 31 23:59:59 UTC 1969")
    }
}
