import SluiceAPI

/// Java's `toString()` of Connect values: what StringConverter writes (`value.toString()`), what Kafka's
/// FileStreamSinkTask prints (`PrintStream.println(Object)`) and what Cast makes of a value cast to string, so text
/// produced by Sluice matches a Kafka Connect worker's byte for byte.
///
/// `Struct{a=1,b=x}` (null fields skipped, bare commas), `[1, 2]`, `{k=v}`, Java's number formats
/// (`Float.toString`, `BigDecimal.toString`), and `java.util.Date.toString()` in UTC for the Date, Time and
/// Timestamp logical types. Only `byte[]` differs: Java prints `[B@1b6d3586`, useless, so callers choose a readable
/// form (`BytesText`).
public enum JavaText {
    /// How `bytes` values print.
    public enum BytesText: Sendable {
        /// Standard base64, the form JsonConverter and Cast use.
        case base64
        /// The bytes read as UTF-8 text (StringConverter: bytes that are text come out as that text).
        case utf8
    }

    /// `String.valueOf(value)`; `schema` picks the logical types (Date/Time/Timestamp print as dates).
    public static func toString(_ value: Value, schema: Schema? = nil, bytes: BytesText = .base64) -> String {
        // The common scalar cases (Cast runs this per record) without building the string piecewise.
        if schema?.name == nil {
            switch value {
            case .int8(let v): return long(Int64(v))
            case .int16(let v): return long(Int64(v))
            case .int32(let v): return long(Int64(v))
            case .int64(let v): return long(v)
            case .string(let s): return s
            default: break
            }
        }
        var out = ""
        append(value, schema: schema, bytes: bytes, into: &out)
        return out
    }

    /// Appends `toString(value, schema:, bytes:)` to `out`.
    public static func append(_ value: Value, schema: Schema?, bytes: BytesText = .base64, into out: inout String) {
        if let name = schema?.name, let v = value.int64Value {
            switch name {
            case Logical.dateName: out += dateString(epochMillis: v &* CivilCalendar.millisPerDay); return
            case Logical.timeName, Logical.timestampName: out += dateString(epochMillis: v); return
            default: break
            }
        }
        switch value {
        case .null: out += "null"
        case .boolean(let b): out += b ? "true" : "false"
        case .int8(let v): out += long(Int64(v))
        case .int16(let v): out += long(Int64(v))
        case .int32(let v): out += long(Int64(v))
        case .int64(let v): out += long(v)
        case .float32(let f): out += JSONWriter.javaFloat(f)
        case .float64(let d): out += JSONWriter.javaDouble(d)
        case .string(let s): out += s
        case .bytes(let b):
            switch bytes {
            case .base64: out += Base64.encodeToString(b)
            case .utf8: out += String(decoding: b, as: UTF8.self)
            }
        case .decimal(let d): out += d.javaString
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                append(item, schema: schema?.valueSchema, bytes: bytes, into: &out)
            }
            out += "]"
        case .map(let entries):
            out += "{"
            for (i, e) in entries.enumerated() {
                if i > 0 { out += ", " }
                append(e.key, schema: schema?.keySchema, bytes: bytes, into: &out)
                out += "="
                append(e.value, schema: schema?.valueSchema, bytes: bytes, into: &out)
            }
            out += "}"
        case .structure(let s):
            // Struct.toString skips null fields and separates with a bare comma.
            out += "Struct{"
            var first = true
            for f in s.schema.fields where f.index < s.values.count && !s.values[f.index].isNull {
                if !first { out += "," }
                first = false
                out += f.name + "="
                append(s.values[f.index], schema: f.schema, bytes: bytes, into: &out)
            }
            out += "}"
        }
    }

    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `java.util.Date.toString()` in UTC: `Thu Jan 01 00:00:00 UTC 1970`.
    public static func dateString(epochMillis: Int64) -> String {
        let c = CivilDateTime(epochMillis: epochMillis)
        let weekday = dayNames[Int(CivilCalendar.isoWeekday(days: c.days) - 1)]
        return "\(weekday) \(monthNames[c.month - 1]) \(pad(c.day)) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) UTC \(c.year)"
    }

    /// `v` left-padded with zeros to `width` characters (date and time fields).
    public static func pad(_ v: Int, _ width: Int = 2) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `Long.toString(v)` written straight into a new (small) string: casts to string run per record, and
    /// `String(v)` (generic radix formatting) costs about twice as many instructions.
    public static func long(_ v: Int64) -> String {
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
