/// Digit scanning for the date parsers; the calendar itself is `JavaCompat.CivilCalendar`.
enum CivilTime {
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
