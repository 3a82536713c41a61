import SluiceAPI

/// How one column's text value becomes a Connect value. Decided once per column when a relation is seen, so the
/// per-row work is a switch, not a type lookup.
public indirect enum ColumnConversion: Sendable, Hashable {
    case boolean
    case int16, int32, int64
    case float32, float64
    /// numeric(p,s) in precise mode: `Decimal` rescaled to the column scale.
    case decimal(scale: Int32)
    /// numeric without scale in precise mode: `VariableScaleDecimal` struct.
    case variableScaleDecimal(Schema)
    case decimalAsDouble, decimalAsString
    /// money: Decimal with 2 fraction digits (text carries currency symbols and group separators).
    case money(ValueConverterOptions.DecimalMode)
    case string
    case bytes(ValueConverterOptions.BinaryMode)
    /// bit(1) → BOOLEAN.
    case bit
    /// bit(n)/varbit → `io.debezium.data.Bits` bytes.
    case bits
    case dateDays
    case timeMillis, timeMicros
    case timestampMillis, timestampMicros
    /// `timestamptz(p)`: Debezium (≥ 2.2, DBZ-6163) pads the fraction to the column's precision `p` (6 when
    /// unspecified); 0 gives no fixed width (ISO-8601 with the fraction only when non-zero).
    case zonedTimestamp(fractionDigits: Int)
    case zonedTime
    case intervalMicros, intervalString
    case hstoreJSON, hstoreMap
    /// point `(x,y)` → `io.debezium.data.geometry.Point` {x, y, wkb, srid}.
    case point(Schema)
    /// include.unknown.datatypes: the text as bytes.
    case unknownBytes
    case array(ColumnConversion, elementSchema: Schema)

    /// Converts one text value; throws `ConnectError(.dataException)` naming the column when the text does not parse.
    public func convert(_ text: String, column: String) throws -> Value {
        do {
            return try convertUnchecked(text)
        } catch let e as ConnectError {
            throw e
        } catch {
            throw ConnectError(.dataException, "Column '\(column)': \(error)")
        }
    }

    struct Bad: Error, CustomStringConvertible {
        let text: String, type: String
        var description: String { "cannot convert '\(text)' to \(type)" }
    }

    func convertUnchecked(_ text: String) throws -> Value {
        switch self {
        case .boolean:
            switch text {
            case "t", "true": return .boolean(true)
            case "f", "false": return .boolean(false)
            default: throw Bad(text: text, type: "boolean")
            }
        case .int16: guard let v = Int16(text) else { throw Bad(text: text, type: "int2") }; return .int16(v)
        case .int32: guard let v = Int32(text) else { throw Bad(text: text, type: "int4") }; return .int32(v)
        case .int64: guard let v = Int64(text) else { throw Bad(text: text, type: "int8") }; return .int64(v)
        case .float32: return .float32(Float(Self.double(text) ?? .nan))
        case .float64:
            guard let d = Self.double(text) else { throw Bad(text: text, type: "float8") }
            return .float64(d)
        case .decimal(let scale):
            guard let d = ConnectDecimal(text) else { return .null }  // NaN/Infinity have no Decimal form
            guard let r = d.rescaled(to: scale) else { throw Bad(text: text, type: "numeric with scale \(scale)") }
            return .decimal(r)
        case .variableScaleDecimal(let schema):
            guard let d = ConnectDecimal(Self.strippingFractionZeros(text)) else { return .null }
            return .structure(Struct(schema: schema, values: [.int32(d.scale), .bytes(d.twosComplementBytes)]))
        case .decimalAsDouble:
            guard let d = Self.double(text) else { throw Bad(text: text, type: "numeric") }
            return .float64(d)
        case .decimalAsString:
            // Debezium spells the special values as Java's SpecialValueDecimal names them.
            switch text {
            case "NaN": return .string("NAN")
            case "Infinity": return .string("POSITIVE_INFINITY")
            case "-Infinity": return .string("NEGATIVE_INFINITY")
            default: return .string(text)
            }
        case .money(let mode):
            let cleaned = String(text.filter { $0.isNumber || $0 == "." || $0 == "-" })
            let negative = text.hasPrefix("(") || cleaned.hasPrefix("-")
            let digits = String(cleaned.filter { $0 != "-" })
            guard let d = ConnectDecimal((negative ? "-" : "") + digits), let r = d.rescaled(to: 2) else {
                throw Bad(text: text, type: "money")
            }
            switch mode {
            case .precise: return .decimal(r)
            case .double: return .float64(r.doubleValue)
            case .string: return .string(r.description)
            }
        case .string: return .string(text)
        case .bytes(let mode): return BinaryText.convert(text, mode: mode)
        case .bit: return .boolean(text == "1")
        case .bits: return .bytes(BinaryText.bits(text))
        case .dateDays:
            if let inf = Self.infinity(text) { return .int32(inf ? .max : .min) }
            let d = try PgTemporal.parseDate(text)
            guard let v = Int32(exactly: d) else { throw Bad(text: text, type: "date") }
            return .int32(v)
        case .timeMillis: return .int32(Int32(try PgTemporal.parseTime(text) / 1000))
        case .timeMicros: return .int64(try PgTemporal.parseTime(text))
        case .timestampMillis:
            if let inf = Self.infinity(text) { return .int64((inf ? Self.positiveInfinityMillis : Self.negativeInfinityMillis) / 1000) }
            return .int64(Self.floorDiv(try PgTemporal.parseTimestamp(text), 1000))
        case .timestampMicros:
            if let inf = Self.infinity(text) { return .int64(inf ? Self.positiveInfinityMillis : Self.negativeInfinityMillis) }
            return .int64(try PgTemporal.parseTimestamp(text))
        case .zonedTimestamp(let digits):
            if Self.infinity(text) != nil { return .string(text) }
            return .string(PgTemporal.formatZonedTimestamp(epochMicros: try PgTemporal.parseTimestampTz(text), fractionDigits: digits))
        case .zonedTime: return .string(PgTemporal.formatZonedTime(microsOfDay: try PgTemporal.parseTimeTz(text)))
        case .intervalMicros: return .int64(try PgInterval(parsing: text).microDuration)
        case .intervalString: return .string(try PgInterval(parsing: text).isoString)
        case .hstoreJSON, .hstoreMap:
            let pairs = try HstoreText.parse(text)
            if case .hstoreMap = self {
                return .map(pairs.map { MapEntry(.string($0.0), $0.1.map { .string($0) } ?? .null) })
            }
            return .string(HstoreText.json(pairs))
        case .point(let schema):
            guard let (x, y) = Self.point(text) else { throw Bad(text: text, type: "point") }
            return .structure(Struct(schema: schema, values: [.float64(x), .float64(y), .bytes(Self.pointWKB(x, y)), .null]))
        case .unknownBytes: return .bytes(Array(text.utf8))
        case .array(let element, _):
            let items = try PgArrayParser.parse(text)
            // Debezium fails to convert a numeric array holding NaN/±Infinity in precise mode and emits null for it.
            switch element {
            case .decimal, .variableScaleDecimal:
                if items.contains(where: { $0 == "NaN" || $0 == "Infinity" || $0 == "-Infinity" }) { return .null }
            default: break
            }
            return .array(try items.map { item in
                guard let item else { return .null }
                return try element.convertUnchecked(item)
            })
        }
    }

    static func double(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text)
        }
    }

    /// `1.10` → `1.1`, `0.00` → `0`, `100` stays: Debezium's VariableScaleDecimal drops trailing fraction zeros (but
    /// never makes the scale negative), in snapshots and streaming alike. numeric_out never writes exponents.
    static func strippingFractionZeros(_ text: String) -> String {
        guard text.contains("."), !text.contains("e"), !text.contains("E") else { return text }
        var t = Substring(text)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return t.isEmpty || t == "-" ? "0" : String(t)
    }

    /// `(x,y)` as point_out writes it.
    static func point(_ text: String) -> (Double, Double)? {
        guard text.hasPrefix("("), text.hasSuffix(")") else { return nil }
        let parts = text.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2, let x = double(String(parts[0])), let y = double(String(parts[1])) else { return nil }
        return (x, y)
    }

    /// Well-known binary of a 2D point, little-endian, as Debezium's `Point.createValue` writes it (21 bytes).
    static func pointWKB(_ x: Double, _ y: Double) -> [UInt8] {
        var out: [UInt8] = [1, 1, 0, 0, 0]
        for v in [x, y] { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    /// PgJDBC's `PGStatement.DATE_POSITIVE_INFINITY` / `DATE_NEGATIVE_INFINITY` (milliseconds): Debezium reports a
    /// timestamp `infinity` / `-infinity` as these numbers read as microseconds (and divided by 1000 for millisecond
    /// schemas), in snapshots and streaming alike. Consumers compare against the same constants.
    static let positiveInfinityMillis: Int64 = 9_223_372_036_825_200_000
    static let negativeInfinityMillis: Int64 = -9_223_372_036_832_400_000

    static func infinity(_ text: String) -> Bool? {
        text == "infinity" ? true : (text == "-infinity" ? false : nil)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
