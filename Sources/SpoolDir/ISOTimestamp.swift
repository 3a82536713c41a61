import JavaCompat

/// ISO-8601 dates and timestamps as users put them in CSV files, parsed straight from bytes.
///
/// Accepted: `yyyy-MM-dd` (a Date) and `yyyy-MM-dd[T or space]HH:mm[:ss[.fraction]]` optionally followed by `Z`,
/// `±HH`, `±HHmm` or `±HH:mm` (a Timestamp). A timestamp without a zone is read in the configured time zone.
enum ISOTimestamp {
    /// Epoch days of a `yyyy-MM-dd` value, or nil.
    static func date(_ p: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard p.count == 10, p[4] == 45, p[7] == 45,
            let y = CivilTime.digits(p, 0, 4), let m = CivilTime.digits(p, 5, 2), let d = CivilTime.digits(p, 8, 2),
            CivilCalendar.isValidDate(y, m, d)
        else { return nil }
        return Int32(CivilCalendar.epochDays(year: y, month: m, day: d))
    }

    /// Local wall-clock milliseconds since the epoch plus the zone offset in seconds when one was written.
    struct Parsed { var localMillis: Int64; var offsetSeconds: Int? }

    static func timestamp(_ p: UnsafeBufferPointer<UInt8>) -> Parsed? {
        guard p.count >= 16, p[4] == 45, p[7] == 45, p[10] == 84 || p[10] == 32 || p[10] == 116, p[13] == 58,
            let y = CivilTime.digits(p, 0, 4), let mo = CivilTime.digits(p, 5, 2), let d = CivilTime.digits(p, 8, 2),
            let h = CivilTime.digits(p, 11, 2), let mi = CivilTime.digits(p, 14, 2),
            CivilCalendar.isValidDate(y, mo, d), h < 24, mi < 60
        else { return nil }
        var i = 16
        var sec = 0
        var millis = 0
        if i < p.count, p[i] == 58 {
            guard let s = CivilTime.digits(p, i + 1, 2), s < 60 else { return nil }
            sec = s
            i += 3
            if i < p.count, p[i] == 46 || p[i] == 44 {
                i += 1
                var n = 0
                while i < p.count, p[i] &- 48 <= 9 {
                    if n < 3 { millis = millis * 10 + Int(p[i] - 48) }
                    n += 1
                    i += 1
                }
                if n == 0 || n > 9 { return nil }
                if n < 3 { for _ in n..<3 { millis *= 10 } }
            }
        }
        let local = (Int64(CivilCalendar.epochDays(year: y, month: mo, day: d)) * 86_400 + Int64(h * 3600 + mi * 60 + sec))
            * 1000 + Int64(millis)
        if i == p.count { return Parsed(localMillis: local, offsetSeconds: nil) }
        guard let off = offset(p, from: i) else { return nil }
        return Parsed(localMillis: local, offsetSeconds: off)
    }

    /// `Z`, `±HH`, `±HHmm`, `±HH:mm` running to the end of `p`; seconds east of UTC.
    static func offset(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        if p[i] == 90 || p[i] == 122 { return i + 1 == p.count ? 0 : nil }
        guard p[i] == 43 || p[i] == 45, let hh = CivilTime.digits(p, i + 1, 2), hh <= 18 else { return nil }
        let sign = p[i] == 45 ? -1 : 1
        var j = i + 3
        var mm = 0
        if j < p.count {
            if p[j] == 58 { j += 1 }
            guard let m = CivilTime.digits(p, j, 2), m < 60 else { return nil }
            mm = m
            j += 2
        }
        return j == p.count ? sign * (hh * 3600 + mm * 60) : nil
    }
}
