/// A bounds-checked big-endian cursor over one message. Every read checks the remaining length first, so a
/// truncated or garbage message becomes a `PgOutputError` instead of a trap.
struct ByteReader {
    let bytes: ArraySlice<UInt8>
    private(set) var position: Int
    /// What is being decoded, for error messages ("Relation", "XLogData"...).
    let context: String

    init(_ bytes: ArraySlice<UInt8>, context: String) {
        self.bytes = bytes
        self.position = bytes.startIndex
        self.context = context
    }

    init(_ bytes: [UInt8], context: String) { self.init(bytes[...], context: context) }

    /// Offset from the start of the message.
    var offset: Int { position - bytes.startIndex }
    var remaining: Int { bytes.endIndex - position }
    var isAtEnd: Bool { position >= bytes.endIndex }

    func error(_ code: PgOutputError.Code, _ what: String) -> PgOutputError {
        PgOutputError(code, "\(context): \(what)", offset: offset)
    }

    private mutating func need(_ n: Int, _ what: @autoclosure () -> String) throws {
        if n < 0 || remaining < n {
            throw error(.truncated, "needs \(n) bytes for \(what()) but only \(remaining) remain")
        }
    }

    mutating func uint8(_ what: @autoclosure () -> String) throws -> UInt8 {
        try need(1, what())
        defer { position += 1 }
        return bytes[position]
    }

    mutating func int16(_ what: @autoclosure () -> String) throws -> Int16 {
        try need(2, what())
        var v: UInt16 = 0
        for i in 0..<2 { v = v << 8 | UInt16(bytes[position + i]) }
        position += 2
        return Int16(bitPattern: v)
    }

    mutating func int32(_ what: @autoclosure () -> String) throws -> Int32 {
        try need(4, what())
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(bytes[position + i]) }
        position += 4
        return Int32(bitPattern: v)
    }

    mutating func uint32(_ what: @autoclosure () -> String) throws -> UInt32 { UInt32(bitPattern: try int32(what())) }

    mutating func int64(_ what: @autoclosure () -> String) throws -> Int64 {
        try need(8, what())
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(bytes[position + i]) }
        position += 8
        return Int64(bitPattern: v)
    }

    mutating func uint64(_ what: @autoclosure () -> String) throws -> UInt64 { UInt64(bitPattern: try int64(what())) }

    /// A NUL-terminated UTF-8 string.
    mutating func cString(_ what: @autoclosure () -> String) throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0) else {
            throw error(.invalidString, "\(what()) is not NUL-terminated")
        }
        guard let s = String(validating: bytes[position..<end], as: UTF8.self) else {
            throw error(.invalidString, "\(what()) is not valid UTF-8")
        }
        position = end + 1
        return s
    }

    mutating func bytes(_ count: Int, _ what: @autoclosure () -> String) throws -> [UInt8] {
        if count < 0 { throw error(.invalidLength, "negative length \(count) for \(what())") }
        try need(count, what())
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// Everything left.
    mutating func rest() -> [UInt8] {
        defer { position = bytes.endIndex }
        return Array(bytes[position...])
    }

    /// Throws when bytes remain: each decoder must consume exactly the message it was given.
    func expectEnd() throws {
        if !isAtEnd { throw error(.trailingBytes, "\(remaining) unexpected bytes after the message") }
    }
}
