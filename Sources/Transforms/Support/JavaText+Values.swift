import JavaCompat
import SluiceAPI

/// The date forms of Kafka's `Values` class (Cast and header conversions), on top of the shared `JavaText`.
extension JavaText {
    // These patterns are valid constants; `try!` cannot fail.
    static let isoDate = try! JavaDateFormat("yyyy-MM-dd")
    static let isoTime = try! JavaDateFormat("HH:mm:ss.SSS'Z'")
    static let isoTimestamp = try! JavaDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")

    /// `Values.dateFormatFor(date).format(date)`: a time of day below one day, a date at midnight, else a timestamp.
    static func isoText(epochMillis ms: Int64) -> String {
        if ms < CivilCalendar.millisPerDay { return isoTime.format(epochMillis: ms) }
        if ms % CivilCalendar.millisPerDay == 0 { return isoDate.format(epochMillis: ms) }
        return isoTimestamp.format(epochMillis: ms)
    }

    /// Epoch milliseconds of a Date/Time/Timestamp logical value, or nil when `schema` is not one of them.
    static func logicalMillis(_ value: Value, _ schema: Schema?) -> Int64? {
        guard let name = schema?.name else { return nil }
        switch (name, value) {
        case (Logical.dateName, .int32(let days)): return Int64(days) * CivilCalendar.millisPerDay
        case (Logical.timeName, .int32(let ms)): return Int64(ms)
        case (Logical.timestampName, .int64(let ms)): return ms
        default: return nil
        }
    }
}
