import SluiceAPI

extension ConnectDecimal {
    /// The text Java's `BigDecimal.toString()` gives: plain notation while the exponent is small, otherwise
    /// scientific (`1E+3`, `1.5E-9`). Jackson writes NUMERIC decimals and Connect formats decimal headers this way,
    /// so byte compatibility depends on matching it, not on `toPlainString`.
    public var javaString: String {
        var out: [UInt8] = []
        writeJava(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `javaString` to `out` without intermediate strings for values that fit in 64 bits.
    public func writeJava(into out: inout [UInt8]) {
        if let v = unscaledInt64 {
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch: Int64 has at most 19 digits
            withUnsafeMutableBytes(of: &digits) { raw in
                var x = v.magnitude
                var n = 0
                repeat {
                    raw[23 - n] = UInt8(48 + x % 10)
                    x /= 10
                    n += 1
                } while x > 0
                let buf = UnsafeBufferPointer(rebasing: raw.bindMemory(to: UInt8.self)[(24 - n)...])
                ConnectDecimal.layout(negative: v < 0, digits: buf, scale: Int(scale), into: &out)
            }
            return
        }
        var text = Array(unscaledString.utf8)
        var negative = false
        if text.first == UInt8(ascii: "-") {
            negative = true
            text.removeFirst()
        }
        text.withUnsafeBufferPointer { ConnectDecimal.layout(negative: negative, digits: $0, scale: Int(scale), into: &out) }
    }

    static func layout(negative: Bool, digits: UnsafeBufferPointer<UInt8>, scale: Int, into out: inout [UInt8]) {
        if negative { out.append(UInt8(ascii: "-")) }
        let count = digits.count
        let adjusted = -scale + (count - 1)
        if scale == 0 {
            out.append(contentsOf: digits)
        } else if scale > 0 && adjusted >= -6 {
            let intCount = count - scale
            if intCount > 0 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[..<intCount]))
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[intCount...]))
            } else {
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "."))
                for _ in 0..<(-intCount) { out.append(UInt8(ascii: "0")) }
                out.append(contentsOf: digits)
            }
        } else {
            out.append(digits[0])
            if count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[1...]))
            }
            if adjusted != 0 {
                out.append(UInt8(ascii: "E"))
                if adjusted > 0 { out.append(UInt8(ascii: "+")) }
                out.append(contentsOf: String(adjusted).utf8)
            }
        }
    }
}
