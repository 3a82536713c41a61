import SluiceAPI

/// PostgreSQL type OIDs and the text-format conversions between them and `SQLValue`.
enum PostgresTypes {
    static let bool: UInt32 = 16, bytea: UInt32 = 17, name: UInt32 = 19, int8: UInt32 = 20, int2: UInt32 = 21
    static let int4: UInt32 = 23, text: UInt32 = 25, oidType: UInt32 = 26, json: UInt32 = 114, float4: UInt32 = 700
    static let float8: UInt32 = 701, bpchar: UInt32 = 1042, varchar: UInt32 = 1043, date: UInt32 = 1082
    static let time: UInt32 = 1083, timestamp: UInt32 = 1114, timestamptz: UInt32 = 1184, timetz: UInt32 = 1266
    static let numeric: UInt32 = 1700, uuid: UInt32 = 2950, jsonb: UInt32 = 3802

    static let names: [UInt32: String] = [
        16: "bool", 17: "bytea", 18: "char", 19: "name", 20: "int8", 21: "int2", 23: "int4", 25: "text", 26: "oid",
        114: "json", 142: "xml", 700: "float4", 701: "float8", 790: "money", 1042: "bpchar", 1043: "varchar",
        1082: "date", 1083: "time", 1114: "timestamp", 1184: "timestamptz", 1186: "interval", 1266: "timetz",
        1560: "bit", 1562: "varbit", 1700: "numeric", 2950: "uuid", 3802: "jsonb", 869: "inet", 650: "cidr",
        829: "macaddr", 1000: "_bool", 1005: "_int2", 1007: "_int4", 1016: "_int8", 1009: "_text", 1015: "_varchar",
        1021: "_float4", 1022: "_float8", 1231: "_numeric", 2278: "void", 705: "unknown",
    ]

    static func typeName(_ oid: UInt32) -> String { names[oid] ?? "oid:\(oid)" }

    /// (precision, scale) from a type modifier: numeric packs both, varchar/bpchar carry a length.
    static func precisionScale(oid: UInt32, typmod: Int32) -> (Int?, Int?) {
        guard typmod >= 4 else { return (nil, nil) }
        switch oid {
        case numeric: return (Int(((typmod - 4) >> 16) & 0xFFFF), Int((typmod - 4) & 0xFFFF))
        case varchar, bpchar: return (Int(typmod - 4), nil)
        case time, timestamp, timestamptz, timetz: return (nil, Int(typmod))
        default: return (nil, nil)
        }
    }

    /// Decodes one text-format result value.
    static func decode(oid: UInt32, bytes: UnsafeBufferPointer<UInt8>) throws -> SQLValue {
        func string() -> String { String(decoding: bytes, as: UTF8.self) }
        switch oid {
        case bool: return .bool(bytes.first == UInt8(ascii: "t"))
        case int2, int4, int8, oidType:
            guard let v = parseInt(bytes) else { throw decodeError(oid, string()) }
            return .int(v)
        case float4:
            guard let v = Float(pgFloat(string())) else { throw decodeError(oid, string()) }
            return .float(v)
        case float8:
            guard let v = Double(pgFloat(string())) else { throw decodeError(oid, string()) }
            return .double(v)
        case numeric:
            let s = string()
            if let d = ConnectDecimal(s) { return .decimal(d) }
            return .double(Double(pgFloat(s)) ?? .nan)  // NaN, Infinity
        case bytea: return .bytes(try decodeBytea(bytes))
        case date:
            let s = string()
            if s == "infinity" { return .date(Int32.max) }
            if s == "-infinity" { return .date(Int32.min) }
            guard let d = SQLTemporal.parseDate(s[...]) else { throw decodeError(oid, s) }
            return .date(d)
        case time, timetz:
            var s = string()[...]
            if oid == timetz, let sign = s.lastIndex(where: { $0 == "+" || $0 == "-" }) { s = s[..<sign] }
            guard let t = SQLTemporal.parseTime(s) else { throw decodeError(oid, String(s)) }
            return .time(t)
        case timestamp, timestamptz:
            let s = string()
            if s == "infinity" { return .timestamp(Int64.max) }
            if s == "-infinity" { return .timestamp(Int64.min) }
            guard let t = SQLTemporal.parseTimestamp(s[...]) else { throw decodeError(oid, s) }
            return .timestamp(t)
        case json, jsonb: return .json(string())
        default: return .text(string())
        }
    }

    static func decodeError(_ oid: UInt32, _ text: String) -> SQLError {
        SQLError(.decoding, "cannot decode PostgreSQL \(typeName(oid)) value '\(text.prefix(100))'")
    }

    static func parseInt(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !b.isEmpty else { return nil }
        var i = 0
        var neg = false
        if b[0] == UInt8(ascii: "-") { neg = true; i = 1 }
        guard i < b.count else { return nil }
        var v: Int64 = 0
        while i < b.count {
            let d = b[i] &- 48
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int64(d)
            i += 1
        }
        return neg ? 0 &- v : v  // wrapping so Int64.min parses
    }

    /// PostgreSQL spells infinities `Infinity`; Swift's parser wants `inf`.
    static func pgFloat(_ s: String) -> String {
        switch s {
        case "Infinity": return "inf"
        case "-Infinity": return "-inf"
        default: return s
        }
    }

    static func decodeBytea(_ b: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
        guard b.count >= 2, b[0] == UInt8(ascii: "\\"), b[1] == UInt8(ascii: "x") else {
            throw SQLError(.decoding, "PostgreSQL bytea value is not in hex format (set bytea_output=hex)")
        }
        var out = [UInt8]()
        out.reserveCapacity((b.count - 2) / 2)
        var i = 2
        while i + 1 < b.count {
            guard let hi = hexValue(b[i]), let lo = hexValue(b[i + 1]) else {
                throw SQLError(.decoding, "invalid hex digit in PostgreSQL bytea value")
            }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }

    /// Text for floats in a form PostgreSQL parses back to the same value.
    static func floatText(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        return String(v)
    }

    static func floatText(_ v: Float) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        return String(v)
    }

    /// The OID, text (or binary for bytea) and format of a parameter. Text and JSON go as "unknown" (0) so the server
    /// infers the column's type (text, varchar, json, jsonb, enum...) as it does for literals.
    static func encodeParam(_ v: SQLValue) -> (oid: UInt32, bytes: [UInt8]?, binary: Bool) {
        switch v {
        case .null: return (0, nil, false)
        case .bool(let b): return (bool, b ? [UInt8(ascii: "t")] : [UInt8(ascii: "f")], false)
        case .int(let i): return (int8, Array(String(i).utf8), false)
        case .float(let f): return (float4, Array(floatText(f).utf8), false)
        case .double(let d): return (float8, Array(floatText(d).utf8), false)
        case .decimal(let d): return (numeric, Array(d.description.utf8), false)
        case .text(let s): return (0, Array(s.utf8), false)
        case .json(let s): return (0, Array(s.utf8), false)
        case .bytes(let b): return (bytea, b, true)
        case .date(let d): return (date, Array(dateText(d).utf8), false)
        case .time(let t): return (time, Array(SQLTemporal.formatTime(t).utf8), false)
        case .timestamp(let t): return (timestamp, Array(timestampText(t).utf8), false)
        }
    }

    static func dateText(_ d: Int32) -> String {
        if d == Int32.max { return "infinity" }
        if d == Int32.min { return "-infinity" }
        let c = SQLTemporal.civil(days: Int64(d))
        if c.year <= 0 { return SQLTemporal.formatDate(Int32(SQLTemporal.days(year: 1 - c.year, month: c.month, day: c.day))) + " BC" }
        return SQLTemporal.formatDate(d)
    }

    static func timestampText(_ t: Int64) -> String {
        if t == Int64.max { return "infinity" }
        if t == Int64.min { return "-infinity" }
        let (d, tm) = SQLTemporal.split(timestamp: t)
        let c = SQLTemporal.civil(days: d)
        if c.year <= 0 {
            return SQLTemporal.formatDate(Int32(SQLTemporal.days(year: 1 - c.year, month: c.month, day: c.day))) + " "
                + SQLTemporal.formatTime(tm) + " BC"
        }
        return SQLTemporal.formatTimestamp(t)
    }
}
