import SluiceAPI

/// Java's `toString` forms of Connect values, so text produced by Cast, HeaderFrom and friends matches what a
/// Kafka Connect worker would have produced byte for byte.
enum JavaText {
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

    /// `String.valueOf(value)` for primitives; bytes as base64 (Cast's rule); decimals as `BigDecimal.toString()`.
    static func string(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .int8(let v): return decimal(Int64(v))
        case .int16(let v): return decimal(Int64(v))
        case .int32(let v): return decimal(Int64(v))
        case .int64(let v): return decimal(v)
        case .float32(let f): return JSONWriter.javaFloat(f)
        case .float64(let d): return JSONWriter.javaDouble(d)
        case .string(let s): return s
        case .bytes(let b): return Base64.encode(b)
        case .decimal(let d): return bigDecimal(d)
        case .array(let items): return "[" + items.map(string).joined(separator: ", ") + "]"
        case .map(let entries): return "{" + entries.map { string($0.key) + "=" + string($0.value) }.joined(separator: ", ") + "}"
        case .structure(let s):
            let parts = s.schema.fields.map { "\($0.name)=\(string(s.values[$0.index]))" }
            return "Struct{" + parts.joined(separator: ",") + "}"
        }
    }

    /// `BigDecimal.toString()`: plain unless the scale is negative or the adjusted exponent is below -6.
    static func bigDecimal(_ d: ConnectDecimal) -> String {
        var digits = d.unscaledString
        var sign = ""
        if digits.hasPrefix("-") { sign = "-"; digits.removeFirst() }
        let adjusted = -Int(d.scale) + (digits.count - 1)
        if d.scale >= 0 && adjusted >= -6 { return d.description }
        var mantissa = digits
        if digits.count > 1 { mantissa.insert(".", at: mantissa.index(after: mantissa.startIndex)) }
        return sign + mantissa + "E" + (adjusted >= 0 ? "+" : "") + String(adjusted)
    }
}

extension JavaText {
    /// `Long.toString(v)` written straight into a new (small) string: Cast's integer → string runs per record,
    /// and `String(v)` (generic radix formatting) cost about twice as many instructions.
    static func decimal(_ v: Int64) -> String {
        if v == .min { return String(v) }
        var magnitude = v < 0 ? UInt64(-v) : UInt64(v)
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 19 digits and a sign fit
        return withUnsafeMutableBytes(of: &scratch) { buf in
            var i = buf.count
            repeat {
                i -= 1
                buf[i] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
            } while magnitude != 0
            if v < 0 { i -= 1; buf[i] = UInt8(ascii: "-") }
            return String(decoding: UnsafeRawBufferPointer(rebasing: buf[i...]), as: UTF8.self)
        }
    }
}
