import SluiceAPI

/// Splits a stream of JSON documents (one per line, or concatenated with any whitespace between) into single
/// documents without loading the file, tracking the line each one starts on.
struct JSONObjectScanner {
    private var buffer: ChunkBuffer
    let sourceName: String
    private(set) var line = 1
    private var checkedBOM = false

    init(source: any ByteSource, sourceName: String, chunkSize: Int = 256 * 1024) {
        buffer = ChunkBuffer(reader: source, capacity: chunkSize)
        self.sourceName = sourceName
    }

    func close() { buffer.deallocate() }

    /// Calls `body` with the bytes of the next document and its line; returns nil at end of input.
    mutating func next<R>(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> R) throws -> R? {
        while true {
            // Skip whitespace between documents.
            let base = buffer.storage.baseAddress!
            while buffer.start < buffer.end {
                let c = base[buffer.start]
                if c == 10 { line += 1 } else if c != 32 && c != 9 && c != 13 { break }
                buffer.start += 1
            }
            if buffer.available == 0 {
                if try buffer.refill() { continue }
                return nil
            }
            if !checkedBOM {
                if buffer.available < 3, try buffer.refill() { continue }
                let p = buffer.storage.baseAddress! + buffer.start
                if buffer.available >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { buffer.start += 3 }
                checkedBOM = true
                continue
            }
            if let end = scanDocument() {
                let startLine = line
                let p = buffer.storage.baseAddress!
                for k in buffer.start..<end where p[k] == 10 { line += 1 }
                let doc = UnsafeBufferPointer(start: p + buffer.start, count: end - buffer.start)
                buffer.start = end
                return try body(doc, startLine)
            }
            // Nothing more to read: only a scalar that ends the file without a line end is complete now (it ends
            // at the end of input); anything else is cut off. Deciding here, not on whether the last read also hit
            // the end, keeps the outcome independent of how the input was chunked.
            if !(try buffer.refillForRescan()), !(buffer.eof && scanDocument() != nil) {
                throw ConnectError(.dataException, "\(sourceName) line \(line): incomplete JSON document at end of file")
            }
        }
    }

    /// The end of the document starting at `buffer.start`, or nil when more bytes are needed.
    private func scanDocument() -> Int? {
        let p = buffer.storage.baseAddress!
        var i = buffer.start
        let end = buffer.end
        let first = p[i]
        if first != 123 && first != 91 {  // a scalar: runs to whitespace
            while i < end, p[i] != 10, p[i] != 13, p[i] != 32, p[i] != 9 { i += 1 }
            return i < end || buffer.eof ? i : nil
        }
        var depth = 0
        var inString = false
        while i < end {
            let c = p[i]
            if inString {
                if c == 92 { i += 2; continue }
                if c == 34 { inString = false }
            } else if c == 34 {
                inString = true
            } else if c == 123 || c == 91 {
                depth += 1
            } else if c == 125 || c == 93 {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }
}
