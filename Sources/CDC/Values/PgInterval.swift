/// A PostgreSQL `interval` as its output (IntervalStyle `postgres`) spells it: `1 year 2 mons -3 days 04:05:06.5`.
///
/// Kept as the separate fields Debezium's converter sees (via the JDBC `PGInterval`), because `MicroDuration` is
/// computed from them with an average month length, not from a calendar.
public struct PgInterval: Sendable, Hashable {
    public var years: Int64 = 0
    public var months: Int64 = 0
    public var days: Int64 = 0
    public var hours: Int64 = 0
    public var minutes: Int64 = 0
    /// Seconds including the fraction, in microseconds (signed).
    public var microseconds: Int64 = 0

    public init() {}

    /// Debezium's average month (365.25 / 12 days), as PostgreSQL's `DAYS_PER_MONTH` for `extract(epoch ...)`.
    public static let daysPerMonthAvg = 365.25 / 12.0

    /// Parses the `postgres` interval style; throws `PgTemporal.ParseError` for anything else.
    public init(parsing text: String) throws {
        let tokens = text.split(separator: " ")
        var i = 0
        while i < tokens.count {
            let tok = tokens[i]
            if tok.contains(":") {
                try parseClock(tok, text)
                i += 1
                continue
            }
            guard let n = Int64(tok.hasPrefix("+") ? tok.dropFirst() : tok), i + 1 < tokens.count else {
                throw PgTemporal.ParseError(text: text, expected: "interval")
            }
            let unit = tokens[i + 1]
            switch unit {
            case "year", "years": years += n
            case "mon", "mons": months += n
            case "day", "days": days += n
            default: throw PgTemporal.ParseError(text: text, expected: "interval (unknown unit '\(unit)')")
            }
            i += 2
        }
    }

    private mutating func parseClock(_ tok: Substring, _ text: String) throws {
        var s = tok
        var sign: Int64 = 1
        if s.hasPrefix("-") { sign = -1; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let h = Int64(parts[0]), let m = Int64(parts[1]) else {
            throw PgTemporal.ParseError(text: text, expected: "interval")
        }
        var sc = PgTemporal.Scanner(String(parts[2]))
        guard let secs = sc.digits(min: 1, max: 2) else { throw PgTemporal.ParseError(text: text, expected: "interval") }
        let frac = sc.fraction()
        guard sc.atEnd else { throw PgTemporal.ParseError(text: text, expected: "interval") }
        hours += sign * h
        minutes += sign * m
        microseconds += sign * (secs * 1_000_000 + frac)
    }

    /// `io.debezium.time.MicroDuration`: the approximate length in microseconds, computed in doubles and truncated
    /// as Debezium's `MicroDuration.durationMicros(...)` followed by a long cast does.
    public var microDuration: Int64 {
        let numberOfDays = Double(years * 12 + months) * PgInterval.daysPerMonthAvg + Double(days)
        let seconds = Double(microseconds) / 1_000_000
        let numberOfSeconds = ((numberOfDays * 24 + Double(hours)) * 60 + Double(minutes)) * 60 + seconds
        let micros = numberOfSeconds * 1e6
        if micros >= 9.2e18 { return .max }
        if micros <= -9.2e18 { return .min }
        return Int64(micros.rounded(.towardZero))
    }

    /// `io.debezium.time.Interval` (interval.handling.mode=string): `P1Y2M3DT4H5M6.5S`.
    public var isoString: String {
        let sec = microseconds / 1_000_000
        var frac = microseconds % 1_000_000
        var secText = String(sec)
        if frac != 0 {
            if microseconds < 0 && sec == 0 { secText = "-0" }
            frac = abs(frac)
            var f = String(frac)
            f = String(repeating: "0", count: 6 - f.count) + f
            while f.last == "0" { f.removeLast() }
            secText += "." + f
        }
        return "P\(years)Y\(months)M\(days)DT\(hours)H\(minutes)M\(secText)S"
    }
}
