/// Proleptic Gregorian calendar arithmetic in UTC (days since 1970-01-01 ↔ year/month/day), without Foundation:
/// the calendar `java.time` uses, so dates match Kafka Connect's and Debezium's for every year, BC included.
///
/// Howard Hinnant's `days_from_civil` / `civil_from_days`, exact for every day number an Int64 of milliseconds can
/// hold. The one home of this arithmetic for converters, transforms, FileStream, SpoolDir and CDC.
public enum CivilCalendar {
    public static let millisPerDay: Int64 = 86_400_000

    /// Days since the epoch of `year`-`month`-`day`. Month and day may be out of range (lenient, like Java's
    /// lenient `GregorianCalendar`): month 13 is January of the next year, day 0 the last day of the previous month.
    @inlinable
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        var y = year
        var m = month - 1
        y += floorDiv(m, 12)
        m = floorMod(m, 12) + 1
        y -= m <= 2 ? 1 : 0
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468 + (day - 1)
    }

    /// `days` for a valid date in `Int`s, for parsers that already checked the fields (`isValidDate`).
    @inlinable
    public static func epochDays(year: Int, month: Int, day: Int) -> Int {
        Int(days(year: Int64(year), month: Int64(month), day: Int64(day)))
    }

    /// (year, month 1–12, day 1–31) of a day number.
    @inlinable
    public static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO day of week, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    @inlinable
    public static func isoWeekday(days: Int64) -> Int64 { floorMod(days + 3, 7) + 1 }

    @inlinable
    public static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    @inlinable
    public static func isLeap(_ y: Int) -> Bool { isLeap(Int64(y)) }

    /// Days in `month` (1–12) of `year`.
    @inlinable
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether `y`-`m`-`d` names a real day (strict, unlike `days(year:month:day:)`).
    @inlinable
    public static func isValidDate(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        m >= 1 && m <= 12 && d >= 1 && d <= daysIn(month: m, year: y)
    }

    /// Java's `Math.floorDiv`: rounds toward negative infinity.
    @inlinable
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    /// Java's `Math.floorMod`: the remainder has the sign of the divisor.
    @inlinable
    public static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}
