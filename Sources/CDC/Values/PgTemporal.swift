import JavaCompat

/// Parsing of PostgreSQL's text output for dates and times (DateStyle ISO) and Debezium's ISO-8601 formatting.
///
/// Pure arithmetic on the proleptic Gregorian calendar (what `java.time` uses), so values match Debezium's exactly
/// without Foundation's time zone machinery.
public enum PgTemporal {
    public static let microsPerSecond: Int64 = 1_000_000
    public static let microsPerDay: Int64 = 86_400_000_000

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var text: String
        public var expected: String
        public var description: String { "cannot parse '\(text)' as \(expected)" }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date.
    public static func epochDay(year: Int64, month: Int64, day: Int64) -> Int64 {
        CivilCalendar.days(year: year, month: month, day: day)
    }

    /// The civil date of an epoch day.
    public static func civil(epochDay: Int64) -> (year: Int64, month: Int64, day: Int64) {
        CivilCalendar.civil(days: epochDay)
    }

    // MARK: parsing

    /// A cursor over ASCII text with the few scanners the formats need.
    struct Scanner {
        let chars: [UInt8]
        var i = 0
        init(_ s: String) { chars = Array(s.utf8) }
        var atEnd: Bool { i >= chars.count }
        var peek: UInt8? { i < chars.count ? chars[i] : nil }
        mutating func digits(min: Int = 1, max: Int = 18) -> Int64? {
            var v: Int64 = 0
            var n = 0
            while i < chars.count, chars[i] >= 48, chars[i] <= 57, n < max {
                v = v * 10 + Int64(chars[i] - 48); i += 1; n += 1
            }
            return n >= min ? v : nil
        }
        mutating func expect(_ c: Character) -> Bool {
            guard let p = peek, p == c.asciiValue! else { return false }
            i += 1
            return true
        }
        /// `.ffffff` → microseconds (more than 6 digits are truncated, fewer scaled up).
        mutating func fraction() -> Int64 {
            guard expect(".") else { return 0 }
            var v: Int64 = 0
            var n = 0
            while let p = peek, p >= 48, p <= 57 {
                if n < 6 { v = v * 10 + Int64(p - 48) }
                n += 1; i += 1
            }
            while n < 6 { v *= 10; n += 1 }
            return v
        }
        var rest: String { String(decoding: chars[min(i, chars.count)...], as: UTF8.self) }
    }

    static func fail(_ s: String, _ what: String) -> ParseError { ParseError(text: s, expected: what) }

    /// `YYYY-MM-DD` (`+ " BC"` handled by callers) → epoch day.
    static func scanDate(_ sc: inout Scanner, _ text: String) throws -> (year: Int64, month: Int64, day: Int64) {
        guard let y = sc.digits(min: 4), sc.expect("-"), let m = sc.digits(min: 2, max: 2), sc.expect("-"),
            let d = sc.digits(min: 2, max: 2), (1...12).contains(m), (1...31).contains(d)
        else { throw fail(text, "date") }
        return (y, m, d)
    }

    /// `HH:MM[:SS[.ffffff]]` → microseconds of day (24:00:00 allowed, as PostgreSQL does).
    static func scanTime(_ sc: inout Scanner, _ text: String) throws -> Int64 {
        guard let h = sc.digits(min: 2, max: 2), sc.expect(":"), let mi = sc.digits(min: 2, max: 2) else {
            throw fail(text, "time")
        }
        var s: Int64 = 0
        if sc.expect(":") { guard let v = sc.digits(min: 2, max: 2) else { throw fail(text, "time") }; s = v }
        let f = sc.fraction()
        guard h <= 24, mi < 60, s < 61 else { throw fail(text, "time") }
        return ((h * 60 + mi) * 60 + s) * microsPerSecond + f
    }

    /// `+HH[:MM[:SS]]` → seconds east of UTC.
    static func scanOffset(_ sc: inout Scanner, _ text: String) throws -> Int64 {
        let sign: Int64
        if sc.expect("+") { sign = 1 } else if sc.expect("-") { sign = -1 } else { throw fail(text, "UTC offset") }
        guard let h = sc.digits(min: 2, max: 2) else { throw fail(text, "UTC offset") }
        var m: Int64 = 0, s: Int64 = 0
        if sc.expect(":") { guard let v = sc.digits(min: 2, max: 2) else { throw fail(text, "UTC offset") }; m = v }
        if sc.expect(":") { guard let v = sc.digits(min: 2, max: 2) else { throw fail(text, "UTC offset") }; s = v }
        return sign * (h * 3600 + m * 60 + s)
    }

    static func scanEra(_ sc: inout Scanner, year: Int64, _ text: String) throws -> Int64 {
        if sc.atEnd { return year }
        guard sc.rest == " BC" else { throw fail(text, "date/time (unexpected '\(sc.rest)')") }
        sc.i = sc.chars.count
        return 1 - year  // 1 BC is ISO year 0
    }

    /// `date` text → days since epoch.
    public static func parseDate(_ text: String) throws -> Int64 {
        var sc = Scanner(text)
        var d = try scanDate(&sc, text)
        d.year = try scanEra(&sc, year: d.year, text)
        return epochDay(year: d.year, month: d.month, day: d.day)
    }

    /// `time` text → microseconds of day.
    public static func parseTime(_ text: String) throws -> Int64 {
        var sc = Scanner(text)
        let t = try scanTime(&sc, text)
        guard sc.atEnd else { throw fail(text, "time") }
        return t
    }

    /// `timestamp` text → microseconds since epoch (of the local date-time, as Debezium reads it as UTC).
    public static func parseTimestamp(_ text: String) throws -> Int64 {
        var sc = Scanner(text)
        var d = try scanDate(&sc, text)
        guard sc.expect(" ") else { throw fail(text, "timestamp") }
        let t = try scanTime(&sc, text)
        d.year = try scanEra(&sc, year: d.year, text)
        return epochDay(year: d.year, month: d.month, day: d.day) * microsPerDay + t
    }

    /// `timestamptz` text → microseconds since epoch (UTC).
    public static func parseTimestampTz(_ text: String) throws -> Int64 {
        var sc = Scanner(text)
        var d = try scanDate(&sc, text)
        guard sc.expect(" ") else { throw fail(text, "timestamptz") }
        let t = try scanTime(&sc, text)
        let off = try scanOffset(&sc, text)
        d.year = try scanEra(&sc, year: d.year, text)
        return epochDay(year: d.year, month: d.month, day: d.day) * microsPerDay + t - off * microsPerSecond
    }

    /// `timetz` text → microseconds of day in UTC (wrapped into one day).
    public static func parseTimeTz(_ text: String) throws -> Int64 {
        var sc = Scanner(text)
        let t = try scanTime(&sc, text)
        let off = try scanOffset(&sc, text)
        guard sc.atEnd else { throw fail(text, "timetz") }
        let utc = (t - off * microsPerSecond) % microsPerDay
        return utc < 0 ? utc + microsPerDay : utc
    }

    // MARK: formatting

    static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `.fff` with trailing zeros removed, nothing when zero (`DateTimeFormatter.ISO_LOCAL_TIME`).
    static func fraction(_ micros: Int64) -> String {
        if micros == 0 { return "" }
        var s = pad(micros, 6)
        while s.last == "0" { s.removeLast() }
        return "." + s
    }

    static func isoYear(_ y: Int64) -> String {
        if y > 9999 { return "+" + String(y) }
        if y < 0 { return "-" + pad(-y, 4) }
        return pad(y, 4)
    }

    /// Time of day as `HH:mm:ss[.f]` (ISO_LOCAL_TIME).
    public static func formatTime(microsOfDay t: Int64) -> String {
        let secs = t / microsPerSecond
        return pad(secs / 3600, 2) + ":" + pad(secs / 60 % 60, 2) + ":" + pad(secs % 60, 2) + fraction(t % microsPerSecond)
    }

    /// Epoch microseconds as Debezium's `ZonedTimestamp` in UTC: `2024-01-15T09:30:00.123456Z`.
    ///
    /// `fractionDigits` 1...9 gives a fixed-width fraction as Debezium ≥ 2.2 writes for a `timestamptz(p)` column
    /// (`2024-01-15T09:30:00.500000Z` for p = 6); 0 or nil the shortest form (`2024-01-15T09:30:00.5Z`).
    public static func formatZonedTimestamp(epochMicros: Int64, fractionDigits: Int? = nil) -> String {
        var day = epochMicros / microsPerDay
        var t = epochMicros % microsPerDay
        if t < 0 { t += microsPerDay; day -= 1 }
        let c = civil(epochDay: day)
        let date = isoYear(c.year) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2) + "T"
        guard let digits = fractionDigits, (1...9).contains(digits) else { return date + formatTime(microsOfDay: t) + "Z" }
        let secs = t / microsPerSecond
        let micros = String(pad(t % microsPerSecond, 6))
        let fraction = digits <= 6 ? String(micros.prefix(digits)) : micros + String(repeating: "0", count: digits - 6)
        return date + pad(secs / 3600, 2) + ":" + pad(secs / 60 % 60, 2) + ":" + pad(secs % 60, 2) + "." + fraction + "Z"
    }

    /// UTC time of day as Debezium's `ZonedTime`: `09:30:00.5Z`.
    public static func formatZonedTime(microsOfDay t: Int64) -> String { formatTime(microsOfDay: t) + "Z" }
}
