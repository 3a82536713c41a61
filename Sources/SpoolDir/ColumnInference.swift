import SluiceAPI

/// What the sampled values of one column allow it to be; the narrowest type every value fits wins.
///
/// Each value narrows a set of candidate types (an integer is also a valid decimal and double, a plain decimal is
/// also a double, ...), so a column whose values are mixed falls back to the widest type that still holds all of
/// them, and to STRING when nothing does. A column is optional when any sampled value was empty or missing.
public struct ColumnInference: Sendable {
    struct Candidates: OptionSet, Sendable {
        let rawValue: UInt8
        static let int32 = Candidates(rawValue: 1)
        static let int64 = Candidates(rawValue: 2)
        static let decimal = Candidates(rawValue: 4)
        static let float64 = Candidates(rawValue: 8)
        static let boolean = Candidates(rawValue: 16)
        static let date = Candidates(rawValue: 32)
        static let timestamp = Candidates(rawValue: 64)
        static let all = Candidates(rawValue: 127)
    }

    var candidates = Candidates.all
    /// Which timestamp formats (bit 0 = ISO, bit k = `parser.timestamp.date.formats[k-1]`) matched every value.
    var formats: UInt64 = .max
    var scale = 0
    public private(set) var sawValue = false
    public private(set) var sawEmpty = false

    public init() {}

    /// Records a missing or empty value: the column becomes optional.
    public mutating func observeEmpty() { sawEmpty = true }

    /// Records that a non-text value (a nested JSON object or array) was seen: only STRING can hold it.
    public mutating func observeUnrepresentable() {
        sawValue = true
        candidates = []
    }

    /// Narrows the candidates by one textual value.
    public mutating func observe(_ raw: UnsafeBufferPointer<UInt8>, patterns: [JavaDatePattern]) {
        let p = raw.trimmedSpaces()
        if p.isEmpty { sawEmpty = true; return }
        sawValue = true
        if candidates.isEmpty { return }
        var allowed: Candidates = []
        if let num = NumberText.scan(p) {
            switch num.kind {
            case .integer:
                if let v = num.int64 {
                    allowed = v >= Int64(Int32.min) && v <= Int64(Int32.max) ? [.int32, .int64, .decimal, .float64] : [.int64, .decimal, .float64]
                } else {
                    allowed = [.decimal, .float64]
                }
            case .plainDecimal:
                allowed = [.decimal, .float64]
                if candidates.contains(.decimal) { scale = max(scale, num.fractionDigits) }
            case .exponent:
                allowed = [.float64]
            }
        } else if p.count == 4 || p.count == 5, Self.isBoolean(p) {
            allowed = [.boolean]
        } else if ISOTimestamp.date(p) != nil {
            allowed = [.date]
        } else if candidates.contains(.timestamp) {
            var mask: UInt64 = 0
            if ISOTimestamp.timestamp(p) != nil { mask |= 1 }
            for (k, pattern) in patterns.enumerated() where k < 63 && formats & (1 << UInt64(k + 1)) != 0 {
                if pattern.parse(p) != nil { mask |= 1 << UInt64(k + 1) }
            }
            formats &= mask
            if formats != 0 { allowed = [.timestamp] }
        }
        candidates.formIntersection(allowed)
    }

    @inline(__always)
    static func isBoolean(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        if p.count == 4 {
            return p[0] | 0x20 == 116 && p[1] | 0x20 == 114 && p[2] | 0x20 == 117 && p[3] | 0x20 == 101
        }
        return p.count == 5 && p[0] | 0x20 == 102 && p[1] | 0x20 == 97 && p[2] | 0x20 == 108 && p[3] | 0x20 == 115
            && p[4] | 0x20 == 101
    }

    /// The inferred field schema. Without `inferTypes`, or without any value, an optional STRING (as the original).
    public func schema(inferTypes: Bool, forceOptional: Bool = false) -> Schema {
        let optional = sawEmpty || forceOptional || !sawValue
        guard inferTypes, sawValue else { return Schema.optionalString }
        if candidates.contains(.int32) { return Schema.primitive(.int32, optional: optional) }
        if candidates.contains(.int64) { return Schema.primitive(.int64, optional: optional) }
        if candidates.contains(.decimal) { return Logical.decimal(scale: Int32(scale), optional: optional) }
        if candidates.contains(.float64) { return Schema.primitive(.float64, optional: optional) }
        if candidates.contains(.boolean) { return Schema.primitive(.boolean, optional: optional) }
        if candidates.contains(.date) { return Logical.date(optional: optional) }
        if candidates.contains(.timestamp) { return Logical.timestamp(optional: optional) }
        return Schema.primitive(.string, optional: optional)
    }
}

extension ColumnInference {
    /// Convenience for tests and JSON: observe a Swift string.
    public mutating func observe(_ text: String, patterns: [JavaDatePattern] = []) {
        var t = text
        t.withUTF8 { observe($0, patterns: patterns) }
    }
}
