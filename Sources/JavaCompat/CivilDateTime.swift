/// A UTC calendar breakdown of epoch milliseconds (proleptic Gregorian).
public struct CivilDateTime: Sendable, Equatable {
    /// Days since 1970-01-01 (floor, so instants before the epoch belong to the day they fall in).
    public var days: Int64
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int

    public init(epochMillis millis: Int64) {
        days = CivilCalendar.floorDiv(millis, CivilCalendar.millisPerDay)
        let rem = Int(millis - days * CivilCalendar.millisPerDay)
        let c = CivilCalendar.civil(days: days)
        (year, month, day) = (Int(c.year), Int(c.month), Int(c.day))
        hour = rem / 3_600_000
        minute = rem / 60_000 % 60
        second = rem / 1000 % 60
        millisecond = rem % 1000
    }
}
