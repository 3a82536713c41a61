import JavaCompat
import SluiceAPI

/// Writes a record value as the `_source` line of a bulk request: what JsonConverter (`schemas.enable=false`) writes
/// after the original's `DataConverter.preProcessValue`, with one deliberate difference — a `Date` is written as
/// `"yyyy-MM-dd"` instead of epoch days, which a `date` field would read as milliseconds (1970 dates, issue #62).
enum DocumentWriter {
    /// The document for `value` under `schema` (nil schema: schemaless JSON, written as it is).
    static func write(_ value: Value, schema: Schema?, compactMaps: Bool, into w: inout JSONWriter, path: String = "")
        throws
    {
        guard let schema else { return try writeSchemaless(value, compactMaps: compactMaps, into: &w) }
        var v = value
        if v.isNull {
            if let d = schema.defaultValue {
                v = d
            } else if schema.isOptional {
                return w.null()
            } else {
                throw ConnectError(.dataException,
                    "Conversion error: null value for field that is required and has no default value\(path.isEmpty ? "" : " (\(path))")")
            }
        }
        switch schema.name {
        case Logical.dateName:
            if let days = v.int64Value { return w.string(isoDate(days: days)) }
        case Logical.decimalName:
            if let d = v.doubleValue { return w.double(d) }
        default: break
        }
        switch (schema.type, v) {
        case (.structure, .structure(let s)):
            w.raw(UInt8(ascii: "{"))
            for (i, f) in schema.fields.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                w.string(f.name)
                w.raw(UInt8(ascii: ":"))
                let fv = f.index < s.values.count ? s.values[f.index] : .null
                try write(fv, schema: f.schema, compactMaps: compactMaps, into: &w,
                    path: path.isEmpty ? f.name : path + "." + f.name)
            }
            w.raw(UInt8(ascii: "}"))
        case (.array, .array(let items)):
            w.raw(UInt8(ascii: "["))
            for (i, e) in items.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                try write(e, schema: schema.valueSchema, compactMaps: compactMaps, into: &w, path: path)
            }
            w.raw(UInt8(ascii: "]"))
        case (.map, .map(let entries)):
            if compactMaps && schema.keySchema?.type == .string {
                w.raw(UInt8(ascii: "{"))
                for (i, e) in entries.enumerated() {
                    if i > 0 { w.raw(UInt8(ascii: ",")) }
                    w.string(e.key.stringValue ?? "")
                    w.raw(UInt8(ascii: ":"))
                    try write(e.value, schema: schema.valueSchema, compactMaps: compactMaps, into: &w, path: path)
                }
                w.raw(UInt8(ascii: "}"))
            } else {
                w.raw(UInt8(ascii: "["))
                for (i, e) in entries.enumerated() {
                    if i > 0 { w.raw(UInt8(ascii: ",")) }
                    w.raw("{\"key\":")
                    try write(e.key, schema: schema.keySchema, compactMaps: compactMaps, into: &w, path: path)
                    w.raw(",\"value\":")
                    try write(e.value, schema: schema.valueSchema, compactMaps: compactMaps, into: &w, path: path)
                    w.raw(UInt8(ascii: "}"))
                }
                w.raw(UInt8(ascii: "]"))
            }
        default:
            try writeSchemaless(v, compactMaps: compactMaps, into: &w)
        }
    }

    /// A value without a schema, the way JsonConverter writes it: maps with string keys become objects.
    static func writeSchemaless(_ value: Value, compactMaps: Bool, into w: inout JSONWriter) throws {
        switch value {
        case .null: w.null()
        case .boolean(let b): w.bool(b)
        case .int8, .int16, .int32, .int64: w.int(value.int64Value ?? 0)
        case .float32(let f): w.float(f)
        case .float64(let d): w.double(d)
        case .string(let s): w.string(s)
        case .bytes(let b): w.string(Base64.encodeToString(b))
        case .decimal(let d): w.double(d.doubleValue)
        case .array(let items):
            w.raw(UInt8(ascii: "["))
            for (i, e) in items.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                try writeSchemaless(e, compactMaps: compactMaps, into: &w)
            }
            w.raw(UInt8(ascii: "]"))
        case .map(let entries):
            if entries.allSatisfy({ $0.key.stringValue != nil }) {
                w.raw(UInt8(ascii: "{"))
                for (i, e) in entries.enumerated() {
                    if i > 0 { w.raw(UInt8(ascii: ",")) }
                    w.string(e.key.stringValue ?? "")
                    w.raw(UInt8(ascii: ":"))
                    try writeSchemaless(e.value, compactMaps: compactMaps, into: &w)
                }
                w.raw(UInt8(ascii: "}"))
            } else {
                w.raw(UInt8(ascii: "["))
                for (i, e) in entries.enumerated() {
                    if i > 0 { w.raw(UInt8(ascii: ",")) }
                    w.raw("{\"key\":")
                    try writeSchemaless(e.key, compactMaps: compactMaps, into: &w)
                    w.raw(",\"value\":")
                    try writeSchemaless(e.value, compactMaps: compactMaps, into: &w)
                    w.raw(UInt8(ascii: "}"))
                }
                w.raw(UInt8(ascii: "]"))
            }
        case .structure(let s):
            try write(.structure(s), schema: s.schema, compactMaps: compactMaps, into: &w)
        }
    }

    /// `yyyy-MM-dd` (proleptic Gregorian, years outside 0...9999 with a sign as ISO 8601 wants).
    static func isoDate(days: Int64) -> String {
        let (y, m, d) = CivilCalendar.civil(days: days)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return s.count >= n ? s : String(repeating: "0", count: n - s.count) + s
        }
        let year = y < 0 ? "-" + pad(-y, 4) : (y > 9999 ? "+" + String(y) : pad(y, 4))
        return "\(year)-\(pad(m, 2))-\(pad(d, 2))"
    }
}
