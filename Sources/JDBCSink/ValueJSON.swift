import SluiceAPI

/// JSON text for nested values (structs, arrays, maps), written into json/jsonb/TEXT columns instead of failing as
/// the original connector does.
enum ValueJSON {
    static func text(_ value: Value) -> String {
        var w = JSONWriter()
        write(value, into: &w)
        return w.string
    }

    static func write(_ value: Value, into w: inout JSONWriter) {
        switch value {
        case .null: w.null()
        case .boolean(let b): w.bool(b)
        case .int8, .int16, .int32, .int64: w.int(value.int64Value ?? 0)
        case .float32(let f): if f.isFinite { w.float(f) } else { w.string(JSONWriter.javaFloat(f)) }
        case .float64(let d): if d.isFinite { w.double(d) } else { w.string(JSONWriter.javaDouble(d)) }
        case .string(let s): w.string(s)
        case .bytes(let b): w.string(base64(b))
        case .decimal(let d): w.bytes.append(contentsOf: d.description.utf8)
        case .array(let items):
            w.raw(UInt8(ascii: "["))
            for (i, e) in items.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                write(e, into: &w)
            }
            w.raw(UInt8(ascii: "]"))
        case .map(let entries):
            if entries.allSatisfy({ $0.key.stringValue != nil }) {
                w.raw(UInt8(ascii: "{"))
                for (i, e) in entries.enumerated() {
                    if i > 0 { w.raw(UInt8(ascii: ",")) }
                    w.string(e.key.stringValue!)
                    w.raw(UInt8(ascii: ":"))
                    write(e.value, into: &w)
                }
                w.raw(UInt8(ascii: "}"))
            } else {  // non-string keys: [[k,v],...] as JsonConverter writes them
                w.raw(UInt8(ascii: "["))
                for (i, e) in entries.enumerated() {
                    if i > 0 { w.raw(UInt8(ascii: ",")) }
                    w.raw(UInt8(ascii: "["))
                    write(e.key, into: &w)
                    w.raw(UInt8(ascii: ","))
                    write(e.value, into: &w)
                    w.raw(UInt8(ascii: "]"))
                }
                w.raw(UInt8(ascii: "]"))
            }
        case .structure(let s):
            w.raw(UInt8(ascii: "{"))
            for f in s.schema.fields {
                if f.index > 0 { w.raw(UInt8(ascii: ",")) }
                w.string(f.name)
                w.raw(UInt8(ascii: ":"))
                write(s.values[f.index], into: &w)
            }
            w.raw(UInt8(ascii: "}"))
        }
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64(_ b: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((b.count + 2) / 3 * 4)
        var i = 0
        while i < b.count {
            let n = min(3, b.count - i)
            let v = UInt32(b[i]) << 16 | (n > 1 ? UInt32(b[i + 1]) << 8 : 0) | (n > 2 ? UInt32(b[i + 2]) : 0)
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(n > 1 ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(n > 2 ? alphabet[Int(v & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
