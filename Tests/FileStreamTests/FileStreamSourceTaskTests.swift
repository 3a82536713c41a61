import Foundation
import SluiceAPI
import Testing
@testable import FileStream

@Suite struct FileStreamSourceTaskTests {
    @Test func linesComeOutWithBytePositionsAfterEachLine() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try append("a\nbb\r\nccc\rdé\nunfinished", to: file)
        let source = try startSource(file: file, topic: "t1")
        let records = try source.poll(until: 4)
        #expect(records.map(\.line) == ["a", "bb", "ccc", "dé"])
        // "é" is two bytes in UTF-8: positions count bytes.
        #expect(records.map(\.position) == [2, 6, 10, 14])
        for r in records {
            #expect(r.topic == "t1")
            #expect(r.sourcePartition == ["filename": .string(file)])
            #expect(r.valueSchema == Schema.string)
            #expect(r.keySchema == nil && r.key == .null)
            #expect(r.kafkaPartition == nil)
            #expect(r.timestamp != nil)
        }
        // The partial line is held back until its newline arrives.
        #expect(try source.task.poll().isEmpty)
        try append("\n", to: file)
        let rest = try source.poll(until: 1)
        #expect(rest.map(\.line) == ["unfinished"])
        #expect(rest.map(\.position) == [25])
        source.task.stop()
    }

    @Test func resumesFromTheCommittedPosition() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try append("one\ntwo\nthree\n", to: file)
        let committed: [[String: JSONValue]: [String: JSONValue]] = [["filename": .string(file)]: ["position": .int(4)]]
        let source = try startSource(file: file, offsets: committed)
        let records = try source.poll(until: 2)
        #expect(records.map(\.line) == ["two", "three"])
        #expect(records.map(\.position) == [8, 14])
        source.task.stop()
    }

    @Test func anIntegralDoublePositionIsAccepted() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try append("one\ntwo\n", to: file)
        let committed: [[String: JSONValue]: [String: JSONValue]] = [["filename": .string(file)]: ["position": .double(4)]]
        let source = try startSource(file: file, offsets: committed)
        #expect(try source.poll(until: 1).map(\.line) == ["two"])
        source.task.stop()
    }

    @Test func offsetsOfAnotherFileAreIgnored() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try append("x\n", to: file)
        let other: [[String: JSONValue]: [String: JSONValue]] = [["filename": .string(dir + "/other")]: ["position": .int(2)]]
        let source = try startSource(file: file, offsets: other)
        #expect(try source.poll(until: 1).map(\.line) == ["x"])
        source.task.stop()
    }

    @Test func aWrongOffsetTypeFailsLikeKafka() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try append("x\n", to: file)
        let bad: [[String: JSONValue]: [String: JSONValue]] = [["filename": .string(file)]: ["position": .string("4")]]
        let source = try startSource(file: file, offsets: bad)
        #expect {
            _ = try source.task.poll()
        } throws: { ($0 as? ConnectError)?.message == "Offset position is the incorrect type" }
        source.task.stop()
    }

    @Test func followsAGrowingFile() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try append("first\n", to: file)
        let source = try startSource(file: file)
        #expect(try source.poll(until: 1).map(\.line) == ["first"])
        let start = Date()
        #expect(try source.task.poll().isEmpty)
        // At the end of the file poll waits about a second, not longer, so the runtime keeps control.
        let waited = Date().timeIntervalSince(start)
        #expect(waited >= 0.5 && waited < 3)
        for i in 0..<3 { try append("more \(i)\n", to: file) }
        let more = try source.poll(until: 3)
        #expect(more.map(\.line) == ["more 0", "more 1", "more 2"])
        #expect(more.last?.position == Int64("first\n".utf8.count + 3 * "more 0\n".utf8.count))
        source.task.stop()
    }

    @Test func waitsForAFileThatDoesNotExistYet() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/later.txt"
        let source = try startSource(file: file)
        #expect(try source.task.poll().isEmpty)
        try append("hello\n", to: file)
        #expect(try source.poll(until: 1).map(\.line) == ["hello"])
        source.task.stop()
    }

    @Test func batchSizeBoundsEachPoll() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try append((1...7).map { "l\($0)\n" }.joined(), to: file)
        let source = try startSource(file: file, batchSize: 3)
        #expect(try source.task.poll().map(\.line) == ["l1", "l2", "l3"])
        #expect(try source.task.poll().map(\.line) == ["l4", "l5", "l6"])
        #expect(try source.task.poll().map(\.line) == ["l7"])
        source.task.stop()
    }

    @Test func manyLinesAcrossReadChunks() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        let lines = (0..<20_000).map { "line number \($0) " + String(repeating: "x", count: $0 % 50) }
        try append(lines.map { $0 + "\n" }.joined(), to: file)
        let source = try startSource(file: file)
        let records = try source.poll(until: lines.count, seconds: 20)
        #expect(records.map(\.line) == lines)
        #expect(records.last?.position == Int64(lines.reduce(0) { $0 + $1.utf8.count + 1 }))
        source.task.stop()
    }

    @Test func stopWakesAWaitingPoll() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.txt"
        try append("", to: file)
        let source = try startSource(file: file)
        let task = source.task
        // The runtime polls on a dedicated thread and calls stop from another one: do the same.
        let done = DispatchSemaphore(value: 0)
        let start = Date()
        let poller = Thread {
            _ = try? task.poll()
            done.signal()
        }
        poller.start()
        Thread.sleep(forTimeInterval: 0.1)
        task.stop()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(Date().timeIntervalSince(start) < 0.8)
        // After stop, poll returns at once.
        #expect(try task.poll().isEmpty)
    }
}
