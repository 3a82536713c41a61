/// A growable window of bytes read from a `ByteSource`: parsers consume from `start`, and `refill` compacts the
/// unconsumed tail to the front before reading the next chunk, so memory stays bounded by the longest record.
struct ChunkBuffer {
    private(set) var storage: UnsafeMutableBufferPointer<UInt8>
    /// First unconsumed byte.
    var start = 0
    /// One past the last valid byte.
    private(set) var end = 0
    private(set) var eof = false
    let reader: any ByteSource

    init(reader: any ByteSource, capacity: Int) {
        self.reader = reader
        storage = .allocate(capacity: max(4096, capacity))
    }

    func deallocate() { storage.deallocate() }

    var available: Int { end - start }

    /// Moves unconsumed bytes to the front (growing when full) and reads more; returns false at end of input.
    mutating func refill() throws -> Bool {
        if eof { return false }
        let base = storage.baseAddress!
        if start > 0 {
            let n = end - start
            if n > 0 { base.update(from: base + start, count: n) }
            start = 0
            end = n
        }
        if end == storage.count {
            let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: storage.count * 2)
            bigger.baseAddress!.update(from: base, count: end)
            storage.deallocate()
            storage = bigger
        }
        let n = try reader.read(into: storage.baseAddress! + end, count: storage.count - end)
        if n == 0 { eof = true; return false }
        end += n
        return true
    }

    /// Refill for a parser that found an incomplete record and will scan it again from its start: reads until the
    /// unconsumed bytes at least doubled (or the input ended), so the rescans of one long record cost amortized
    /// linear time whatever the source's read size (a pipe or a decompressor may hand over a few bytes per read;
    /// one refill per rescan made a record of n bytes cost n²/chunk byte scans). False when nothing more came.
    mutating func refillForRescan() throws -> Bool {
        let want = available * 2 + 1
        var grew = false
        while available < want, try refill() { grew = true }
        return grew
    }
}
