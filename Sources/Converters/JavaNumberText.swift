import SluiceAPI

/// Java's `Double.toString` / `Float.toString` layout written straight into a byte buffer.
///
/// Same rules as `JSONWriter.javaDouble` (shortest round-trip digits; plain notation for 10^-3 ≤ |x| < 10^7, else
/// `d.dddE±n`), but re-laid from Swift's shortest digits in a stack buffer instead of through intermediate Strings:
/// a double field otherwise costs more than the rest of a record.
enum JavaNumberText {
    static func appendDouble(_ d: Double, into out: inout [UInt8]) {
        if !d.isFinite || d == 0 {
            out.append(contentsOf: JSONWriter.javaDouble(d).utf8)
            return
        }
        var text = d.description
        text.withUTF8 { layout($0, into: &out) }
    }

    static func appendFloat(_ f: Float, into out: inout [UInt8]) {
        if !f.isFinite || f == 0 {
            out.append(contentsOf: JSONWriter.javaFloat(f).utf8)
            return
        }
        var text = f.description
        text.withUTF8 { layout($0, into: &out) }
    }

    /// Re-lays Swift's `description` (`-1.5e-05`, `123.25`, `1e+20`) in Java's form.
    static func layout(_ u: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var buf: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // 40 digit bytes
        withUnsafeMutableBytes(of: &buf) { digits in
            var n = 0
            var intLen = -1
            var exp = 0
            var negative = false
            var i = 0
            if i < u.count, u[i] == UInt8(ascii: "-") {
                negative = true
                i += 1
            }
            while i < u.count {
                let c = u[i]
                if c >= 0x30 && c <= 0x39 {
                    guard n < 40 else { return fallback(u, into: &out) }
                    digits[n] = c
                    n += 1
                } else if c == UInt8(ascii: ".") {
                    intLen = n
                } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                    var j = i + 1
                    var expNeg = false
                    if j < u.count, u[j] == UInt8(ascii: "-") || u[j] == UInt8(ascii: "+") {
                        expNeg = u[j] == UInt8(ascii: "-")
                        j += 1
                    }
                    while j < u.count {
                        exp = exp * 10 + Int(u[j] &- 0x30)
                        j += 1
                    }
                    if expNeg { exp = -exp }
                    break
                } else {
                    return fallback(u, into: &out)
                }
                i += 1
            }
            if intLen < 0 { intLen = n }
            var first = 0
            while first < n, digits[first] == 0x30 {
                first += 1
                intLen -= 1
            }
            var last = n
            while last > first, digits[last - 1] == 0x30 { last -= 1 }
            guard last > first else { return fallback(u, into: &out) }
            let sig = last - first
            let sciExp = intLen + exp - 1
            if negative { out.append(UInt8(ascii: "-")) }
            if sciExp >= -3 && sciExp < 7 {
                if sciExp >= 0 {
                    let intCount = sciExp + 1
                    for k in 0..<intCount { out.append(k < sig ? digits[first + k] : 0x30) }
                    out.append(UInt8(ascii: "."))
                    if sig > intCount {
                        for k in intCount..<sig { out.append(digits[first + k]) }
                    } else {
                        out.append(0x30)
                    }
                } else {
                    out.append(0x30)
                    out.append(UInt8(ascii: "."))
                    for _ in 0..<(-sciExp - 1) { out.append(0x30) }
                    for k in 0..<sig { out.append(digits[first + k]) }
                }
            } else {
                out.append(digits[first])
                out.append(UInt8(ascii: "."))
                if sig > 1 {
                    for k in 1..<sig { out.append(digits[first + k]) }
                } else {
                    out.append(0x30)
                }
                out.append(UInt8(ascii: "E"))
                if sciExp < 0 { out.append(UInt8(ascii: "-")) }
                var e = sciExp.magnitude
                var tmp: [UInt8] = []
                repeat {
                    tmp.append(UInt8(48 + e % 10))
                    e /= 10
                } while e > 0
                out.append(contentsOf: tmp.reversed())
            }
        }
    }

    static func fallback(_ u: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(contentsOf: JSONWriter.javaDouble(Double(String(decoding: u, as: UTF8.self)) ?? .nan).utf8)
    }
}
