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

    public mutating func double(_ d: Double) {
        bytes.append(contentsOf: JSONWriter.javaDouble(d).utf8)
    }

    public mutating func float(_ f: Float) {
        bytes.append(contentsOf: JSONWriter.javaFloat(f).utf8)
    }

    public mutating func string(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let c = utf8[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C { continue }
                if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                switch c {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                default:
                    raw("\\u00")
                    let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
                    bytes.append(hex[Int(c >> 4)])
                    bytes.append(hex[Int(c & 0xF)])
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(0x22)
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
