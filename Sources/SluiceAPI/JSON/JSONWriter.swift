/// Writes compact JSON the way Jackson does for Kafka Connect: no spaces, `\uXXXX` for control characters,
/// doubles in Java's `Double.toString` form (`1.0`, `1.0E7`, `1.0E-4`).
public struct JSONWriter: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always) public mutating func raw(_ c: UInt8) { bytes.append(c) }
    @inline(__always) public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func null() { raw("null") }
    public mutating func bool(_ b: Bool) { if b { raw("true") } else { raw("false") } }

    public mutating func int(_ v: Int64) {
        if v >= 0 && v < 10 { bytes.append(UInt8(48 + v)); return }
        var x = v.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            repeat {
                buf[19 - n] = UInt8(48 + x % 10)
                x /= 10
                n += 1
            } while x > 0
            if v < 0 { bytes.append(0x2D) }
            bytes.append(contentsOf: buf[(20 - n)...])
        }
    }

    /// NaN and ±Infinity are written quoted, as Jackson does by default (`QUOTE_NON_NUMERIC_NUMBERS`): bare they would
    /// not be JSON (found by fuzzing: `1e350437` read as Infinity was written back unreadable).
    public mutating func double(_ d: Double) {
        if !d.isFinite { string(JSONWriter.javaDouble(d)); return }
        bytes.append(contentsOf: JSONWriter.javaDouble(d).utf8)
    }

    public mutating func float(_ f: Float) {
        if !f.isFinite { string(JSONWriter.javaFloat(f)); return }
        bytes.append(contentsOf: JSONWriter.javaFloat(f).utf8)
    }

    /// Writes a JSON string as Jackson (Kafka's JSON library) does: `"`, `\\` and control characters escaped (short
    /// forms where JSON has them, else `\u00XX`), and characters outside the Basic Multilingual Plane as a UTF-16
    /// surrogate pair of `\uXXXX` escapes (`🎉` → `\uD83C\uDF89`), so the bytes match Kafka's.
    public mutating func string(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            var i = 0
            let n = utf8.count
            while i < n {
                let c = utf8[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C && c < 0xF0 { i += 1; continue }
                if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                if c >= 0xF0 && i + 3 < n {
                    // Four-byte UTF-8 (Swift strings are valid UTF-8): U+10000...U+10FFFF.
                    let scalar = (UInt32(c & 0x07) << 18) | (UInt32(utf8[i + 1] & 0x3F) << 12) | (UInt32(utf8[i + 2] & 0x3F) << 6) | UInt32(utf8[i + 3] & 0x3F)
                    let v = scalar - 0x10000
                    hex4(0xD800 + UInt16(v >> 10))
                    hex4(0xDC00 + UInt16(v & 0x3FF))
                    i += 4
                    runStart = i
                    continue
                }
                i += 1
                runStart = i
                switch c {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                default: hex4(UInt16(c))
                }
            }
            if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(0x22)
    }

    /// `\uXXXX` with upper-case hex digits, as Jackson writes it.
    private mutating func hex4(_ u: UInt16) {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        raw("\\u")
        bytes.append(hex[Int(u >> 12)])
        bytes.append(hex[Int((u >> 8) & 0xF)])
        bytes.append(hex[Int((u >> 4) & 0xF)])
        bytes.append(hex[Int(u & 0xF)])
    }

    public mutating func write(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let a):
            raw(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { raw(UInt8(ascii: ",")) }
                write(e)
            }
            raw(UInt8(ascii: "]"))
        case .object(let o):
            raw(UInt8(ascii: "{"))
            for (i, m) in o.members.enumerated() {
                if i > 0 { raw(UInt8(ascii: ",")) }
                string(m.key)
                raw(UInt8(ascii: ":"))
                write(m.value)
            }
            raw(UInt8(ascii: "}"))
        }
    }

    /// Java's `Double.toString`: shortest round-trip digits, plain between 10^-3 and 10^7, else `d.dddE±n`.
    public static func javaDouble(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        return javaFormat(shortest: "\(d)")
    }

    /// Java's `Float.toString`.
    public static func javaFloat(_ f: Float) -> String {
        if f.isNaN { return "NaN" }
        if f.isInfinite { return f < 0 ? "-Infinity" : "Infinity" }
        if f == 0 { return f.sign == .minus ? "-0.0" : "0.0" }
        return javaFormat(shortest: "\(f)")
    }

    /// Re-lays Swift's shortest representation (`1e-05`, `123.45`, `1e+20`) in Java's layout.
    static func javaFormat(shortest text: String) -> String {
        var s = Substring(text)
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() }
        var exp = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exp = Int(s[s.index(after: e)...]) ?? 0
            s = s[..<e]
        }
        var digits = ""
        var pointPos = 0
        if let dot = s.firstIndex(of: ".") {
            digits = String(s[..<dot]) + String(s[s.index(after: dot)...])
            pointPos = s.distance(from: s.startIndex, to: dot)
        } else {
            digits = String(s)
            pointPos = s.count
        }
        // Normalise: strip leading zeros, tracking the decimal exponent of the first significant digit.
        var lead = 0
        for ch in digits { if ch == "0" { lead += 1 } else { break } }
        digits.removeFirst(lead)
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.isEmpty { return negative ? "-0.0" : "0.0" }
        let sciExp = pointPos - lead - 1 + exp  // value = 0.d1d2... × 10^(sciExp+1)
        var out = negative ? "-" : ""
        if sciExp >= -3 && sciExp < 7 {
            if sciExp >= 0 {
                let intCount = sciExp + 1
                if digits.count <= intCount {
                    out += digits + String(repeating: "0", count: intCount - digits.count) + ".0"
                } else {
                    let i = digits.index(digits.startIndex, offsetBy: intCount)
                    out += digits[..<i] + "." + digits[i...]
                }
            } else {
                out += "0." + String(repeating: "0", count: -sciExp - 1) + digits
            }
        } else {
            let first = digits.prefix(1)
            let rest = digits.dropFirst()
            out += first + "." + (rest.isEmpty ? "0" : rest) + "E" + String(sciExp)
        }
        return out
    }
}
