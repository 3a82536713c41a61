/// Calendar arithmetic and ISO text for `SQLValue` temporals, shared by every driver (PostgreSQL text results, COPY
/// text, MariaDB `MYSQL_TIME`, SQLite text storage), so all three agree to the microsecond.
public enum SQLTemporal {
    public static let microsPerSecond: Int64 = 1_000_000
    public static let microsPerDay: Int64 = 86_400_000_000

    /// Days since epoch of a proleptic Gregorian date (H. Hinnant's algorithm).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468)
    }

    /// The (year, month, day) of a day count since epoch.
    public static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Splits epoch microseconds into whole days and microseconds of that day (floor division, so pre-1970 works).
    public static func split(timestamp micros: Int64) -> (days: Int64, micros: Int64) {
        var d = micros / microsPerDay
        var r = micros % microsPerDay
        if r < 0 { d -= 1; r += microsPerDay }
        return (d, r)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `YYYY-MM-DD`.
    public static func formatDate(_ days: Int32) -> String {
        let c = civil(days: Int64(days))
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// `HH:MM:SS[.ffffff]` (fraction only when non-zero).
    public static func formatTime(_ micros: Int64) -> String {
        let secs = Int(micros / microsPerSecond)
        let frac = Int(micros % microsPerSecond)
        var s = pad(secs / 3600, 2) + ":" + pad(secs / 60 % 60, 2) + ":" + pad(secs % 60, 2)
        if frac != 0 { s += "." + pad(frac, 6) }
        return s
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC.
    public static func formatTimestamp(_ micros: Int64) -> String {
        let (d, t) = split(timestamp: micros)
        return formatDate(Int32(truncatingIfNeeded: d)) + " " + formatTime(t)
    }

    /// Parses `YYYY-MM-DD` (an optional ` BC` suffix is honoured), returning days since epoch.
    public static func parseDate(_ text: Substring) -> Int32? {
        var t = text
        var bc = false
        if t.hasSuffix(" BC") { bc = true; t = t.dropLast(3) }
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        return Int32(truncatingIfNeeded: days(year: bc ? 1 - y : y, month: m, day: d))
    }

    /// Parses `HH:MM[:SS[.ffffff]]` (extra fraction digits are truncated), returning microseconds of the day.
    public static func parseTime(_ text: Substring) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let h = Int64(parts[0]), let m = Int64(parts[1]) else { return nil }
        var micros: Int64 = 0
        var s: Int64 = 0
        if parts.count == 3 {
            let sp = parts[2].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard let sec = Int64(sp[0]) else { return nil }
            s = sec
            if sp.count == 2 {
                var digits = Array(sp[1].utf8.prefix(6))
                guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
                while digits.count < 6 { digits.append(48) }
                micros = digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - 48) }
            }
        }
        return (h * 3600 + m * 60 + s) * microsPerSecond + micros
    }

    /// Parses `YYYY-MM-DD[ T]HH:MM:SS[.ffffff][+HH[:MM]|Z]` (PostgreSQL timestamp/timestamptz, MySQL DATETIME, SQLite
    /// text), returning UTC epoch microseconds.
    public static func parseTimestamp(_ text: Substring) -> Int64? {
        var t = text
        var bc = false
        if t.hasSuffix(" BC") { bc = true; t = t.dropLast(3) }
        guard let sep = t.firstIndex(where: { $0 == " " || $0 == "T" }) else {
            return parseDate(t).map { Int64($0) * microsPerDay }
        }
        guard var d = parseDate(t[..<sep]) else { return nil }
        if bc, let y = Int(t[..<sep].split(separator: "-")[0]) {
            let c = civil(days: Int64(d))
            d = Int32(truncatingIfNeeded: days(year: 1 - y, month: c.month, day: c.day))
        }
        var rest = t[t.index(after: sep)...]
        var offsetMicros: Int64 = 0
        if rest.hasSuffix("Z") {
            rest = rest.dropLast()
        } else if let signIdx = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let sign: Int64 = rest[signIdx] == "-" ? -1 : 1
            let parts = rest[rest.index(after: signIdx)...].split(separator: ":")
            guard let first = parts.first, let hh = Int64(first) else { return nil }
            let mm = parts.count > 1 ? Int64(parts[1]) ?? 0 : 0
            let ss = parts.count > 2 ? Int64(parts[2]) ?? 0 : 0
            offsetMicros = sign * (hh * 3600 + mm * 60 + ss) * microsPerSecond
            rest = rest[..<signIdx]
        }
        guard let tm = parseTime(rest) else { return nil }
        return Int64(d) * microsPerDay + tm - offsetMicros
    }
}
