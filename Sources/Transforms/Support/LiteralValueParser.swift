import JavaCompat
import SluiceAPI

/// Infers a schema and value from literal text, like Kafka's `Values.parseString` does for InsertHeader's
/// `value.literal`: `true`/`false` → BOOLEAN; whole numbers → the smallest of INT8…INT64; other numbers → FLOAT32
/// when the float is finite, else FLOAT64; ISO dates, times and timestamps → the logical types; otherwise STRING.
/// (Kafka also parses `[...]` arrays and `{...}` maps; those stay strings here.)
enum LiteralValueParser {
    static let isoDate = JavaText.isoDate
    static let isoTime = JavaText.isoTime
    static let isoTimestamp = JavaText.isoTimestamp

    static func parse(_ text: String) -> (schema: Schema, value: Value) {
        if text.isEmpty { return (.string, .string(text)) }
        switch text.lowercased() {
        case "true": return (.boolean, .boolean(true))
        case "false": return (.boolean, .boolean(false))
        default: break
        }
        if let number = parseNumber(text) { return number }
        if let logical = parseTemporal(text) { return logical }
        return (.string, .string(text))
    }

    private static func parseNumber(_ text: String) -> (Schema, Value)? {
        guard let first = text.utf8.first, (first >= 48 && first <= 57) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") else {
            return nil
        }
        guard let decimal = ConnectDecimal(text) else { return nil }
        // An integral value (no non-zero fraction digits) → the smallest integer type that holds it.
        if decimal.scale < -18 || decimal.scale > 400 { return nil }  // absurd exponents: keep the text as a string
        if let integral = decimal.rescaled(to: 0), let v = integral.unscaledInt64 {
            if let b = Int8(exactly: v) { return (.int8, .int8(b)) }
            if let s = Int16(exactly: v) { return (.int16, .int16(s)) }
            if let i = Int32(exactly: v) { return (.int32, .int32(i)) }
            return (.int64, .int64(v))
        }
        let d = decimal.doubleValue
        if decimal.scale != 0, Float(d).isFinite { return (.float32, .float32(Float(d))) }
        if d.isFinite { return (.float64, .float64(d)) }
        return (Logical.decimal(scale: decimal.scale), .decimal(decimal))
    }

    private static func parseTemporal(_ text: String) -> (Schema, Value)? {
        let utf8 = Array(text.utf8)
        if utf8.count == 24, utf8[10] == UInt8(ascii: "T"), let ms = try? isoTimestamp.parse(text) {
            return (Logical.timestamp, .int64(ms))
        }
        if utf8.count == 10, utf8[4] == UInt8(ascii: "-"), let ms = try? isoDate.parse(text) {
            return (Logical.date, .int32(Int32(truncatingIfNeeded: CivilCalendar.floorDiv(ms, CivilCalendar.millisPerDay))))
        }
        if utf8.count == 13, utf8[2] == UInt8(ascii: ":"), let ms = try? isoTime.parse(text) {
            return (Logical.time, .int32(Int32(truncatingIfNeeded: ms)))
        }
        return nil
    }
}
