import Foundation
import SQL
import SluiceAPI

/// Turns result rows into Connect structs: the value schema (named after the table) built once per query from the
/// result columns and the table's metadata, and one conversion per kept column.
struct RowConverter: @unchecked Sendable {
    /// (result column index, conversion) per schema field, in field order.
    let plan: [(index: Int, conversion: ColumnConversion)]
    let schema: Schema
    let timeZone: TimeZone?
    /// Result columns dropped because their type has no Connect representation.
    let dropped: [String]

    /// `metadata` (by column name) supplies nullability, precision and signedness the result description lacks.
    init(
        columns: [SQLColumn], metadata: [String: SQLColumnInfo], unsigned: Set<String>, schemaName: String?,
        mapping: ColumnMapping, timeZone: TimeZone?
    ) {
        var plan: [(Int, ColumnConversion)] = []
        var dropped: [String] = []
        var builder = SchemaBuilder.struct().name(schemaName)
        for (i, c) in columns.enumerated() {
            let meta = metadata[c.name]
            // PostgreSQL results name the base type (domains resolved), so the result's type name is used first.
            var typeName = c.typeName
            if mapping.kind == .sqlite, typeName.isEmpty, let m = meta { typeName = m.typeName }
            let precision = c.precision ?? meta?.precision
            let scale = c.scale ?? meta?.scale
            guard let conv = mapping.conversion(
                typeName: typeName, precision: precision, scale: scale, unsigned: unsigned.contains(c.name))
            else {
                dropped.append("\(c.name) (\(c.typeName))")
                continue
            }
            let optional = meta?.isNullable ?? c.isNullable ?? true
            builder.addField(c.name, conv.schema(optional: optional))
            plan.append((i, conv))
        }
        self.plan = plan
        self.schema = builder.build()
        self.timeZone = timeZone
        self.dropped = dropped
    }

    func value(_ row: [SQLValue]) -> Value {
        var values: [Value] = []
        values.reserveCapacity(plan.count)
        for (i, conv) in plan { values.append(convert(row[i], conv)) }
        return .structure(Struct(schema: schema, values: values))
    }

    func convert(_ v: SQLValue, _ conv: ColumnConversion) -> Value {
        if case .null = v { return .null }
        switch conv {
        case .boolean:
            switch v {
            case .bool(let b): return .boolean(b)
            case .bytes(let b): return .boolean(b.contains { $0 != 0 })
            case .text(let s): return .boolean(["t", "true", "1", "y", "yes"].contains(s.lowercased()))
            default: return .boolean((v.intValue ?? 0) != 0)
            }
        case .int8: return .int8(Int8(truncatingIfNeeded: integer(v)))
        case .int16: return .int16(Int16(truncatingIfNeeded: integer(v)))
        case .int32: return .int32(Int32(truncatingIfNeeded: integer(v)))
        case .int64: return .int64(integer(v))
        case .float32:
            if case .float(let f) = v { return .float32(f) }
            return .float32(Float(double(v)))
        case .float64: return .float64(double(v))
        case .string: return .string(RowConverter.text(v))
        case .bytes:
            switch v {
            case .bytes(let b): return .bytes(b)
            default: return .bytes(Array(RowConverter.text(v).utf8))
            }
        case .decimal(let scale): return .decimal(RowConverter.decimal(v, scale: scale))
        case .date:
            switch v {
            case .date(let d): return .int32(d)
            case .timestamp(let t): return .int32(Int32(truncatingIfNeeded: SQLTemporal.split(timestamp: t).days))
            default: return .null
            }
        case .time:
            switch v {
            case .time(let t): return .int32(Int32(truncatingIfNeeded: floorDiv(t, 1000)))
            case .timestamp(let t): return .int32(Int32(truncatingIfNeeded: SQLTemporal.split(timestamp: t).micros / 1000))
            default: return .null
            }
        case .timestamp(let wallClock):
            guard let micros = RowConverter.micros(v) else { return .null }
            return .int64(floorDiv(wallClock ? toUTC(micros) : micros, 1000))
        }
    }

    func integer(_ v: SQLValue) -> Int64 {
        switch v {
        case .double(let d): return d.isFinite ? Int64(d.rounded(.towardZero)) : 0
        case .float(let f): return f.isFinite ? Int64(f.rounded(.towardZero)) : 0
        case .bytes(let b): return b.suffix(8).reduce(0) { $0 << 8 | Int64($1) }
        case .decimal(let d): return d.rescaled(to: 0)?.unscaledInt64 ?? Int64(d.doubleValue.rounded(.towardZero))
        default: return v.intValue ?? 0
        }
    }

    func double(_ v: SQLValue) -> Double {
        switch v {
        case .double(let d): return d
        case .float(let f): return Double(f)
        case .decimal(let d): return d.doubleValue
        case .text(let s): return Double(s) ?? .nan
        default: return Double(v.intValue ?? 0)
        }
    }

    /// A value as text for STRING fields (json, uuid, enum, or any type SQLite stored in an untyped column).
    static func text(_ v: SQLValue) -> String {
        switch v {
        case .text(let s), .json(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f): return String(f)
        case .double(let d): return String(d)
        case .decimal(let d): return d.description
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .date(let d): return SQLTemporal.formatDate(d)
        case .time(let t): return SQLTemporal.formatTime(t)
        case .timestamp(let t): return SQLTemporal.formatTimestamp(t)
        case .null: return ""
        }
    }

    /// A value at exactly `scale` digits: extra digits are cut (a Decimal schema has one scale).
    static func decimal(_ v: SQLValue, scale: Int32) -> ConnectDecimal {
        let d: ConnectDecimal
        switch v {
        case .decimal(let x): d = x
        case .int(let i): d = ConnectDecimal(unscaled: i, scale: 0)
        case .bool(let b): d = ConnectDecimal(unscaled: b ? 1 : 0, scale: 0)
        case .double(let x): d = ConnectDecimal(String(x)) ?? ConnectDecimal(unscaled: 0, scale: 0)
        case .float(let x): d = ConnectDecimal(String(x)) ?? ConnectDecimal(unscaled: 0, scale: 0)
        default: d = ConnectDecimal(text(v)) ?? ConnectDecimal(unscaled: 0, scale: 0)
        }
        if let r = d.rescaled(to: scale) { return r }
        var digits = d.unscaledString
        let neg = digits.hasPrefix("-")
        if neg { digits.removeFirst() }
        let cut = Int(d.scale - scale)
        digits = digits.count > cut ? String(digits.dropLast(cut)) : "0"
        guard let unscaled = ConnectDecimal((neg ? "-" : "") + digits) else { return ConnectDecimal(unscaled: 0, scale: scale) }
        return ConnectDecimal(twosComplement: unscaled.twosComplementBytes, scale: scale)
    }

    /// Epoch microseconds of a temporal value (dates at midnight).
    static func micros(_ v: SQLValue) -> Int64? {
        switch v {
        case .timestamp(let t): return t
        case .date(let d): return Int64(d) * SQLTemporal.microsPerDay
        case .int(let ms): return ms * 1000
        case .text(let s): return SQLTemporal.parseTimestamp(s[...])
        default: return nil
        }
    }

    /// Wall-clock microseconds in `db.timezone` → UTC epoch microseconds.
    func toUTC(_ local: Int64) -> Int64 { RowConverter.toUTC(local, timeZone) }

    static func toUTC(_ local: Int64, _ tz: TimeZone?) -> Int64 {
        guard let tz, local != Int64.max, local != Int64.min else { return local }
        let guess = Date(timeIntervalSince1970: Double(floorDiv(local, 1_000_000)))
        var offset = Int64(tz.secondsFromGMT(for: guess))
        offset = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(floorDiv(local, 1_000_000) - offset))))
        return local - offset * 1_000_000
    }

    /// UTC epoch microseconds → wall-clock microseconds in `db.timezone` (for binding bounds of wall-clock columns).
    static func fromUTC(_ utc: Int64, _ tz: TimeZone?) -> Int64 {
        guard let tz, utc != Int64.max, utc != Int64.min else { return utc }
        let secs = Double(floorDiv(utc, 1_000_000))
        return utc + Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: secs))) * 1_000_000
    }
}

/// Integer division rounding toward negative infinity (pre-1970 timestamps stay on the right millisecond).
@inline(__always)
func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
