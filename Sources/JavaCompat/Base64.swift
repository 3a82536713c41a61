/// Standard base64 (RFC 4648 alphabet, `=` padding): `java.util.Base64.getEncoder()` and Jackson's
/// `MIME_NO_LINEFEEDS` variant Kafka uses (padded, no line breaks). JsonConverter encodes every `bytes` and `Decimal`
/// value with it, Cast and FileStream print bytes with it; hand-written because Foundation's encoder would cost an
/// allocation and a `Data` round trip per field.
///
/// Decoding is a little more forgiving than Jackson (missing padding and whitespace between quads are accepted)
/// because rejecting them would lose data that is unambiguous.
public enum Base64 {
    @usableFromInline
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0...63 for alphabet bytes, 0xFE for `=`, 0xFD for whitespace, 0xFF otherwise.
    @usableFromInline
    static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        t[Int(UInt8(ascii: "="))] = 0xFE
        for c in [UInt8(ascii: " "), 0x0A, 0x0D, 0x09] { t[Int(c)] = 0xFD }
        return t
    }()

    public static func encodedCount(_ n: Int) -> Int { (n + 2) / 3 * 4 }

    /// Appends the base64 text of `input` to `out`.
    @inlinable
    public static func encode(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let n = input.count
        out.reserveCapacity(out.count + encodedCount(n))
        alphabet.withUnsafeBufferPointer { a in
            var i = 0
            while i + 3 <= n {
                let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                out.append(a[Int(v >> 18)])
                out.append(a[Int((v >> 12) & 0x3F)])
                out.append(a[Int((v >> 6) & 0x3F)])
                out.append(a[Int(v & 0x3F)])
                i += 3
            }
            let rest = n - i
            if rest == 1 {
                let v = UInt32(input[i]) << 16
                out.append(a[Int(v >> 18)])
                out.append(a[Int((v >> 12) & 0x3F)])
                out.append(UInt8(ascii: "="))
                out.append(UInt8(ascii: "="))
            } else if rest == 2 {
                let v = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                out.append(a[Int(v >> 18)])
                out.append(a[Int((v >> 12) & 0x3F)])
                out.append(a[Int((v >> 6) & 0x3F)])
                out.append(UInt8(ascii: "="))
            }
        }
    }

    @inlinable
    public static func encode(_ input: [UInt8], into out: inout [UInt8]) {
        input.withUnsafeBytes { encode($0, into: &out) }
    }

    /// The base64 text of `input`.
    public static func encodeToString(_ input: [UInt8]) -> String {
        var out: [UInt8] = []
        encode(input, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// What went wrong while decoding, for the caller's error message.
    public struct DecodeError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public init(message: String) { self.message = message }
        public var description: String { message }
    }

    /// Decodes base64 text. Whitespace is skipped; padding is optional; anything after padding must be padding.
    public static func decode(_ text: UnsafeBufferPointer<UInt8>) throws(DecodeError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3 + 2)
        try decode(text) { out.append($0) }
        return out
    }

    public static func decode(_ text: [UInt8]) throws(DecodeError) -> [UInt8] {
        let r: Result<[UInt8], DecodeError> = text.withUnsafeBufferPointer { buf in
            do throws(DecodeError) { return .success(try decode(buf)) } catch { return .failure(error) }
        }
        return try r.get()
    }

    /// Decodes base64 text, handing each byte to `emit` (lets Decimal decoding fill an Int64 without an array).
    @inlinable
    public static func decode(_ text: UnsafeBufferPointer<UInt8>, _ emit: (UInt8) -> Void) throws(DecodeError) {
        try decodeTable.withUnsafeBufferPointer { (table) throws(DecodeError) in
            var acc: UInt32 = 0
            var bits = 0
            var padding = 0
            var digits = 0
            for (i, c) in text.enumerated() {
                let d = table[Int(c)]
                if d < 64 {
                    if padding > 0 {
                        throw DecodeError(message: "unexpected base64 character after padding at offset \(i)")
                    }
                    acc = acc << 6 | UInt32(d)
                    bits += 6
                    digits += 1
                    if bits >= 8 {
                        bits -= 8
                        emit(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                        acc &= (1 << UInt32(bits)) - 1
                    }
                } else if d == 0xFE {
                    padding += 1
                } else if d == 0xFD {
                    continue
                } else {
                    let shown = c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
                    throw DecodeError(message: "illegal base64 character \(shown) at offset \(i)")
                }
            }
            if digits % 4 == 1 {
                throw DecodeError(message: "truncated base64 input (\(digits) characters)")
            }
            if padding > 0 && (digits + padding) % 4 != 0 {
                throw DecodeError(message: "wrong base64 padding")
            }
        }
    }
}
