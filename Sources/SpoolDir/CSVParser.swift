import SluiceAPI

/// A streaming, byte-level CSV parser: RFC 4180 plus the opencsv options SpoolDir exposes.
///
/// It reads its source in chunks (never a whole file), strips a UTF-8 BOM, skips `skipLines` physical lines and
/// blank lines, accepts LF, CRLF and lone CR line ends, keeps newlines inside quoted fields, and reports the
/// physical line each record starts on so errors and offsets can name it. Field bytes are unescaped once into a
/// reused `CSVRow`; unquoted runs are copied in bulk, which keeps the loop at memory speed.
///
/// Escapes (opencsv semantics): the escape character before a quote or another escape yields that character;
/// before anything else it is kept literally (opencsv would drop it, turning `C:\dir` into `C:dir`).
public struct CSVParser {
    private var buffer: ChunkBuffer
    public let options: CSVOptions
    /// Name used in error messages.
    public let sourceName: String
    /// 1-based physical line of the next unread byte.
    public private(set) var line = 1
    private var checkedBOM = false
    private var linesToSkip: Int
    /// Where the record `next` returned last lies in the buffer (valid until the next call).
    private var lastStart = 0
    private var lastEnd = 0

    public init(source: any ByteSource, options: CSVOptions, sourceName: String, chunkSize: Int = 256 * 1024) {
        self.buffer = ChunkBuffer(reader: source, capacity: chunkSize)
        self.options = options
        self.sourceName = sourceName
        self.linesToSkip = options.skipLines
    }

    /// Frees the read buffer; call once when done.
    public func close() { buffer.deallocate() }

    private enum Outcome { case record(end: Int, newlines: Int), blank(end: Int), needMore, endOfInput }

    /// Parses the next record into `row`; returns false at end of input.
    public mutating func next(into row: inout CSVRow) throws -> Bool {
        while true {
            if buffer.available == 0, !(try buffer.refill()) { return false }
            if !checkedBOM {
                if buffer.available < 3, !buffer.eof { _ = try buffer.refill(); continue }
                let p = buffer.storage.baseAddress! + buffer.start
                if buffer.available >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { buffer.start += 3 }
                checkedBOM = true
                continue
            }
            if linesToSkip > 0 {
                if try skipPhysicalLine() { linesToSkip -= 1; continue }
                return false
            }
            switch try parse(into: &row, atEOF: buffer.eof) {
            case .record(let end, let newlines):
                lastStart = buffer.start
                lastEnd = end
                buffer.start = end
                line += newlines
                return true
            case .blank(let end):
                buffer.start = end
                line += 1
            case .needMore:
                if !(try buffer.refillForRescan()) { continue }  // eof now set: parse again with atEOF
            case .endOfInput:
                return false
            }
        }
    }

    /// The raw bytes of the record `next` returned last, without its line end: what a dead letter queue keeps of a
    /// bad line. Only valid until `next` is called again (the buffer is compacted on refill).
    public var lastRecordBytes: [UInt8] {
        let p = buffer.storage.baseAddress!
        var e = lastEnd
        while e > lastStart, p[e - 1] == 10 || p[e - 1] == 13 { e -= 1 }
        return Array(UnsafeBufferPointer(start: p + lastStart, count: e - lastStart))
    }

    /// Drops one physical line; false when the input ended first.
    private mutating func skipPhysicalLine() throws -> Bool {
        while true {
            let base = buffer.storage.baseAddress!
            var i = buffer.start
            while i < buffer.end, base[i] != 10, base[i] != 13 { i += 1 }
            if i < buffer.end {
                if base[i] == 13 {
                    if i + 1 >= buffer.end, !buffer.eof { if try buffer.refill() { continue } }
                    if i + 1 < buffer.end, base[i + 1] == 10 { i += 1 }
                }
                buffer.start = i + 1
                line += 1
                return true
            }
            buffer.start = i
            if !(try buffer.refill()) { return false }
        }
    }

    private func error(_ message: String, line: Int) -> ConnectError {
        ConnectError(.dataException, "\(sourceName) line \(line): \(message)")
    }

    // The state machine over one record. Restarts from the record's first byte when the chunk ends mid-record.
    private func parse(into row: inout CSVRow, atEOF: Bool) throws -> Outcome {
        let p = buffer.storage.baseAddress!
        let end = buffer.end
        let start = buffer.start
        let sep = options.separator
        let quote: Int = options.ignoreQuotations ? -1 : Int(options.quote ?? 0) == 0 ? -1 : Int(options.quote!)
        let esc: Int = Int(options.escape ?? 0) == 0 || Int(options.escape!) == quote ? -1 : Int(options.escape!)
        let strict = options.strictQuotes
        let keepCR = options.keepCarriageReturn
        row.reset(line: line)
        var i = start
        if i >= end { return atEOF ? .endOfInput : .needMore }
        // A line with nothing on it is skipped, not a one-empty-field record.
        if p[i] == 10 { return .blank(end: i + 1) }
        if p[i] == 13 {
            if i + 1 < end { return .blank(end: p[i + 1] == 10 ? i + 2 : i + 1) }
            return atEOF ? .blank(end: i + 1) : .needMore
        }
        var newlines = 0
        var inQuotes = false
        var fieldQuoted = false
        var fieldStart = 0
        while i < end {
            if inQuotes {
                var j = i
                while j < end {
                    let c = Int(p[j])
                    if c == quote || c == esc || c == 13 || c == 10 { break }
                    j += 1
                }
                if j > i { row.bytes.append(contentsOf: UnsafeBufferPointer(start: p + i, count: j - i)) }
                i = j
                if i >= end { break }
                let c = p[i]
                if Int(c) == quote {
                    if i + 1 >= end && !atEOF { return .needMore }
                    if i + 1 < end && Int(p[i + 1]) == quote {
                        row.bytes.append(c)
                        i += 2
                    } else {
                        inQuotes = false
                        i += 1
                    }
                } else if Int(c) == esc {
                    if i + 1 >= end && !atEOF { return .needMore }
                    if i + 1 < end && (Int(p[i + 1]) == quote || Int(p[i + 1]) == esc) {
                        row.bytes.append(p[i + 1])
                        i += 2
                    } else {
                        row.bytes.append(c)
                        i += 1
                    }
                } else if c == 10 {
                    row.bytes.append(10)
                    newlines += 1
                    i += 1
                } else {  // CR inside quotes: part of CRLF or a lone CR line end, both become \n unless kept
                    if i + 1 >= end && !atEOF { return .needMore }
                    if keepCR { row.bytes.append(13) }
                    if i + 1 < end && p[i + 1] == 10 {
                        i += 1
                    } else {
                        row.bytes.append(10)
                        newlines += 1
                        i += 1
                    }
                }
                continue
            }
            // Outside quotes: copy the plain run in one go.
            var j = i
            while j < end {
                let c = p[j]
                if c == sep || c == 10 || c == 13 || Int(c) == quote || Int(c) == esc { break }
                j += 1
            }
            if j > i, !strict { row.bytes.append(contentsOf: UnsafeBufferPointer(start: p + i, count: j - i)) }
            i = j
            if i >= end { break }
            let c = p[i]
            if c == sep {
                row.finishField(quoted: fieldQuoted)
                fieldQuoted = false
                fieldStart = row.bytes.count
                i += 1
            } else if c == 10 || c == 13 {
                if c == 13 {
                    if i + 1 >= end && !atEOF { return .needMore }
                    if i + 1 < end && p[i + 1] == 10 {
                        if keepCR { row.bytes.append(13) }
                        i += 1
                    }
                }
                row.finishField(quoted: fieldQuoted)
                return .record(end: i + 1, newlines: newlines + 1)
            } else if Int(c) == quote {
                if !fieldQuoted && isBlank(row.bytes, from: fieldStart) {
                    if row.bytes.count > fieldStart { row.bytes.removeSubrange(fieldStart...) }
                    inQuotes = true
                    fieldQuoted = true
                } else if !strict {
                    row.bytes.append(c)  // a stray quote inside an unquoted field is data, as in opencsv
                }
                i += 1
            } else {  // escape outside quotes
                if i + 1 >= end && !atEOF { return .needMore }
                if i + 1 < end && (Int(p[i + 1]) == quote || Int(p[i + 1]) == esc) {
                    if !strict { row.bytes.append(p[i + 1]) }
                    i += 2
                } else {
                    if !strict { row.bytes.append(c) }
                    i += 1
                }
            }
        }
        // Ran out of bytes inside the record.
        if !atEOF { return .needMore }
        if inQuotes {
            throw error("unterminated quoted field (the closing quote is missing before the end of the file)", line: row.line)
        }
        row.finishField(quoted: fieldQuoted)
        return .record(end: end, newlines: 0)
    }

    @inline(__always) private func isBlank(_ bytes: [UInt8], from: Int) -> Bool {
        if bytes.count == from { return true }
        guard options.ignoreLeadingWhitespace else { return false }
        for k in from..<bytes.count where bytes[k] != 32 && bytes[k] != 9 { return false }
        return true
    }
}
