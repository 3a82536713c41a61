import JavaCompat
import SluiceAPI

/// The text forms of header values that `SimpleHeaderConverter` uses (`Values.convertToString` / `parseString` in
/// Kafka): numbers, booleans and ISO-8601 dates, times and timestamps are recognised when parsing; everything else
/// stays a string. Arrays and maps are written in Kafka's `[a,b]` / `{k:v}` form but read back as strings.
enum HeaderValues {
    /// `Values.convertToString`: the text a header value is stored as.
    static func format(_ value: Value, _ schema: Schema?) -> String {
        var out = ""
        append(value, schema, embedded: false, into: &out)
        return out
    }

    static func append(_ value: Value, _ schema: Schema?, embedded: Bool, into out: inout String) {
        if let name = schema?.name, let v = value.int64Value {
            switch name {
            case Logical.dateName: out += temporal(millis: v * Logical.millisPerDay); return
            case Logical.timeName, Logical.timestampName: out += temporal(millis: v); return
            default: break
            }
        }
        switch value {
        case .null: out += "null"
        case .string(let s): out += embedded ? "\"" + escape(s) + "\"" : s
        case .bytes(let b):
            let text = Base64.encodeToString(b)
            out += embedded ? "\"" + text + "\"" : text
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                append(item, schema?.valueSchema, embedded: true, into: &out)
            }
            out += "]"
        case .map(let entries):
            out += "{"
            for (i, e) in entries.enumerated() {
                if i > 0 { out += "," }
                append(e.key, schema?.keySchema, embedded: true, into: &out)
                out += ":"
                append(e.value, schema?.valueSchema, embedded: true, into: &out)
            }
            out += "}"
        case .structure(let s):
            out += "{"
            for (i, f) in s.schema.fields.enumerated() {
                if i > 0 { out += "," }
                append(.string(f.name), nil, embedded: true, into: &out)
                out += ":"
                var v = i < s.values.count ? s.values[i] : .null
                if v.isNull, let d = f.schema.defaultValue { v = d }
                append(v, f.schema, embedded: true, into: &out)
            }
            out += "}"
        default:
            JavaText.append(value, schema: nil, into: &out)
        }
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch == "\\" { out += "\\\\" } else if ch == "\"" { out += "\\\"" } else { out.append(ch) }
        }
        return out
    }

    /// `Values.dateFormatFor`: a time of day below one day of millis, a date at exact midnight, else a timestamp.
    static func temporal(millis: Int64) -> String {
        let c = CivilDateTime(epochMillis: millis)
        let time = "\(JavaText.pad(c.hour)):\(JavaText.pad(c.minute)):\(JavaText.pad(c.second)).\(JavaText.pad(c.millisecond, 3))Z"
        if millis < Logical.millisPerDay { return time }
        let date = "\(JavaText.pad(c.year, 4))-\(JavaText.pad(c.month))-\(JavaText.pad(c.day))"
        if millis % Logical.millisPerDay == 0 { return date }
        return date + "T" + time
    }

    /// `Values.parseString`: infers the type of header text.
    static func parse(_ text: String) -> SchemaAndValue {
        if text.isEmpty { return SchemaAndValue(schema: .string, value: .string(text)) }
        let token = javaTrim(text)
        switch token {
        case "null": return .null
        case "true": return SchemaAndValue(schema: .boolean, value: .boolean(true))
        case "false": return SchemaAndValue(schema: .boolean, value: .boolean(false))
        default: break
        }
        let utf8 = Array(token.utf8)
        guard let first = utf8.first else { return SchemaAndValue(schema: .string, value: .string(text)) }
        let isDigit = first >= 0x30 && first <= 0x39
        if isDigit, let t = parseTemporal(utf8) { return t }
        if isDigit || first == UInt8(ascii: "+") || first == UInt8(ascii: "-"), let n = parseNumber(token) { return n }
        return SchemaAndValue(schema: .string, value: .string(text))
    }

    /// Java's `String.trim()`: strips code points up to U+0020.
    static func javaTrim(_ s: String) -> String {
        var sub = Substring(s)
        while let f = sub.unicodeScalars.first, f.value <= 0x20 { sub = Substring(sub.unicodeScalars.dropFirst()) }
        while let l = sub.unicodeScalars.last, l.value <= 0x20 { sub = Substring(sub.unicodeScalars.dropLast()) }
        return String(sub)
    }

    static func parseNumber(_ token: String) -> SchemaAndValue? {
        let body = token.hasPrefix("+") ? String(token.dropFirst()) : token
        guard isJavaDecimal(Array(token.utf8)), let d = ConnectDecimal(body) else { return nil }
        if let i = integral(d) {
            if let v = Int8(exactly: i) { return SchemaAndValue(schema: .int8, value: .int8(v)) }
            if let v = Int16(exactly: i) { return SchemaAndValue(schema: .int16, value: .int16(v)) }
            if let v = Int32(exactly: i) { return SchemaAndValue(schema: .int32, value: .int32(v)) }
            return SchemaAndValue(schema: .int64, value: .int64(i))
        }
        if d.scale != 0 {
            if let f = Float(body), f.isFinite { return SchemaAndValue(schema: .float32, value: .float32(f)) }
            if let v = Double(body), v.isFinite { return SchemaAndValue(schema: .float64, value: .float64(v)) }
        }
        return SchemaAndValue(schema: Logical.decimal(scale: d.scale), value: .decimal(d))
    }

    /// The value as Int64 when it is a whole number in range (`1.0` and `1E+2` count, as in Kafka).
    static func integral(_ d: ConnectDecimal) -> Int64? {
        if d.unscaledInt64 == 0 { return 0 }
        // 10^19 already overflows Int64: skip rescaling (which would build huge digit strings for `1E+999999`).
        guard d.scale >= -18 else { return nil }
        return d.rescaled(to: 0)?.unscaledInt64  // nil when non-zero fraction digits would be dropped
    }

    /// The `new BigDecimal(String)` grammar: sign, digits with at most one point, optional exponent.
    static func isJavaDecimal(_ b: [UInt8]) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        var dot = false
        while i < b.count {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                digits += 1
            } else if c == UInt8(ascii: ".") && !dot {
                dot = true
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { return false }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            let expStart = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            if i == expStart { return false }
        }
        return i == b.count
    }

    /// `yyyy-MM-dd`, `HH:mm:ss.SSS'Z'` and `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` in UTC.
    static func parseTemporal(_ b: [UInt8]) -> SchemaAndValue? {
        func num(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        func date(_ at: Int) -> Int64? {
            guard b[at + 4] == UInt8(ascii: "-"), b[at + 7] == UInt8(ascii: "-"),
                let y = num(at, 4), let m = num(at + 5, 2), let d = num(at + 8, 2), (1...12).contains(m), (1...31).contains(d)
            else { return nil }
            return CivilCalendar.days(year: Int64(y), month: Int64(m), day: Int64(d))
        }
        func time(_ at: Int) -> Int64? {
            guard b[at + 2] == UInt8(ascii: ":"), b[at + 5] == UInt8(ascii: ":"), b[at + 8] == UInt8(ascii: "."),
                b[at + 12] == UInt8(ascii: "Z"), let h = num(at, 2), let mi = num(at + 3, 2), let s = num(at + 6, 2),
                let ms = num(at + 9, 3), h < 24, mi < 60, s < 60
            else { return nil }
            return Int64(((h * 60 + mi) * 60 + s) * 1000 + ms)
        }
        switch b.count {
        case 10:
            return date(0).map { SchemaAndValue(schema: Logical.date, value: .int32(Int32(truncatingIfNeeded: $0))) }
        case 13:
            return time(0).map { SchemaAndValue(schema: Logical.time, value: .int32(Int32($0))) }
        case 24:
            guard b[10] == UInt8(ascii: "T"), let d = date(0), let t = time(11) else { return nil }
            return SchemaAndValue(schema: Logical.timestamp, value: .int64(d * Logical.millisPerDay + t))
        default:
            return nil
        }
    }
}
