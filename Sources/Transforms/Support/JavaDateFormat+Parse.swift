#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JavaCompat
import SluiceAPI

extension JavaDateFormat {
    /// Parses `text` (UTC unless the text carries a zone) into epoch milliseconds.
    ///
    /// Throws a `ConnectError` (.dataException) `Unparseable date: "<text>"` when the text does not follow the pattern.
    public func parse(_ text: String) throws -> Int64 {
        guard let ms = parseOrNil(Array(text.utf8)) else {
            throw ConnectError(.dataException, "Unparseable date: \"\(text)\"")
        }
        return ms
    }

    private struct Fields {
        var year: Int64 = 1970
        var twoDigitYear = false
        var bc = false
        var month: Int64 = 1
        var day: Int64 = 1
        var dayOfYear: Int64?
        var hour: Int64 = 0
        var hour12 = false
        var pm: Bool?
        var minute: Int64 = 0
        var second: Int64 = 0
        var millis: Int64 = 0
        var offsetMillis: Int64 = 0
    }

    private func parseOrNil(_ s: [UInt8]) -> Int64? {
        var f = Fields()
        var pos = 0
        for (i, t) in tokens.enumerated() {
            switch t {
            case .literal(let bytes):
                guard pos + bytes.count <= s.count, Array(s[pos..<pos + bytes.count]) == bytes else { return nil }
                pos += bytes.count
            case .field(let c, let n):
                let isText = (c == UInt8(ascii: "M") || c == UInt8(ascii: "L")) && n >= 3
                if Self.numericLetters.contains(c) || ((c == UInt8(ascii: "M") || c == UInt8(ascii: "L")) && !isText) {
                    var abutting = false
                    if i + 1 < tokens.count, case .field(let next, let nn) = tokens[i + 1] {
                        let nextText = (next == UInt8(ascii: "M") || next == UInt8(ascii: "L")) && nn >= 3
                        abutting = (Self.numericLetters.contains(next) || next == UInt8(ascii: "M") || next == UInt8(ascii: "L")) && !nextText
                    }
                    guard let (v, used) = Self.number(s, pos, maxWidth: abutting ? n : Int.max) else { return nil }
                    pos += used
                    switch c {
                    case UInt8(ascii: "y"), UInt8(ascii: "Y"):
                        f.year = v
                        f.twoDigitYear = n <= 2 && used == 2
                    case UInt8(ascii: "M"), UInt8(ascii: "L"): f.month = v
                    case UInt8(ascii: "d"): f.day = v
                    case UInt8(ascii: "D"): f.dayOfYear = v
                    case UInt8(ascii: "u"): break
                    case UInt8(ascii: "H"): f.hour = v
                    case UInt8(ascii: "k"): f.hour = v == 24 ? 0 : v
                    case UInt8(ascii: "K"): f.hour = v; f.hour12 = true
                    case UInt8(ascii: "h"): f.hour = v == 12 ? 0 : v; f.hour12 = true
                    case UInt8(ascii: "m"): f.minute = v
                    case UInt8(ascii: "s"): f.second = v
                    default: f.millis = v  // S
                    }
                    continue
                }
                switch c {
                case UInt8(ascii: "M"), UInt8(ascii: "L"):
                    guard let (idx, used) = Self.name(s, pos, Self.monthNames) else { return nil }
                    f.month = Int64(idx + 1)
                    pos += used
                case UInt8(ascii: "E"):
                    guard let (_, used) = Self.name(s, pos, Self.dayNames) else { return nil }
                    pos += used
                case UInt8(ascii: "a"):
                    guard let (idx, used) = Self.name(s, pos, ["AM", "PM"]) else { return nil }
                    f.pm = idx == 1
                    pos += used
                case UInt8(ascii: "G"):
                    guard let (idx, used) = Self.name(s, pos, ["AD", "BC"]) else { return nil }
                    f.bc = idx == 1
                    pos += used
                default:  // z, Z, X
                    guard let (offset, used) = Self.zone(s, pos) else { return nil }
                    f.offsetMillis = offset
                    pos += used
                }
            }
        }
        var year = f.year
        if f.twoDigitYear {
            let start = Self.currentYear() - 80
            year = start / 100 * 100 + year
            if year < start { year += 100 }
        }
        if f.bc { year = 1 - year }
        var hour = f.hour
        if f.hour12, f.pm == true { hour += 12 }
        let days: Int64
        if let doy = f.dayOfYear {
            days = CivilCalendar.days(year: year, month: 1, day: 1) + doy - 1
        } else {
            days = CivilCalendar.days(year: year, month: f.month, day: f.day)
        }
        // Lenient fields may be huge ("99999-99999-99999"): overflow means the text is not a date we can represent.
        var total = Int64(0)
        for (value, unit) in [(days, CivilCalendar.millisPerDay), (hour, 3_600_000), (f.minute, 60_000), (f.second, 1000),
                              (f.millis, 1), (-f.offsetMillis, 1)] {
            let (product, o1) = value.multipliedReportingOverflow(by: unit)
            let (sum, o2) = total.addingReportingOverflow(product)
            if o1 || o2 { return nil }
            total = sum
        }
        return total
    }

    private static func number(_ s: [UInt8], _ pos: Int, maxWidth: Int) -> (Int64, Int)? {
        var i = pos
        var v: Int64 = 0
        while i < s.count, i - pos < min(maxWidth, 9), s[i] >= 48, s[i] <= 57 {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(s[i] - 48))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return i == pos ? nil : (v, i - pos)
    }

    /// Matches a full name, else its 3-letter abbreviation, case-insensitively.
    private static func name(_ s: [UInt8], _ pos: Int, _ names: [String]) -> (Int, Int)? {
        func matches(_ candidate: [UInt8]) -> Bool {
            guard pos + candidate.count <= s.count else { return false }
            for (k, b) in candidate.enumerated() where lower(s[pos + k]) != lower(b) { return false }
            return true
        }
        for (idx, n) in names.enumerated() where matches(Array(n.utf8)) { return (idx, n.utf8.count) }
        for (idx, n) in names.enumerated() where n.utf8.count > 3 && matches(Array(n.utf8.prefix(3))) { return (idx, 3) }
        return nil
    }

    private static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    /// `Z`, `UTC`, `GMT`, `Coordinated Universal Time`, optionally followed by, or simply, `±hh`, `±hhmm`, `±hh:mm`.
    private static func zone(_ s: [UInt8], _ pos: Int) -> (Int64, Int)? {
        var i = pos
        if i < s.count, s[i] == UInt8(ascii: "Z") { return (0, 1) }
        for word in ["Coordinated Universal Time", "UTC", "GMT"] {
            let w = Array(word.utf8)
            if i + w.count <= s.count, Array(s[i..<i + w.count]) == w {
                i += w.count
                break
            }
        }
        guard i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") else {
            return i > pos ? (0, i - pos) : nil
        }
        let negative = s[i] == UInt8(ascii: "-")
        i += 1
        guard let (hh, hUsed) = number(s, i, maxWidth: 2), hUsed == 2 else { return nil }
        i += 2
        var mm: Int64 = 0
        if i < s.count, s[i] == UInt8(ascii: ":") { i += 1 }
        if let (m, mUsed) = number(s, i, maxWidth: 2), mUsed == 2 {
            mm = m
            i += 2
        }
        let offset = (hh * 60 + mm) * 60_000
        return (negative ? -offset : offset, i - pos)
    }

    /// The current UTC year, for Java's two-digit-year rule (a year within 80 years before and 20 after now).
    static func currentYear() -> Int64 {
        let seconds = Int64(time(nil))
        return CivilCalendar.civil(days: CivilCalendar.floorDiv(seconds, 86_400)).year
    }
}
