import SluiceAPI

/// Counts acknowledged records per file version; a file is cleaned up once all its records were acknowledged.
///
/// `commitRecord` arrives once per record (a million times for a million-line file) on the runtime's delivery
/// thread. Reading the file's identity out of each record's partition and offset maps took three hashed lookups and
/// one more to count; records of one file share their partition map (`OpenFile.partition`), so a record whose map is
/// the very one of the previous record belongs to the same file, and runs of one file are counted in a plain integer
/// that is folded into the table when the file changes or the table is read. Pure; the task locks around it.
struct AckCounter {
    private var counts: [OpenFile.AckKey: Int] = [:]
    /// The previous record's partition map, kept so its storage cannot be freed and reused by another map.
    private var lastPartition: [String: JSONValue] = [:]
    private var lastKey: OpenFile.AckKey?
    private var run = 0

    /// Counts one acknowledged record (records without SpoolDir's partition and offset fields are ignored).
    mutating func add(_ record: SourceRecord) {
        let partition = record.sourcePartition
        if lastKey != nil, Self.sameStorage(partition, lastPartition) {
            run += 1
            return
        }
        guard let name = partition["fileName"]?.stringValue,
              let size = record.sourceOffset["fileSize"]?.int64Value, let modified = record.sourceOffset["fileLastModified"]?.int64Value
        else { return }
        fold()
        lastKey = OpenFile.AckKey(name: name, size: size, modified: modified)
        lastPartition = partition
        run = 1
    }

    /// Acknowledged records of `key` so far.
    mutating func count(_ key: OpenFile.AckKey) -> Int {
        fold()
        return counts[key] ?? 0
    }

    /// Forgets `key` (its file was cleaned up).
    mutating func remove(_ key: OpenFile.AckKey) {
        fold()
        counts[key] = nil
    }

    private mutating func fold() {
        if let key = lastKey, run > 0 { counts[key, default: 0] += run }
        run = 0
    }

    /// True when both maps are the same storage (so equal); false says nothing. A map is one reference.
    private static func sameStorage(_ a: [String: JSONValue], _ b: [String: JSONValue]) -> Bool {
        guard MemoryLayout<[String: JSONValue]>.size == MemoryLayout<UInt>.size, !a.isEmpty else { return false }
        return unsafeBitCast(a, to: UInt.self) == unsafeBitCast(b, to: UInt.self)
    }
}
