#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JavaCompat
import SluiceAPI

/// A `java.text.SimpleDateFormat` pattern compiled once, formatting and parsing epoch milliseconds in UTC.
///
/// TimestampConverter and TimestampRouter take patterns users copied from Java configs (`yyyy-MM-dd'T'HH:mm:ss.SSSZ`,
/// `yyyyMMdd`), and Kafka runs both with the UTC time zone, so this is all they need — without pulling Foundation's
/// `DateFormatter` (ICU pattern rules differ from Java's in details such as `S` and quoting).
///
/// Supported letters: G y Y M L D d E u a H k K h m s S z Z X, literals, and `'quoted'` text (`''` is a quote).
/// Parsing is lenient like Java's default (month 13 rolls into the next year) and ignores trailing text, as
/// `DateFormat.parse(String)` does. `Y` (week year) is treated as the calendar year; `w`, `W`, `F` are rejected.
public struct JavaDateFormat: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal([UInt8])
        case field(UInt8, Int)
    }

    public let pattern: String
    let tokens: [Token]

    /// Compiles `pattern`, throwing a `ConnectError` (.config) naming the bad letter or the unterminated quote.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        self.tokens = try JavaDateFormat.tokenize(Array(pattern.utf8))
    }

    static let supported = Set("GyYMLDdEuaHkKhmsSzZX".utf8)
    static let numericLetters = Set("yYDduHkKhmsS".utf8)

    static func tokenize(_ p: [UInt8]) throws -> [Token] {
        var tokens: [Token] = []
        var literal: [UInt8] = []
        var i = 0
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)); literal.removeAll() }
        }
        while i < p.count {
            let c = p[i]
            if c == UInt8(ascii: "'") {
                if i + 1 < p.count, p[i + 1] == UInt8(ascii: "'") {
                    literal.append(c)
                    i += 2
                    continue
                }
                i += 1
                var closed = false
                while i < p.count {
                    if p[i] == UInt8(ascii: "'") {
                        if i + 1 < p.count, p[i + 1] == UInt8(ascii: "'") {
                            literal.append(p[i])
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    literal.append(p[i])
                    i += 1
                }
                if !closed { throw ConnectError(.config, "Unterminated quote in date format pattern") }
            } else if (c >= 65 && c <= 90) || (c >= 97 && c <= 122) {
                guard supported.contains(c) else {
                    let ch = Character(Unicode.Scalar(c))
                    if "wWF".contains(ch) {
                        throw ConnectError(.config, "Date format pattern letter '\(ch)' is not supported")
                    }
                    throw ConnectError(.config, "Illegal pattern character '\(ch)'")
                }
                var n = 1
                while i + n < p.count, p[i + n] == c { n += 1 }
                flush()
                tokens.append(.field(c, n))
                i += n
            } else {
                literal.append(c)
                i += 1
            }
        }
        flush()
        return tokens
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
    static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    // MARK: formatting

    /// The text of `epochMillis` in UTC.
    public func format(epochMillis ms: Int64) -> String {
        let days = CivilCalendar.floorDiv(ms, CivilCalendar.millisPerDay)
        let msOfDay = ms - days * CivilCalendar.millisPerDay
        let (year, month, day) = CivilCalendar.civil(days: days)
        let hour = msOfDay / 3_600_000
        var out: [UInt8] = []
        out.reserveCapacity(pattern.utf8.count + 8)
        for t in tokens {
            switch t {
            case .literal(let bytes):
                out.append(contentsOf: bytes)
            case .field(let c, let n):
                switch c {
                case UInt8(ascii: "G"): out.append(contentsOf: (year > 0 ? "AD" : "BC").utf8)
                case UInt8(ascii: "y"), UInt8(ascii: "Y"):
                    let yoe = year > 0 ? year : 1 - year
                    if n == 2 { pad(&out, yoe % 100, 2) } else { pad(&out, yoe, n) }
                case UInt8(ascii: "M"), UInt8(ascii: "L"):
                    if n >= 4 {
                        out.append(contentsOf: Self.monthNames[Int(month - 1)].utf8)
                    } else if n == 3 {
                        out.append(contentsOf: Self.monthNames[Int(month - 1)].utf8.prefix(3))
                    } else {
                        pad(&out, month, n)
                    }
                case UInt8(ascii: "d"): pad(&out, day, n)
                case UInt8(ascii: "D"): pad(&out, days - CivilCalendar.days(year: year, month: 1, day: 1) + 1, n)
                case UInt8(ascii: "E"):
                    let name = Self.dayNames[Int(CivilCalendar.isoWeekday(days: days) - 1)]
                    out.append(contentsOf: n >= 4 ? Array(name.utf8) : Array(name.utf8.prefix(3)))
                case UInt8(ascii: "u"): pad(&out, CivilCalendar.isoWeekday(days: days), n)
                case UInt8(ascii: "a"): out.append(contentsOf: (hour < 12 ? "AM" : "PM").utf8)
                case UInt8(ascii: "H"): pad(&out, hour, n)
                case UInt8(ascii: "k"): pad(&out, hour == 0 ? 24 : hour, n)
                case UInt8(ascii: "K"): pad(&out, hour % 12, n)
                case UInt8(ascii: "h"): pad(&out, hour % 12 == 0 ? 12 : hour % 12, n)
                case UInt8(ascii: "m"): pad(&out, msOfDay / 60_000 % 60, n)
                case UInt8(ascii: "s"): pad(&out, msOfDay / 1000 % 60, n)
                case UInt8(ascii: "S"): pad(&out, msOfDay % 1000, n)
                case UInt8(ascii: "z"): out.append(contentsOf: (n >= 4 ? "Coordinated Universal Time" : "UTC").utf8)
                case UInt8(ascii: "Z"): out.append(contentsOf: "+0000".utf8)
                default: out.append(UInt8(ascii: "Z"))  // X: ISO 8601 zone, "Z" for UTC
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func pad(_ out: inout [UInt8], _ v: Int64, _ width: Int) {
        var digits: [UInt8] = []
        var x = v.magnitude
        repeat {
            digits.append(UInt8(48 + x % 10))
            x /= 10
        } while x > 0
        if v < 0 { out.append(UInt8(ascii: "-")) }
        if digits.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        out.append(contentsOf: digits.reversed())
    }
}
