import SluiceAPI

/// Why a text value could not become its field's type (wrapped with file, line and column by the readers).
struct ConversionFailure: Error {
    let reason: String
}

/// Converts the text of one field into the Connect value its schema asks for, straight from bytes.
///
/// Empty text in an optional non-string field is null (not an error, unlike the original's
/// "Could not parse '' to 'Integer'"); an optional string keeps "" unless the CSV null indicator said null.
final class FieldConverter: Sendable {
    enum Kind: Sendable { case string, int8, int16, int32, int64, float32, float64, boolean, decimal(Int32), date, time, timestamp, bytes }

    let kind: Kind
    let optional: Bool
    let zone: ZoneRule
    let patterns: [JavaDatePattern]

    init(schema: Schema, zone: ZoneRule, patterns: [JavaDatePattern]) throws {
        optional = schema.isOptional
        self.zone = zone
        self.patterns = patterns
        switch (schema.type, schema.name) {
        case (.bytes, Logical.decimalName?): kind = .decimal(Logical.scale(of: schema))
        case (.int32, Logical.dateName?): kind = .date
        case (.int32, Logical.timeName?): kind = .time
        case (.int64, Logical.timestampName?): kind = .timestamp
        case (.string, _): kind = .string
        case (.int8, _): kind = .int8
        case (.int16, _): kind = .int16
        case (.int32, _): kind = .int32
        case (.int64, _): kind = .int64
        case (.float32, _): kind = .float32
        case (.float64, _): kind = .float64
        case (.boolean, _): kind = .boolean
        case (.bytes, _): kind = .bytes
        default:
            throw ConnectError(.config, "Schema type \(schema.type.javaName) cannot be parsed from text; use a primitive or logical type")
        }
    }

    var isString: Bool { if case .string = kind { return true } else { return false } }

    /// The value of a field that is null or missing.
    func null() throws(ConversionFailure) -> Value {
        if optional { return .null }
        throw ConversionFailure(reason: "the column is required (not optional) but the value is null or missing")
    }

    func convert(_ raw: UnsafeBufferPointer<UInt8>) throws(ConversionFailure) -> Value {
        if case .string = kind { return .string(String(decoding: raw, as: UTF8.self)) }
        if case .bytes = kind { return .bytes(Array(raw)) }
        let p = raw.trimmedSpaces()
        if p.isEmpty { return try null() }
        switch kind {
        case .int32, .int16, .int8, .int64:
            guard let n = NumberText.scan(p), n.kind == .integer, let v = n.int64 ?? Self.leadingZeroInt(p) else {
                throw ConversionFailure(reason: "not an integer")
            }
            switch kind {
            case .int8: guard let x = Int8(exactly: v) else { throw ConversionFailure(reason: "out of range for INT8") }; return .int8(x)
            case .int16: guard let x = Int16(exactly: v) else { throw ConversionFailure(reason: "out of range for INT16") }; return .int16(x)
            case .int32: guard let x = Int32(exactly: v) else { throw ConversionFailure(reason: "out of range for INT32") }; return .int32(x)
            default: return .int64(v)
            }
        case .decimal(let scale): return .decimal(try Self.decimal(p, scale: scale))
        case .float64, .float32:
            guard let d = Double(String(decoding: p, as: UTF8.self)) else {
                throw ConversionFailure(reason: "not a number")
            }
            if case .float32 = kind { return .float32(Float(d)) }
            return .float64(d)
        case .boolean:
            if p.count == 4 || p.count == 5, ColumnInference.isBoolean(p) { return .boolean(p[0] | 0x20 == 116) }
            throw ConversionFailure(reason: "not a boolean (expected true or false)")
        case .date:
            if let d = ISOTimestamp.date(p) { return .int32(d) }
            if let t = parseTimestamp(p) { return .int32(Int32(t.localMillis / Logical.millisPerDay - (t.localMillis % Logical.millisPerDay < 0 ? 1 : 0))) }
            throw ConversionFailure(reason: "not a date (expected yyyy-MM-dd)")
        case .time:
            let probe = Array("1970-01-01T".utf8) + Array(p)
            let t = probe.withUnsafeBufferPointer { ISOTimestamp.timestamp($0) }
            guard let t, t.offsetSeconds == nil else { throw ConversionFailure(reason: "not a time (expected HH:mm[:ss[.SSS]])") }
            return .int32(Int32(t.localMillis))
        case .timestamp:
            guard let t = parseTimestamp(p) else {
                throw ConversionFailure(reason: "not a timestamp (expected ISO-8601 or one of parser.timestamp.date.formats)")
            }
            return .int64(zone.resolve(t))
        case .string, .bytes: fatalError("handled above")
        }
    }

    private func parseTimestamp(_ p: UnsafeBufferPointer<UInt8>) -> ISOTimestamp.Parsed? {
        if let t = ISOTimestamp.timestamp(p) { return t }
        for pattern in patterns { if let t = pattern.parse(p) { return t } }
        if let d = ISOTimestamp.date(p) { return ISOTimestamp.Parsed(localMillis: Int64(d) * Logical.millisPerDay, offsetSeconds: nil) }
        return nil
    }

    /// Explicit integer schemas accept `007` even though inference treats it as text.
    private static func leadingZeroInt(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        Int64(String(decoding: p, as: UTF8.self))
    }

    private static let powers: [Int64] = (0...18).map { (0..<$0).reduce(Int64(1)) { r, _ in r * 10 } }

    /// Plain decimals with up to 18 digits are assembled directly; anything else goes through `ConnectDecimal`.
    static func decimal(_ p: UnsafeBufferPointer<UInt8>, scale: Int32) throws(ConversionFailure) -> ConnectDecimal {
        var i = 0
        var negative = false
        if p[0] == 45 || p[0] == 43 { negative = p[0] == 45; i = 1 }
        var unscaled: Int64 = 0
        var digits = 0
        var fraction = -1
        var simple = true
        while i < p.count {
            let c = p[i]
            if c &- 48 <= 9 {
                unscaled = unscaled &* 10 &+ Int64(c - 48)
                digits += 1
                if fraction >= 0 { fraction += 1 }
            } else if c == 46 && fraction < 0 {
                fraction = 0
            } else {
                simple = false
                break
            }
            i += 1
        }
        let frac = max(fraction, 0)
        if simple, digits > 0, digits <= 18, frac <= Int(scale), Int(scale) - frac <= 18 {
            let (v, o) = unscaled.multipliedReportingOverflow(by: powers[Int(scale) - frac])
            if !o { return ConnectDecimal(unscaled: negative ? -v : v, scale: scale) }
        }
        guard let d = ConnectDecimal(String(decoding: p, as: UTF8.self)) else { throw ConversionFailure(reason: "not a decimal number") }
        guard let r = d.rescaled(to: scale) else {
            throw ConversionFailure(reason: "has more fraction digits than the column's decimal scale \(scale)")
        }
        return r
    }
}
