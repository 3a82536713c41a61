/// A strict, allocation-light JSON reader over UTF-8 bytes.
///
/// Besides building `JSONValue` trees it exposes token-level reads (`readString`, `skipValue`, number spans) so
/// converters can decode a payload straight into Connect values and cache schemas by their raw bytes.
public struct JSONReader: ~Copyable {
    public let bytes: UnsafeBufferPointer<UInt8>
    public var pos: Int = 0
    /// Nesting limit so hostile input cannot exhaust the stack.
    public static let maxDepth = 512
    var depth = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses a complete document; trailing non-whitespace is an error.
    public static func parse(_ data: [UInt8]) throws(JSONError) -> JSONValue {
        let r: Result<JSONValue, JSONError> = data.withUnsafeBufferPointer { buf in
            var reader = JSONReader(buf)
            do throws(JSONError) {
                let v = try reader.readValue()
                try reader.expectEnd()
                return .success(v)
            } catch { return .failure(error) }
        }
        return try r.get()
    }

    public static func parse(_ text: String) throws(JSONError) -> JSONValue { try parse(Array(text.utf8)) }

    // MARK: tokens

    @inline(__always) public mutating func skipWhitespace() {
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { break }
        }
    }

    @inline(__always) public mutating func peek() -> UInt8? {
        skipWhitespace()
        return pos < bytes.count ? bytes[pos] : nil
    }

    public mutating func expect(_ c: UInt8) throws(JSONError) {
        guard peek() == c else { throw unexpected("'\(Character(Unicode.Scalar(c)))'") }
        pos += 1
    }

    /// Consumes `c` if it is next.
    @inline(__always) public mutating func consume(_ c: UInt8) -> Bool {
        if peek() == c { pos += 1; return true }
        return false
    }

    public mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if pos != bytes.count { throw unexpected("end of input") }
    }

    func unexpected(_ expected: String) -> JSONError {
        if pos >= bytes.count { return JSONError("Unexpected end of input, expected \(expected)", at: pos) }
        let c = bytes[pos]
        let shown = c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        return JSONError("Unexpected character \(shown), expected \(expected)", at: pos)
    }

    public mutating func readString() throws(JSONError) -> String {
        guard peek() == 0x22 else { throw unexpected("a string") }
        pos += 1
        let start = pos
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x22 {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
                pos += 1
                return s
            }
            if c == 0x5C { break }
            if c < 0x20 { throw JSONError("Illegal unquoted control character in string", at: pos) }
            pos += 1
        }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<pos]))
        while pos < bytes.count {
            let c = bytes[pos]
            if c == 0x22 { pos += 1; return String(decoding: out, as: UTF8.self) }
            if c < 0x20 { throw JSONError("Illegal unquoted control character in string", at: pos) }
            if c != 0x5C { out.append(c); pos += 1; continue }
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try readHex4()
                if scalar >= 0xD800 && scalar < 0xDC00, pos + 1 < bytes.count, bytes[pos] == 0x5C, bytes[pos + 1] == 0x75 {
                    pos += 2
                    let low = try readHex4()
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                }
                let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                pos -= 1
                throw JSONError("Unrecognized character escape", at: pos)
            }
        }
        throw JSONError("Unexpected end of input in a string", at: pos)
    }

    mutating func readHex4() throws(JSONError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw JSONError("Unexpected end of input in \\u escape", at: pos) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[pos]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw JSONError("Invalid hex digit in \\u escape", at: pos)
            }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    /// Reads a number token and returns its byte span and whether it is an integer (no fraction, no exponent).
    public mutating func readNumberSpan() throws(JSONError) -> (start: Int, end: Int, isInteger: Bool) {
        skipWhitespace()
        let start = pos
        var isInteger = true
        if pos < bytes.count && bytes[pos] == 0x2D { pos += 1 }
        let intStart = pos
        while pos < bytes.count && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 { pos += 1 }
        if pos == intStart { throw unexpected("a number") }
        if bytes[intStart] == 0x30 && pos - intStart > 1 { throw JSONError("Leading zeroes not allowed", at: intStart) }
        if pos < bytes.count && bytes[pos] == 0x2E {
            isInteger = false
            pos += 1
            let f = pos
            while pos < bytes.count && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 { pos += 1 }
            if pos == f { throw unexpected("a digit after the decimal point") }
        }
        if pos < bytes.count && (bytes[pos] == 0x65 || bytes[pos] == 0x45) {
            isInteger = false
            pos += 1
            if pos < bytes.count && (bytes[pos] == 0x2B || bytes[pos] == 0x2D) { pos += 1 }
            let e = pos
            while pos < bytes.count && bytes[pos] >= 0x30 && bytes[pos] <= 0x39 { pos += 1 }
            if pos == e { throw unexpected("an exponent digit") }
        }
        return (start, pos, isInteger)
    }

    /// Parses an integer span without allocating; nil on overflow.
    public func int64(from start: Int, to end: Int) -> Int64? {
        var i = start
        var neg = false
        if bytes[i] == 0x2D { neg = true; i += 1 }
        var v: Int64 = 0
        while i < end {
            let d = Int64(bytes[i] - 0x30)
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = neg ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return v
    }

    public func text(from start: Int, to end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    public mutating func readNumber() throws(JSONError) -> JSONValue {
        let (s, e, isInt) = try readNumberSpan()
        if isInt, let v = int64(from: s, to: e) { return .int(v) }
        return .double(Double(text(from: s, to: e)) ?? .nan)
    }

    mutating func readLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONError) -> JSONValue {
        let n = word.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw unexpected("'\(word)'") }
        let p = word.utf8Start
        for i in 0..<n where bytes[pos + i] != p[i] { throw unexpected("'\(word)'") }
        pos += n
        return value
    }

    public mutating func readValue() throws(JSONError) -> JSONValue {
        guard let c = peek() else { throw unexpected("a value") }
        switch c {
        case 0x7B:
            depth += 1
            defer { depth -= 1 }
            if depth > JSONReader.maxDepth { throw JSONError("Nesting too deep", at: pos) }
            pos += 1
            var obj = JSONObject()
            if consume(0x7D) { return .object(obj) }
            repeat {
                let k = try readString()
                try expect(0x3A)
                obj[k] = try readValue()
            } while consume(0x2C)
            try expect(0x7D)
            return .object(obj)
        case 0x5B:
            depth += 1
            defer { depth -= 1 }
            if depth > JSONReader.maxDepth { throw JSONError("Nesting too deep", at: pos) }
            pos += 1
            var arr: [JSONValue] = []
            if consume(0x5D) { return .array(arr) }
            repeat { arr.append(try readValue()) } while consume(0x2C)
            try expect(0x5D)
            return .array(arr)
        case 0x22: return .string(try readString())
        case 0x74: return try readLiteral("true", .bool(true))
        case 0x66: return try readLiteral("false", .bool(false))
        case 0x6E: return try readLiteral("null", .null)
        default: return try readNumber()
        }
    }

    /// Skips one value, validating its syntax, and returns its byte span.
    @discardableResult
    public mutating func skipValue() throws(JSONError) -> Range<Int> {
        guard let c = peek() else { throw unexpected("a value") }
        let start = pos
        switch c {
        case 0x7B, 0x5B:
            depth += 1
            defer { depth -= 1 }
            if depth > JSONReader.maxDepth { throw JSONError("Nesting too deep", at: pos) }
            pos += 1
            let close: UInt8 = c == 0x7B ? 0x7D : 0x5D
            if consume(close) { return start..<pos }
            repeat {
                if c == 0x7B {
                    _ = try readString()
                    try expect(0x3A)
                }
                try skipValue()
            } while consume(0x2C)
            try expect(close)
        case 0x22: _ = try readString()
        case 0x74: _ = try readLiteral("true", .null)
        case 0x66: _ = try readLiteral("false", .null)
        case 0x6E: _ = try readLiteral("null", .null)
        default: _ = try readNumberSpan()
        }
        return start..<pos
    }
}
