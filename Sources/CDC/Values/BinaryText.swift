import SluiceAPI

/// bytea and bit-string text forms.
enum BinaryText {
    /// bytea output (`\x0a0b` hex, or the legacy escape format) → bytes, then `binary.handling.mode`.
    static func convert(_ text: String, mode: ValueConverterOptions.BinaryMode) -> Value {
        encode(decodeBytea(text), mode: mode)
    }

    /// Bytes as `binary.handling.mode` wants them.
    static func encode(_ data: [UInt8], mode: ValueConverterOptions.BinaryMode) -> Value {
        switch mode {
        case .bytes: return .bytes(data)
        case .base64: return .string(base64(data, urlSafe: false))
        case .base64UrlSafe: return .string(base64(data, urlSafe: true))
        case .hex: return .string(data.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        }
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    static func decodeBytea(_ text: String) -> [UInt8] {
        let u = Array(text.utf8)
        if u.count >= 2, u[0] == UInt8(ascii: "\\"), u[1] == UInt8(ascii: "x") {
            var out: [UInt8] = []
            out.reserveCapacity((u.count - 2) / 2)
            var i = 2
            while i + 1 < u.count {
                if let h = hexValue(u[i]), let l = hexValue(u[i + 1]) { out.append(h << 4 | l) }
                i += 2
            }
            return out
        }
        // Escape format: `\\` and `\ooo` octal.
        var out: [UInt8] = []
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "\\"), i + 1 < u.count {
                if u[i + 1] == UInt8(ascii: "\\") { out.append(0x5C); i += 2; continue }
                if i + 3 < u.count {
                    let o = u[(i + 1)...(i + 3)]
                    if o.allSatisfy({ $0 >= 48 && $0 <= 55 }) {
                        out.append(UInt8(truncatingIfNeeded: o.reduce(0) { ($0 << 3) | Int($1 - 48) }))
                        i += 4
                        continue
                    }
                }
            }
            out.append(u[i])
            i += 1
        }
        return out
    }

    static func base64(_ data: [UInt8], urlSafe: Bool) -> String {
        let table = Array((urlSafe
            ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").utf8)
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            let b0 = data[i], b1 = i + 1 < data.count ? data[i + 1] : 0, b2 = i + 2 < data.count ? data[i + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < data.count ? table[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < data.count ? table[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A bit string (`10110`) as Debezium's `Bits`: `BitSet.toByteArray()` where the rightmost character is bit 0,
    /// little-endian bytes, trailing zero bytes dropped.
    static func bits(_ text: String) -> [UInt8] {
        let chars = Array(text.utf8)
        var out = [UInt8](repeating: 0, count: (chars.count + 7) / 8)
        for (pos, c) in chars.reversed().enumerated() where c == UInt8(ascii: "1") {
            out[pos / 8] |= 1 << UInt8(pos % 8)
        }
        while let last = out.last, last == 0 { out.removeLast() }
        return out
    }
}
