import SluiceAPI

/// Java's `toString()` of Connect values, which StringConverter writes (`value.toString()`): `Struct{a=1,b=x}`,
/// `[1, 2]`, `{k=v}`, Java number formats, `Date.toString()` (in UTC) for the temporal logical types.
enum JavaText {
    static func toString(_ value: Value, _ schema: Schema?) -> String {
        var out = ""
        append(value, schema, into: &out)
        return out
    }

    static func append(_ value: Value, _ schema: Schema?, into out: inout String) {
        if let name = schema?.name, let v = value.int64Value {
            switch name {
            case Logical.dateName: out += date(millis: v * Logical.millisPerDay); return
            case Logical.timeName, Logical.timestampName: out += date(millis: v); return
            default: break
            }
        }
        switch value {
        case .null: out += "null"
        case .boolean(let b): out += b ? "true" : "false"
        case .int8(let v): out += String(v)
        case .int16(let v): out += String(v)
        case .int32(let v): out += String(v)
        case .int64(let v): out += String(v)
        case .float32(let f): out += JSONWriter.javaFloat(f)
        case .float64(let d): out += JSONWriter.javaDouble(d)
        case .string(let s): out += s
        case .bytes(let b): out += String(decoding: b, as: UTF8.self)
        case .decimal(let d): out += d.javaString
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                append(item, schema?.valueSchema, into: &out)
            }
            out += "]"
        case .map(let entries):
            out += "{"
            for (i, e) in entries.enumerated() {
                if i > 0 { out += ", " }
                append(e.key, schema?.keySchema, into: &out)
                out += "="
                append(e.value, schema?.valueSchema, into: &out)
            }
            out += "}"
        case .structure(let s):
            out += "Struct{"
            var first = true
            for f in s.schema.fields where f.index < s.values.count && !s.values[f.index].isNull {
                if !first { out += "," }
                first = false
                out += f.name + "="
                append(s.values[f.index], f.schema, into: &out)
            }
            out += "}"
        }
    }

    static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `java.util.Date.toString()` in UTC: `Thu Jan 01 00:00:00 UTC 1970`.
    static func date(millis: Int64) -> String {
        let c = Civil(millis: millis)
        return "\(days[Int(((c.days % 7) + 7) % 7)]) \(months[c.month - 1]) \(pad(c.day)) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) UTC \(c.year)"
    }

    static func pad(_ v: Int, _ width: Int = 2) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// A UTC calendar breakdown of epoch milliseconds (proleptic Gregorian, as `java.time` and our header formats use).
struct Civil {
    var days: Int64
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int

    init(millis: Int64) {
        let d = millis >= 0 ? millis / Logical.millisPerDay : (millis - Logical.millisPerDay + 1) / Logical.millisPerDay
        let rem = Int(millis - d * Logical.millisPerDay)
        days = d
        (year, month, day) = Civil.fromDays(d)
        hour = rem / 3_600_000
        minute = rem / 60_000 % 60
        second = rem / 1000 % 60
        millisecond = rem % 1000
    }

    /// Howard Hinnant's days-to-civil algorithm.
    static func fromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Days since the epoch of a civil date (inverse of `fromDays`).
    static func toDays(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
