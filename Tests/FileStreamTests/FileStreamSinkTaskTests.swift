import Foundation
import SluiceAPI
import Testing
@testable import FileStream

@Suite struct FileStreamSinkTaskTests {
    private func startSink(file: String) throws -> any SinkTask {
        let props = ["file": file, "topics": "t"]
        let task = FileStreamSinkConnector().makeTask()
        task.initialize(context: TestSinkContext(configs: props))
        try task.start(props)
        return task
    }

    private func record(_ value: Value, schema: Schema? = nil, offset: Int64 = 0) -> SinkRecord {
        SinkRecord(topic: "t", partition: 0, valueSchema: schema, value: value, kafkaOffset: offset)
    }

    @Test func writesOneLinePerRecordAndFlushMakesThemDurable() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/out.txt"
        let sink = try startSink(file: file)
        try sink.put([record(.string("hello"), schema: .string), record(.string("world"), schema: .string)])
        try sink.flush([TopicPartition("t", 0): 2])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "hello\nworld\n")
        try sink.put([record(.int64(42))])
        try sink.flush([:])
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "hello\nworld\n42\n")
        sink.stop()
    }

    @Test func appendsToAnExistingFileAndWritesBufferedLinesOnStop() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/out.txt"
        try append("already here\n", to: file)
        let sink = try startSink(file: file)
        try sink.put([record(.string("new"))])
        sink.stop()
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "already here\nnew\n")
    }

    @Test func preCommitFlushesBeforeAnsweringOffsets() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/out.txt"
        let sink = try startSink(file: file)
        try sink.put([record(.string("a"))])
        let offsets = [TopicPartition("t", 0): Int64(1)]
        #expect(try sink.preCommit(offsets) == offsets)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "a\n")
        sink.stop()
    }

    @Test func nonStringValuesPrintLikeJavaToString() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/out.txt"
        let sink = try startSink(file: file)
        let schema = SchemaBuilder.struct()
            .field("id", .int32).field("name", .optionalString).field("score", .float64)
            .build()
        var s = Struct(schema: schema)
        try s.put("id", .int32(7))
        try s.put("score", .float64(1.5))
        try sink.put([
            record(.null),
            record(.boolean(true)),
            record(.structure(s), schema: schema),
            record(.map([MapEntry(.string("k"), .int32(1)), MapEntry(.string("j"), .string("v"))])),
            record(.array([.int64(1), .int64(2)])),
            record(.float64(1e10)),
            record(.decimal(ConnectDecimal(unscaled: 12345, scale: 2))),
            record(.bytes([0x68, 0x69])),
            record(.int64(86_400_000), schema: Logical.timestamp()),
        ])
        try sink.flush([:])
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == [
            "null", "true", "Struct{id=7,score=1.5}", "{k=1, j=v}", "[1, 2]", "1.0E10", "123.45", "aGk=",
            "Fri Jan 02 00:00:00 UTC 1970",
        ])
        sink.stop()
    }

    @Test func anUnwritableFileFailsStartNamingTheFile() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/missing-dir/out.txt"
        let task = FileStreamSinkConnector().makeTask()
        #expect {
            try task.start(["file": file])
        } throws: { error in
            let message = (error as? ConnectError)?.message ?? ""
            return message.contains("Couldn't find or create file '\(file)' for FileStreamSinkTask")
        }
    }
}
