import JavaCompat
import SluiceAPI

extension JsonPayloadDecoder {
    /// An integer the way Jackson's `longValue()` gives it: integers exactly (wrapping past 64 bits, as
    /// `BigInteger.longValue()` does), fractions truncated toward zero.
    static func readInt64(_ r: inout JSONReader) throws -> Int64 {
        let (s, e, isInt) = try r.readNumberSpan()
        if isInt { return r.int64(from: s, to: e) ?? wrappingInt64(r, s, e) }
        let d = Double(r.text(from: s, to: e)) ?? 0
        if d.isNaN { return 0 }
        if d >= 9.223372036854775807e18 { return .max }
        if d <= -9.223372036854775808e18 { return .min }
        return Int64(d)
    }

    /// The low 64 bits of an integer literal too large for Int64.
    static func wrappingInt64(_ r: borrowing JSONReader, _ s: Int, _ e: Int) -> Int64 {
        var i = s
        let negative = r.bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var v: UInt64 = 0
        while i < e {
            v = v &* 10 &+ UInt64(r.bytes[i] &- 0x30)
            i += 1
        }
        let signed = Int64(bitPattern: v)
        return negative ? 0 &- signed : signed
    }

    /// The span of the key string at the reader if it has no escapes (positions the reader after the closing quote),
    /// or nil with the reader unmoved so the caller can decode it with `readString`.
    @inline(__always)
    static func rawKey(_ r: inout JSONReader) throws -> (Int, Int)? {
        guard r.peek() == UInt8(ascii: "\"") else {
            _ = try r.readString()  // throws the reader's "expected a string" error
            return nil
        }
        let start = r.pos + 1
        var i = start
        let b = r.bytes
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                r.pos = i + 1
                return (start, i)
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// Calls `body` with the bytes of the string at the reader: in place when it has no escapes, decoded otherwise.
    static func withRawString<T>(_ r: inout JSONReader, _ body: (UnsafeBufferPointer<UInt8>) throws(Base64.DecodeError) -> T) throws -> T {
        if let (s, e) = try rawKey(&r) {
            return try body(UnsafeBufferPointer(rebasing: r.bytes[s..<e]))
        }
        let text = try r.readString()
        return try Array(text.utf8).withUnsafeBufferPointer { (buf) throws(Base64.DecodeError) -> T in try body(buf) }
    }

    static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

    /// The classic exact fast path: a literal without exponent whose digits fit in 2^53 and whose fraction has at
    /// most 22 digits is `m / 10^k` with both operands exact, so one IEEE division rounds correctly. Anything else
    /// returns nil for the general parser.
    @inline(__always)
    static func exactDouble(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Double? {
        var i = s
        let negative = b[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var m: UInt64 = 0
        var fraction = -1
        while i < e {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                m = m &* 10 &+ UInt64(c &- 0x30)
                if m >= 1 << 53 { return nil }
                if fraction >= 0 { fraction += 1 }
            } else if c == UInt8(ascii: ".") {
                fraction = 0
            } else {
                return nil
            }
            i += 1
        }
        let k = max(fraction, 0)
        guard k <= 22 else { return nil }
        let v = Double(m) / powersOfTen[k]
        return negative ? -v : v
    }

    /// A decimal literal with at most 18 digits and no exponent, parsed without allocating; the scale is the number
    /// of fraction digits, as `new BigDecimal(text)` gives it.
    static func smallDecimal(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> ConnectDecimal? {
        var i = s
        var negative = false
        if b[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var v: Int64 = 0
        var digits = 0
        var scale: Int32 = 0
        var seenDot = false
        while i < e {
            let c = b[i]
            if c == UInt8(ascii: ".") {
                seenDot = true
            } else if c >= 0x30 && c <= 0x39 {
                if digits == 18 { return nil }  // a 19th digit could overflow Int64
                v = v * 10 + Int64(c - 0x30)
                digits += 1
                if seenDot { scale += 1 }
            } else {
                return nil  // exponent: let the general parser handle it
            }
            i += 1
        }
        return ConnectDecimal(unscaled: negative ? -v : v, scale: scale)
    }
}

/// Reads JSON without a schema, inferring Connect types as Kafka does: integers → INT64, other numbers → FLOAT64,
/// objects → MAP with string keys, arrays → ARRAY, strings, booleans, null.
enum JsonSchemalessDecoder {
    static func read(_ r: inout JSONReader, depth: Int = 0) throws -> Value {
        guard depth < JsonPayloadDecoder.maxDepth else { throw JSONError("Nesting too deep", at: r.pos) }
        guard let c = r.peek() else { _ = try r.skipValue(); return .null }
        switch c {
        case UInt8(ascii: "{"):
            r.pos += 1
            var entries: [MapEntry] = []
            if r.consume(UInt8(ascii: "}")) { return .map(entries) }
            repeat {
                let k = try r.readString()
                try r.expect(UInt8(ascii: ":"))
                entries.append(MapEntry(.string(k), try read(&r, depth: depth + 1)))
            } while r.consume(UInt8(ascii: ","))
            try r.expect(UInt8(ascii: "}"))
            return .map(entries)
        case UInt8(ascii: "["):
            r.pos += 1
            var items: [Value] = []
            if r.consume(UInt8(ascii: "]")) { return .array(items) }
            repeat { items.append(try read(&r, depth: depth + 1)) } while r.consume(UInt8(ascii: ","))
            try r.expect(UInt8(ascii: "]"))
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try r.readString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            try r.skipValue()
            return .boolean(c == UInt8(ascii: "t"))
        case UInt8(ascii: "n"):
            try r.skipValue()
            return .null
        default:
            let (s, e, isInt) = try r.readNumberSpan()
            if isInt { return .int64(r.int64(from: s, to: e) ?? JsonPayloadDecoder.wrappingInt64(r, s, e)) }
            return .float64(Double(r.text(from: s, to: e)) ?? .nan)
        }
    }
}
