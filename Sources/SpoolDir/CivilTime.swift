/// Calendar arithmetic without Foundation on the hot path: proleptic Gregorian days ↔ epoch, digit scanning.
enum CivilTime {
    /// Days since 1970-01-01 for a valid y-m-d (Howard Hinnant's `days_from_civil`).
    @inline(__always)
    static func epochDays(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func validDate(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        m >= 1 && m <= 12 && d >= 1 && d <= daysIn(month: m, year: y)
    }

    /// Reads exactly `count` ASCII digits at `i`, or nil.
    @inline(__always)
    static func digits(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int) -> Int? {
        guard i + count <= p.count else { return nil }
        var v = 0
        for k in i..<(i + count) {
            let c = p[k] &- 48
            if c > 9 { return nil }
            v = v * 10 + Int(c)
        }
        return v
    }
}
