import Foundation
import SluiceAPI
import Testing
@testable import SpoolDir

@Suite struct FileSelectionTests {
    @Test func minimumAgeSortOrderAndWholeNameMatch() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        for n in ["a.csv", "b.csv", "c.csv", "x.csv.bak", "d.csv.PROCESSING"] { try dirs.write(n, "n\n1\n") }
        let young = try SpoolDirSettings(dirs.csvConfig(["file.minimum.age.ms": "600000"]), format: .csv)
        #expect(try FileLister(settings: young).ready(taskIndex: 0, taskCount: 1, skip: []).isEmpty)
        let desc = try SpoolDirSettings(dirs.csvConfig(["files.sort.attributes": "NameDesc", "input.file.pattern": ".*\\.csv"]), format: .csv)
        #expect(try FileLister(settings: desc).ready(taskIndex: 0, taskCount: 1, skip: []).map(\.name) == ["c.csv", "b.csv", "a.csv"])
        // "csv" must match the whole name, not a part of it
        let partial = try SpoolDirSettings(dirs.csvConfig(["input.file.pattern": "csv"]), format: .csv)
        #expect(try FileLister(settings: partial).allMatching().isEmpty)
    }

    @Test func finishedFileWaitsForAcknowledgementsBeforeCleanup() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.csv", "n\n1\n2\n3\n")
        let connector = SpoolDirSourceConnector(format: .csv)
        try connector.start(dirs.csvConfig())
        let config = try connector.taskConfigs(maxTasks: 1)[0]
        let offsets = MemoryOffsets()
        let task = connector.makeTask()
        task.initialize(context: TestTaskContext(configs: config, offsetStorageReader: offsets))
        try task.start(config)
        let batch = try task.poll()
        #expect(batch.count == 3)
        _ = try task.poll()
        #expect(dirs.files(dirs.input) == ["a.csv", "a.csv.PROCESSING"])  // read, but not acknowledged yet
        for r in batch.prefix(2) { try task.commitRecord(r, metadata: nil) }
        _ = try task.poll()
        #expect(dirs.files(dirs.input) == ["a.csv", "a.csv.PROCESSING"])
        try task.commitRecord(batch[2], metadata: nil)
        _ = try task.poll()
        #expect(dirs.files(dirs.input).isEmpty)
        #expect(dirs.files(dirs.finished) == ["a.csv"])
        task.stop()
    }

    /// Acknowledgements are counted per run of one file's records; interleaving two files' records switches runs
    /// back and forth, and each file must still be released exactly when all of its own records were acknowledged.
    @Test func interleavedAcknowledgementsOfTwoFilesReleaseEachOnItsOwnCount() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.csv", "n\n1\n2\n3\n")
        try dirs.write("b.csv", "n\n4\n5\n6\n")
        let connector = SpoolDirSourceConnector(format: .csv)
        try connector.start(dirs.csvConfig())
        let config = try connector.taskConfigs(maxTasks: 1)[0]
        let task = connector.makeTask()
        task.initialize(context: TestTaskContext(configs: config, offsetStorageReader: MemoryOffsets()))
        try task.start(config)
        var a: [SourceRecord] = [], b: [SourceRecord] = []
        for _ in 0..<6 {
            for r in try task.poll() {
                if r.sourcePartition["fileName"]?.stringValue == "a.csv" { a.append(r) } else { b.append(r) }
            }
            if a.count == 3 && b.count == 3 { break }
        }
        #expect(a.count == 3 && b.count == 3)
        for r in [a[0], b[0], a[1], b[1], a[2]] { try task.commitRecord(r, metadata: nil) }
        _ = try task.poll()
        #expect(dirs.files(dirs.finished) == ["a.csv"], "a has its 3 acknowledgements, b only 2")
        try task.commitRecord(b[2], metadata: nil)
        _ = try task.poll()
        #expect(dirs.files(dirs.finished) == ["a.csv", "b.csv"])
        task.stop()
    }

    @Test func committedFinalOffsetAlsoReleasesTheFile() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.csv", "n\n1\n2\n")
        let connector = SpoolDirSourceConnector(format: .csv)
        try connector.start(dirs.csvConfig())
        let config = try connector.taskConfigs(maxTasks: 1)[0]
        let offsets = MemoryOffsets()
        let task = connector.makeTask()
        task.initialize(context: TestTaskContext(configs: config, offsetStorageReader: offsets))
        try task.start(config)
        let batch = try task.poll()
        _ = try task.poll()
        #expect(dirs.files(dirs.finished).isEmpty)
        offsets.commit(batch[1])  // the runtime flushed offsets without calling commitRecord
        _ = try task.poll()
        #expect(dirs.files(dirs.finished) == ["a.csv"])
        task.stop()
    }

    @Test func stopWakesAnIdlePoll() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let connector = SpoolDirSourceConnector(format: .csv)
        let c = dirs.csvConfig(["empty.poll.wait.ms": "60000"])
        try connector.start(c)
        let config = try connector.taskConfigs(maxTasks: 1)[0]
        let task = connector.makeTask()
        task.initialize(context: TestTaskContext(configs: config, offsetStorageReader: MemoryOffsets()))
        try task.start(config)
        _ = try task.poll()
        let started = Date()
        let stopper = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            task.stop()
        }
        stopper.start()
        _ = try task.poll()
        // Without the wake-up the poll would sleep its full second.
        #expect(Date().timeIntervalSince(started) < 0.8)
    }
}
