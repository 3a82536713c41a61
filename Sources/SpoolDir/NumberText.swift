/// The shape of a number written as text, scanned once from bytes (leading/trailing spaces already removed).
///
/// Numbers with a redundant leading zero (`007`, `01.5`) are not numbers here: they are codes (ZIP codes, account
/// numbers) whose zeros a typed column would destroy.
struct NumberText {
    enum Kind { case integer, plainDecimal, exponent }
    var kind: Kind
    var negative: Bool
    var intDigits: Int
    var fractionDigits: Int
    /// The integer value when it fits in Int64 and the text has no fraction/exponent.
    var int64: Int64?

    @inline(__always)
    static func scan(_ p: UnsafeBufferPointer<UInt8>) -> NumberText? {
        let n = p.count
        guard n > 0 else { return nil }
        var i = 0
        var negative = false
        if p[0] == 45 || p[0] == 43 { negative = p[0] == 45; i = 1 }
        let intStart = i
        var value: Int64 = 0
        var overflow = false
        while i < n, p[i] &- 48 <= 9 {
            let d = Int64(p[i] - 48)
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 { overflow = true }
            value = s
            i += 1
        }
        let intDigits = i - intStart
        guard intDigits > 0 else { return nil }
        if intDigits > 1, p[intStart] == 48 { return nil }
        if i == n { return NumberText(kind: .integer, negative: negative, intDigits: intDigits, fractionDigits: 0, int64: overflow ? nil : value) }
        var fraction = 0
        var kind = Kind.integer
        if p[i] == 46 {
            i += 1
            let f = i
            while i < n, p[i] &- 48 <= 9 { i += 1 }
            fraction = i - f
            guard fraction > 0 else { return nil }
            kind = .plainDecimal
        }
        if i < n, p[i] == 101 || p[i] == 69 {
            i += 1
            if i < n, p[i] == 43 || p[i] == 45 { i += 1 }
            let e = i
            while i < n, p[i] &- 48 <= 9 { i += 1 }
            guard i > e else { return nil }
            kind = .exponent
        }
        guard i == n else { return nil }
        return NumberText(kind: kind, negative: negative, intDigits: intDigits, fractionDigits: fraction, int64: nil)
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// The view without leading and trailing spaces and tabs.
    @inline(__always)
    func trimmedSpaces() -> UnsafeBufferPointer<UInt8> {
        var s = 0
        var e = count
        while s < e, self[s] == 32 || self[s] == 9 { s += 1 }
        while e > s, self[e - 1] == 32 || self[e - 1] == 9 { e -= 1 }
        if s == 0 && e == count { return self }
        return UnsafeBufferPointer(rebasing: self[s..<e])
    }
}
