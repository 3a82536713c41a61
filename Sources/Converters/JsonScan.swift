/// Finds where a JSON value ends without validating or decoding it.
///
/// The envelope's `schema` member is hundreds of bytes of the same text on every record; it only needs a full,
/// validating parse the first time. Scanning for its end (string- and bracket-aware) lets the converter look the
/// bytes up in the schema cache first: a hit means the bytes equal ones that already parsed, so they are valid.
enum JsonScan {
    /// The index just past the value starting at `start` (after whitespace), or nil if the input ends first.
    static func end(of b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        let n = b.count
        while i < n, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        guard i < n else { return nil }
        switch b[i] {
        case UInt8(ascii: "\""):
            return stringEnd(b, i + 1)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < n {
                switch b[i] {
                case UInt8(ascii: "\""):
                    guard let e = stringEnd(b, i + 1) else { return nil }
                    i = e
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default:
                    break
                }
                i += 1
            }
            return nil
        default:
            while i < n {
                switch b[i] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return i
                default: i += 1
                }
            }
            return i
        }
    }

    /// The index just past the closing quote of a string whose content starts at `from`.
    @inline(__always)
    static func stringEnd(_ b: UnsafeBufferPointer<UInt8>, _ from: Int) -> Int? {
        var i = from
        let n = b.count
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "\"") { return i + 1 }
            if c == UInt8(ascii: "\\") { i += 2 } else { i += 1 }
        }
        return nil
    }
}
