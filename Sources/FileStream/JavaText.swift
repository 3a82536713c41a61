import Foundation
import SluiceAPI

/// Renders a Connect value as text the way Kafka's `FileStreamSinkTask` prints it (`PrintStream.println(Object)`,
/// i.e. Java's `toString`), so a pipeline moved from Kafka Connect writes the same sink file.
///
/// Where Java's text is useless (`byte[]` prints as `[B@1b6d3586`), the bytes are written as standard base64, the form
/// JsonConverter uses. Date, Time and Timestamp print like `java.util.Date.toString()` in UTC.
enum JavaText {
    static func render(_ value: Value, schema: Schema?) -> String {
        var out = ""
        write(value, schema: schema, into: &out)
        return out
    }

    static func write(_ value: Value, schema: Schema?, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .string(let s): out += s
        case .boolean(let b): out += b ? "true" : "false"
        case .int8(let v): out += String(v)
        case .int16(let v): out += String(v)
        case .int32(let v):
            if schema?.name == Logical.dateName {
                out += javaDate(millis: Int64(v) * Logical.millisPerDay)
            } else if schema?.name == Logical.timeName {
                out += javaDate(millis: Int64(v))
            } else {
                out += String(v)
            }
        case .int64(let v):
            out += schema?.name == Logical.timestampName ? javaDate(millis: v) : String(v)
        case .float32(let f): out += JSONWriter.javaFloat(f)
        case .float64(let d): out += JSONWriter.javaDouble(d)
        case .decimal(let d): out += d.description
        case .bytes(let b): out += Data(b).base64EncodedString()
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                write(item, schema: schema?.valueSchema, into: &out)
            }
            out += "]"
        case .map(let entries):
            out += "{"
            for (i, e) in entries.enumerated() {
                if i > 0 { out += ", " }
                write(e.key, schema: schema?.keySchema, into: &out)
                out += "="
                write(e.value, schema: schema?.valueSchema, into: &out)
            }
            out += "}"
        case .structure(let s):
            // Struct.toString skips null fields and separates with a bare comma.
            out += "Struct{"
            var first = true
            for f in s.schema.fields {
                let v = s[f.index]
                if v.isNull { continue }
                if !first { out += "," }
                first = false
                out += f.name + "="
                write(v, schema: f.schema, into: &out)
            }
            out += "}"
        }
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `java.util.Date.toString()` in UTC: `Thu Jan 01 00:00:00 UTC 1970`.
    static func javaDate(millis: Int64) -> String {
        var seconds = time_t(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        var tm = tm()
        gmtime_r(&seconds, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[Int(tm.tm_wday)]) \(months[Int(tm.tm_mon)]) \(two(tm.tm_mday)) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) UTC \(tm.tm_year + 1900)"
    }
}
