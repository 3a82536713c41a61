import Foundation
import SluiceAPI

/// The file a task is reading: its reader, how far it got, and the per-file parts of every record.
final class OpenFile {
    let file: InputFile
    let reader: any RecordReader
    /// Records read from this file so far (including ones skipped because they were already committed).
    var count: Int
    /// Records skipped on open because a previous run committed them.
    let skipped: Int
    /// Bad records of this run parked in the dead letter queue: they take a position (offset) but get no ack.
    var deadLettered = 0
    /// The topic schema this file is read with when it must be stored before the file's first record goes out.
    var pendingSchema: TopicSchema.Plan?
    let startedAt: Date
    let partition: [String: JSONValue]
    /// The `file.*` headers every record of the file carries (`file.offset` is appended per record).
    let baseHeaders: [Header]

    init(file: InputFile, reader: any RecordReader, skipped: Int, settings: SpoolDirSettings) {
        self.file = file
        self.reader = reader
        self.count = skipped
        self.skipped = skipped
        self.startedAt = Date()
        partition = ["fileName": .string(file.name)]
        var h = Headers()
        h.add("file.name", file.name)
        h.add("file.name.without.extension", file.nameWithoutExtension)
        h.add("file.path", file.path)
        h.add("file.parent.dir.name", file.parentDirName)
        h.add("file.length", schema: .int64, value: .int64(file.size))
        h.add("file.last.modified", schema: Logical.timestamp, value: .int64(file.modifiedMs))
        if settings.recursive { h.add("file.relative.path", file.relativePath) }
        baseHeaders = h.items
    }

    /// The committed position after `count` records: the original's `offset` plus size and modification time, so a
    /// different file that reuses the name starts from the beginning.
    func offset(_ count: Int) -> [String: JSONValue] {
        var o = offsetTemplate  // copying a built table and replacing one value hashes one key instead of three
        o["offset"] = .int(Int64(count))
        return o
    }

    private lazy var offsetTemplate: [String: JSONValue] =
        ["offset": .int(0), "fileSize": .int(file.size), "fileLastModified": .int(file.modifiedMs)]

    /// Key under which acknowledgements of this file's records are counted.
    var ackKey: AckKey { AckKey(name: file.name, size: file.size, modified: file.modifiedMs) }

    /// One version of a file name: acknowledgements of an older file with the same name never count for a new one.
    struct AckKey: Hashable {
        let name: String
        let size: Int64
        let modified: Int64
    }

    /// Where a committed offset says to resume in `file`: its record count when it is the same file, else 0.
    static func resumePosition(_ stored: [String: JSONValue]?, for file: InputFile) -> Int {
        guard let stored, let n = stored["offset"]?.int64Value, n > 0,
            stored["fileSize"]?.int64Value == file.size, stored["fileLastModified"]?.int64Value == file.modifiedMs
        else { return 0 }
        return Int(n)
    }
}
