import JavaCompat
import SluiceAPI

/// The value conversions of Cast (`Cast.castValueToType`), following Java's primitive narrowing rules:
/// integers wrap, floating point saturates (NaN → 0), strings parse with `Byte.parseByte` … `Double.parseDouble`.
enum CastConversion {
    static let inputTypes: [SchemaType] = [.int8, .int16, .int32, .int64, .float32, .float64, .boolean, .string, .bytes]
    static let outputTypes: [SchemaType] = [.int8, .int16, .int32, .int64, .float32, .float64, .boolean, .string]

    static func typeList(_ types: [SchemaType]) -> String { "[" + types.map(\.javaName).joined(separator: ", ") + "]" }

    static func inferredType(_ value: Value) -> SchemaType {
        switch value {
        case .null, .string: return .string
        case .boolean: return .boolean
        case .int8: return .int8
        case .int16: return .int16
        case .int32: return .int32
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bytes, .decimal: return .bytes
        case .array: return .array
        case .map: return .map
        case .structure: return .structure
        }
    }

    static func cast(_ value: Value, schema: Schema?, to target: SchemaType) throws -> Value {
        if value.isNull { return .null }
        let from = schema?.type ?? inferredType(value)
        guard inputTypes.contains(from) else {
            throw ConnectError(.dataException,
                "Cast transformation does not support casting from \(from.javaName); supported types are \(typeList(inputTypes))")
        }
        if target == .string, let ms = JavaText.logicalMillis(value, schema) {
            return .string(JavaText.isoText(epochMillis: ms))
        }
        return try convert(value, to: target)
    }

    /// Whether `schema` lets `convert` be called directly: a supported input type that is not a Date/Time/Timestamp
    /// (whose string form is an ISO text). Cast decides this once per schema instead of per record.
    static func convertsDirectly(_ schema: Schema) -> Bool {
        guard inputTypes.contains(schema.type) else { return false }
        switch schema.name {
        case Logical.dateName, Logical.timeName, Logical.timestampName: return false
        default: return true
        }
    }

    /// The conversion proper, once the input type is known to be supported and not a logical time value.
    static func convert(_ value: Value, to target: SchemaType) throws -> Value {
        if value.isNull { return .null }
        if target == .string { return .string(JavaText.toString(value)) }
        switch value {
        case .boolean(let b):
            return integerOrFloat(b ? 1 : 0, to: target)
        case .int8(let v): return integerOrFloat(Int64(v), to: target)
        case .int16(let v): return integerOrFloat(Int64(v), to: target)
        case .int32(let v): return integerOrFloat(Int64(v), to: target)
        case .int64(let v): return integerOrFloat(v, to: target)
        case .float32(let f): return fromDouble(Double(f), float: f, to: target)
        case .float64(let d): return fromDouble(d, float: Float(d), to: target)
        case .decimal(let dec): return fromDecimal(dec, to: target)
        case .string(let s): return try parse(s, to: target)
        default:
            throw ConnectError(.dataException, "Unexpected type in Cast transformation: \(value.kindName)")
        }
    }

    private static func integerOrFloat(_ v: Int64, to target: SchemaType) -> Value {
        switch target {
        case .int8: return .int8(Int8(truncatingIfNeeded: v))
        case .int16: return .int16(Int16(truncatingIfNeeded: v))
        case .int32: return .int32(Int32(truncatingIfNeeded: v))
        case .int64: return .int64(v)
        case .float32: return .float32(Float(v))
        case .float64: return .float64(Double(v))
        default: return .boolean(v != 0)
        }
    }

    /// Java's `(int) d` / `(long) d`: NaN → 0, out-of-range values clamp.
    static func javaInt(_ d: Double) -> Int32 {
        if d.isNaN { return 0 }
        if d >= Double(Int32.max) { return .max }
        if d <= Double(Int32.min) { return .min }
        return Int32(d.rounded(.towardZero))
    }

    static func javaLong(_ d: Double) -> Int64 {
        if d.isNaN { return 0 }
        if d >= 9.223372036854775807e18 { return .max }
        if d <= -9.223372036854775808e18 { return .min }
        return Int64(d.rounded(.towardZero))
    }

    private static func fromDouble(_ d: Double, float: Float, to target: SchemaType) -> Value {
        switch target {
        case .int8: return .int8(Int8(truncatingIfNeeded: javaInt(d)))
        case .int16: return .int16(Int16(truncatingIfNeeded: javaInt(d)))
        case .int32: return .int32(javaInt(d))
        case .int64: return .int64(javaLong(d))
        case .float32: return .float32(float)
        case .float64: return .float64(d)
        default: return .boolean(javaLong(d) != 0)
        }
    }

    /// The low 64 bits of the integer part (`BigDecimal.toBigInteger().longValue()`).
    static func integerPart(_ d: ConnectDecimal) -> Int64 {
        var text = d.description
        var negative = false
        if text.hasPrefix("-") { negative = true; text.removeFirst() }
        if let dot = text.firstIndex(of: ".") { text = String(text[..<dot]) }
        var v: Int64 = 0
        for c in text.utf8 { v = v &* 10 &+ Int64(c - 48) }
        return negative ? 0 &- v : v
    }

    private static func fromDecimal(_ d: ConnectDecimal, to target: SchemaType) -> Value {
        switch target {
        case .float32: return .float32(Float(d.doubleValue))
        case .float64: return .float64(d.doubleValue)
        case .int64: return .int64(integerPart(d))
        case .boolean: return .boolean(integerPart(d) != 0)
        default: return integerOrFloat(Int64(Int32(truncatingIfNeeded: integerPart(d))), to: target)
        }
    }

    private static func parse(_ s: String, to target: SchemaType) throws -> Value {
        func bad() -> ConnectError {
            ConnectError(.dataException, "Value (\(s)) was out of range for requested data type")
        }
        switch target {
        case .boolean: return .boolean(s.lowercased() == "true")
        case .float32, .float64:
            guard let d = javaParseDouble(s) else { throw bad() }
            return target == .float32 ? .float32(Float(d)) : .float64(d)
        default:
            guard let v = javaParseLong(s) else { throw bad() }
            switch target {
            case .int8: guard let x = Int8(exactly: v) else { throw bad() }; return .int8(x)
            case .int16: guard let x = Int16(exactly: v) else { throw bad() }; return .int16(x)
            case .int32: guard let x = Int32(exactly: v) else { throw bad() }; return .int32(x)
            default: return .int64(v)
            }
        }
    }

    /// `Long.parseLong`: an optional sign and decimal digits, nothing else.
    static func javaParseLong(_ s: String) -> Int64? {
        var t = Substring(s)
        if t.hasPrefix("+") { t = t.dropFirst(); if t.hasPrefix("-") || t.hasPrefix("+") { return nil } }
        guard !t.isEmpty, t.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "-") }) else { return nil }
        return Int64(t)
    }

    /// `Double.parseDouble`: surrounding whitespace trimmed, optional `f`/`d` suffix, `NaN`, `Infinity`.
    static func javaParseDouble(_ s: String) -> Double? {
        var t = Substring(s)
        while let f = t.first, f.isWhitespace { t.removeFirst() }
        while let l = t.last, l.isWhitespace { t.removeLast() }
        switch t {
        case "NaN", "+NaN", "-NaN": return .nan
        case "Infinity", "+Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: break
        }
        if let l = t.last, "fFdD".contains(l), t.count > 1 { t.removeLast() }
        guard let first = t.first, first.isNumber || first == "." || first == "-" || first == "+" else { return nil }
        if t.lowercased().contains("n") || t.lowercased().contains("i") { return nil }
        return Double(t)
    }
}
