/// An exact decimal number: an unscaled integer of any size and a scale (value = unscaled × 10^-scale), like Java's
/// `BigDecimal` as Kafka Connect uses it for the `Decimal` logical type.
///
/// Values that fit in 64 bits (nearly all real ones) are stored inline without allocation; larger ones fall back to
/// base-2^32 magnitude limbs.
public struct ConnectDecimal: Sendable, Hashable, CustomStringConvertible {
    enum Storage: Sendable, Hashable {
        case small(Int64)
        case big(negative: Bool, magnitude: [UInt32])  // little-endian limbs, no leading zero limbs
    }

    let storage: Storage
    public let scale: Int32

    public init(unscaled: Int64, scale: Int32) {
        self.storage = .small(unscaled)
        self.scale = scale
    }

    init(negative: Bool, magnitude: [UInt32], scale: Int32) {
        var m = magnitude
        while let last = m.last, last == 0 { m.removeLast() }
        self.scale = scale
        if m.count <= 2 {
            let u = m.count == 0 ? UInt64(0) : (m.count == 1 ? UInt64(m[0]) : UInt64(m[0]) | UInt64(m[1]) << 32)
            if !negative, u <= UInt64(Int64.max) {
                self.storage = .small(Int64(u)); return
            }
            if negative, u <= UInt64(Int64.max) + 1 {
                self.storage = .small(u == UInt64(Int64.max) + 1 ? Int64.min : -Int64(u)); return
            }
        }
        self.storage = .big(negative: negative && !m.isEmpty, magnitude: m)
    }

    /// Parses plain (`-12.340`) or exponent (`1.5E+3`) notation. The scale is the number of fraction digits
    /// (minus the exponent), exactly as `new BigDecimal(String)` does.
    public init?(_ text: String) {
        var utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { return nil }
        var exponent = 0
        if let e = utf8.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let exp = Int(String(decoding: utf8[(e + 1)...], as: UTF8.self)) else { return nil }
            exponent = exp
            utf8 = Array(utf8[..<e])
        }
        var negative = false
        var i = 0
        if utf8[0] == UInt8(ascii: "-") || utf8[0] == UInt8(ascii: "+") {
            negative = utf8[0] == UInt8(ascii: "-")
            i = 1
        }
        var magnitude: [UInt32] = []
        var small: UInt64 = 0
        var useSmall = true
        var fractionDigits = 0
        var seenDot = false
        var digits = 0
        while i < utf8.count {
            let c = utf8[i]
            if c == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
            } else if c >= 48 && c <= 57 {
                let d = UInt64(c - 48)
                digits += 1
                if seenDot { fractionDigits += 1 }
                if useSmall {
                    let (m, o1) = small.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(d)
                    if o1 || o2 {
                        useSmall = false
                        magnitude = ConnectDecimal.limbs(small)
                        ConnectDecimal.mulAdd(&magnitude, 10, UInt32(d))
                    } else {
                        small = s
                    }
                } else {
                    ConnectDecimal.mulAdd(&magnitude, 10, UInt32(d))
                }
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let sc = fractionDigits - exponent
        guard sc >= Int(Int32.min), sc <= Int(Int32.max) else { return nil }
        self.init(negative: negative, magnitude: useSmall ? ConnectDecimal.limbs(small) : magnitude, scale: Int32(sc))
    }

    /// Decodes the unscaled value from big-endian two's-complement bytes (`BigInteger.toByteArray()`).
    public init(twosComplement bytes: [UInt8], scale: Int32) {
        if bytes.isEmpty { self.init(unscaled: 0, scale: scale); return }
        if bytes.count <= 8 {
            var v: Int64 = (bytes[0] & 0x80) != 0 ? -1 : 0
            for b in bytes { v = (v << 8) | Int64(b) }
            self.init(unscaled: v, scale: scale)
            return
        }
        let negative = (bytes[0] & 0x80) != 0
        var mag = bytes
        if negative {  // magnitude = ~bytes + 1
            for i in mag.indices { mag[i] = ~mag[i] }
            var carry = true
            var i = mag.count - 1
            while carry && i >= 0 {
                let (s, o) = mag[i].addingReportingOverflow(1)
                mag[i] = s
                carry = o
                i -= 1
            }
        }
        var limbs: [UInt32] = []
        var idx = mag.count
        while idx > 0 {
            let start = max(0, idx - 4)
            var limb: UInt32 = 0
            for j in start..<idx { limb = (limb << 8) | UInt32(mag[j]) }
            limbs.append(limb)
            idx = start
        }
        self.init(negative: negative, magnitude: limbs, scale: scale)
    }

    /// The unscaled value if it fits in Int64.
    public var unscaledInt64: Int64? {
        if case .small(let v) = storage { return v }
        return nil
    }

    public var isNegative: Bool {
        switch storage {
        case .small(let v): return v < 0
        case .big(let n, _): return n
        }
    }

    /// The unscaled value as minimal big-endian two's-complement bytes, as Kafka's Decimal.fromLogical writes them.
    public var twosComplementBytes: [UInt8] {
        switch storage {
        case .small(let v):
            var out: [UInt8] = []
            var x = v
            repeat {
                out.append(UInt8(truncatingIfNeeded: x))
                x >>= 8
            } while !(x == 0 && (out.last! & 0x80) == 0) && !(x == -1 && (out.last! & 0x80) != 0)
            return out.reversed()
        case .big(let negative, let magnitude):
            var be: [UInt8] = []
            for limb in magnitude.reversed() {
                be.append(UInt8(truncatingIfNeeded: limb >> 24))
                be.append(UInt8(truncatingIfNeeded: limb >> 16))
                be.append(UInt8(truncatingIfNeeded: limb >> 8))
                be.append(UInt8(truncatingIfNeeded: limb))
            }
            while be.count > 1 && be[0] == 0 { be.removeFirst() }
            be.insert(0, at: 0)  // room for the sign bit
            if negative {
                for i in be.indices { be[i] = ~be[i] }
                var i = be.count - 1
                var carry = true
                while carry && i >= 0 {
                    let (s, o) = be[i].addingReportingOverflow(1)
                    be[i] = s
                    carry = o
                    i -= 1
                }
                while be.count > 1 && be[0] == 0xFF && (be[1] & 0x80) != 0 { be.removeFirst() }
            } else {
                while be.count > 1 && be[0] == 0 && (be[1] & 0x80) == 0 { be.removeFirst() }
            }
            return be
        }
    }

    /// The unscaled value in decimal digits, with a leading "-" when negative.
    public var unscaledString: String {
        switch storage {
        case .small(let v): return String(v)
        case .big(let negative, let magnitude):
            var m = magnitude
            var chunks: [UInt32] = []
            while !m.isEmpty { chunks.append(ConnectDecimal.divMod(&m, 1_000_000_000)) }
            var s = negative ? "-" : ""
            s += String(chunks.last ?? 0)
            for c in chunks.dropLast().reversed() {
                let t = String(c)
                s += String(repeating: "0", count: 9 - t.count) + t
            }
            return s
        }
    }

    /// Plain notation (`BigDecimal.toPlainString()`): no exponent, `scale` fraction digits.
    public var description: String {
        var digits = unscaledString
        var negative = false
        if digits.hasPrefix("-") { negative = true; digits.removeFirst() }
        if scale <= 0 {
            if digits == "0" { return "0" }
            return (negative ? "-" : "") + digits + String(repeating: "0", count: Int(-scale))
        }
        let sc = Int(scale)
        if digits.count <= sc { digits = String(repeating: "0", count: sc - digits.count + 1) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -sc)
        return (negative ? "-" : "") + digits[..<split] + "." + digits[split...]
    }

    public var doubleValue: Double { Double(description) ?? .nan }

    /// The same number with another scale, or nil if that would drop non-zero digits.
    public func rescaled(to newScale: Int32) -> ConnectDecimal? {
        if newScale == scale { return self }
        if newScale > scale {
            let diff = Int(newScale - scale)
            if case .small(let v) = storage, diff < 19 {
                var p: Int64 = 1
                for _ in 0..<diff { p *= 10 }
                let (r, o) = v.multipliedReportingOverflow(by: p)
                if !o { return ConnectDecimal(unscaled: r, scale: newScale) }
            }
            var s = unscaledString
            s += String(repeating: "0", count: diff)
            return ConnectDecimal(s).map { ConnectDecimal(storage: $0.storage, scale: newScale) }
        }
        let diff = Int(scale - newScale)
        var s = unscaledString
        let neg = s.hasPrefix("-")
        if neg { s.removeFirst() }
        if s.count <= diff {
            return s.allSatisfy({ $0 == "0" }) ? ConnectDecimal(unscaled: 0, scale: newScale) : nil
        }
        let cut = s.index(s.endIndex, offsetBy: -diff)
        guard s[cut...].allSatisfy({ $0 == "0" }) else { return nil }
        return ConnectDecimal((neg ? "-" : "") + s[..<cut]).map { ConnectDecimal(storage: $0.storage, scale: newScale) }
    }

    init(storage: Storage, scale: Int32) {
        self.storage = storage
        self.scale = scale
    }

    // MARK: limb arithmetic

    static func limbs(_ v: UInt64) -> [UInt32] {
        if v == 0 { return [] }
        if v >> 32 == 0 { return [UInt32(v)] }
        return [UInt32(truncatingIfNeeded: v), UInt32(v >> 32)]
    }

    static func mulAdd(_ m: inout [UInt32], _ mul: UInt32, _ add: UInt32) {
        var carry = UInt64(add)
        for i in m.indices {
            let p = UInt64(m[i]) * UInt64(mul) + carry
            m[i] = UInt32(truncatingIfNeeded: p)
            carry = p >> 32
        }
        if carry != 0 { m.append(UInt32(carry)) }
    }

    static func divMod(_ m: inout [UInt32], _ d: UInt32) -> UInt32 {
        var rem: UInt64 = 0
        for i in m.indices.reversed() {
            let cur = (rem << 32) | UInt64(m[i])
            m[i] = UInt32(cur / UInt64(d))
            rem = cur % UInt64(d)
        }
        while let last = m.last, last == 0 { m.removeLast() }
        return UInt32(rem)
    }
}
