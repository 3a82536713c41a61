import SluiceAPI

/// Reads a text file line by line: each line (without its LF or CRLF) is a STRING value, as the original
/// `SpoolDirLineDelimitedSourceConnector`.
final class LineRecordReader: RecordReader {
    private var buffer: ChunkBuffer
    private var line = 0
    private let latin1: Bool
    private var checkedBOM = false
    var keySchema: Schema? { nil }
    var valueSchema: Schema? { Schema.string }
    var timestampFieldIndex: Int? { nil }

    init(file: InputFile, settings s: SpoolDirSettings) throws {
        buffer = ChunkBuffer(reader: try FileByteReader.open(file.path, bufferSize: s.bufferSize), capacity: s.bufferSize)
        latin1 = s.latin1
    }

    private var closed = false

    /// Frees the read buffer; safe to call more than once (deinit calls it for readers dropped mid-file).
    func close() {
        if closed { return }
        closed = true
        buffer.deallocate()
    }

    deinit { close() }

    func next() throws -> ParsedRecord? {
        guard let text = try nextLine() else { return nil }
        return ParsedRecord(key: .null, value: .string(text), line: line)
    }

    func skip() throws -> Bool { try nextLine() != nil }

    private func nextLine() throws -> String? {
        while true {
            if !checkedBOM {
                if buffer.available < 3, try buffer.refill() { continue }
                let p = buffer.storage.baseAddress! + buffer.start
                if buffer.available >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { buffer.start += 3 }
                checkedBOM = true
            }
            let p = buffer.storage.baseAddress!
            var i = buffer.start
            while i < buffer.end, p[i] != 10 { i += 1 }
            if i < buffer.end || (buffer.eof && buffer.available > 0) {
                var e = i
                if e > buffer.start, p[e - 1] == 13 { e -= 1 }
                let bytes = UnsafeBufferPointer(start: p + buffer.start, count: e - buffer.start)
                let s = latin1 ? String(decoding: bytes.map { UInt16($0) }, as: UTF16.self) : String(decoding: bytes, as: UTF8.self)
                buffer.start = min(i + 1, buffer.end)
                line += 1
                return s
            }
            if !(try buffer.refillForRescan()) { if buffer.available == 0 { return nil } }
        }
    }
}
