import JavaCompat
import SluiceAPI

/// A `java.text.SimpleDateFormat` pattern (as written in `parser.timestamp.date.formats`) compiled to a byte matcher.
///
/// Supported letters: `y` (year), `M` (month, numeric), `d`, `H`, `h` with `a`, `m`, `s`, `S` (fraction),
/// `X`/`Z`/`z`-style offsets (`Z`, `+HH`, `+HHmm`, `+HH:mm`); quoted text and other characters are literals.
/// Runs of one letter longer than one demand exactly that many digits, as the strict Java parser does.
public struct JavaDatePattern: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal(UInt8)
        case year(Int), month(Int), day(Int), hour(Int), hour12(Int), minute(Int), second(Int), fraction(Int)
        case amPm, zone
    }

    let text: String
    let tokens: [Token]

    public init(_ pattern: String) throws {
        text = pattern
        var out: [Token] = []
        let chars = Array(pattern.utf8)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == 39 {  // quoted literal, '' is a quote
                var j = i + 1
                if j < chars.count, chars[j] == 39 { out.append(.literal(39)); i += 2; continue }
                while j < chars.count, chars[j] != 39 { out.append(.literal(chars[j])); j += 1 }
                i = j + 1
                continue
            }
            var j = i
            while j < chars.count, chars[j] == c { j += 1 }
            let n = j - i
            switch c {
            case UInt8(ascii: "y"), UInt8(ascii: "u"): out.append(.year(n))
            case UInt8(ascii: "M"): guard n <= 2 else { throw Self.unsupported(pattern, "text months") }; out.append(.month(n))
            case UInt8(ascii: "d"): out.append(.day(n))
            case UInt8(ascii: "H"): out.append(.hour(n))
            case UInt8(ascii: "h"): out.append(.hour12(n))
            case UInt8(ascii: "m"): out.append(.minute(n))
            case UInt8(ascii: "s"): out.append(.second(n))
            case UInt8(ascii: "S"): out.append(.fraction(n))
            case UInt8(ascii: "a"): out.append(.amPm)
            case UInt8(ascii: "X"), UInt8(ascii: "Z"), UInt8(ascii: "x"), UInt8(ascii: "z"): out.append(.zone)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                throw Self.unsupported(pattern, "letter '\(Character(Unicode.Scalar(c)))'")
            default: for _ in 0..<n { out.append(.literal(c)) }
            }
            i = j
        }
        tokens = out
    }

    private static func unsupported(_ p: String, _ what: String) -> ConnectError {
        ConnectError.invalidConfig("parser.timestamp.date.formats", p, "unsupported pattern element: \(what)")
    }

    /// Local wall-clock millis (and the written offset, if any) or nil when `p` does not match completely.
    func parse(_ p: UnsafeBufferPointer<UInt8>) -> ISOTimestamp.Parsed? {
        var i = 0
        var y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0
        var pm: Bool?
        var offset: Int?
        func num(_ n: Int, max: Int) -> Int? {
            if n >= 2 {
                guard let v = CivilTime.digits(p, i, n) else { return nil }
                i += n
                return v
            }
            var v = 0
            var k = 0
            while i < p.count, k < max, p[i] &- 48 <= 9 { v = v * 10 + Int(p[i] - 48); i += 1; k += 1 }
            return k == 0 ? nil : v
        }
        for t in tokens {
            switch t {
            case .literal(let c): guard i < p.count, p[i] == c else { return nil }; i += 1
            case .year(let n): guard let v = num(n == 2 || n >= 4 ? n : 1, max: 9) else { return nil }; y = n == 2 ? 2000 + v : v
            case .month(let n): guard let v = num(n, max: 2) else { return nil }; mo = v
            case .day(let n): guard let v = num(n, max: 2) else { return nil }; d = v
            case .hour(let n): guard let v = num(n, max: 2), v < 24 else { return nil }; h = v
            case .hour12(let n): guard let v = num(n, max: 2), v >= 1, v <= 12 else { return nil }; h = v % 12
            case .minute(let n): guard let v = num(n, max: 2), v < 60 else { return nil }; mi = v
            case .second(let n): guard let v = num(n, max: 2), v < 60 else { return nil }; s = v
            case .fraction(let n):
                let start = i
                guard let v = num(n, max: 9) else { return nil }
                let len = i - start
                ms = len == 3 ? v : len < 3 ? v * [100, 10, 1][len - 1] : v / Int(pow10(len - 3))
            case .amPm:
                guard i + 1 < p.count, p[i + 1] | 0x20 == 109 else { return nil }
                switch p[i] | 0x20 {
                case 97: pm = false
                case 112: pm = true
                default: return nil
                }
                i += 2
            case .zone:
                var j = i
                while j < p.count, p[j] == 90 || p[j] == 43 || p[j] == 45 || p[j] == 58 || p[j] &- 48 <= 9 { j += 1 }
                guard j > i, let off = ISOTimestamp.offset(UnsafeBufferPointer(rebasing: p[..<j]), from: i) else { return nil }
                offset = off
                i = j
            }
        }
        guard i == p.count, CivilCalendar.isValidDate(y, mo, d) else { return nil }
        if pm == true { h += 12 }
        let local = (Int64(CivilCalendar.epochDays(year: y, month: mo, day: d)) * 86_400 + Int64(h * 3600 + mi * 60 + s)) * 1000
            + Int64(ms)
        return ISOTimestamp.Parsed(localMillis: local, offsetSeconds: offset)
    }

    private func pow10(_ n: Int) -> Int64 { var v: Int64 = 1; for _ in 0..<n { v *= 10 }; return v }
}
