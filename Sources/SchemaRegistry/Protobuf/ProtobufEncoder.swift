import JavaCompat
import SluiceAPI

/// Writes a Connect value as the protobuf encoding of the message `ProtobufFromConnect` derives from its schema,
/// walking the Connect schema directly, with proto3 semantics as protobuf-java's `DynamicMessage` writes them:
/// scalars equal to their default (0, "", false, empty bytes) and nulls are omitted, packed repeated numbers,
/// one length-delimited record per string/bytes/message element or map entry, message fields always written.
public struct ProtobufEncoder {
    public var w: ProtoWireWriter

    public init(capacity: Int = 128) { w = ProtoWireWriter(capacity: capacity) }

    /// Confluent's framing: magic 0, the 4-byte id, the message-index array (`[0]` as the single byte 0).
    public mutating func header(id: Int, messageIndex: [Int]) {
        w.bytes.append(0)
        let id32 = UInt32(truncatingIfNeeded: id)
        w.bytes.append(contentsOf: [UInt8(id32 >> 24), UInt8(truncatingIfNeeded: id32 >> 16), UInt8(truncatingIfNeeded: id32 >> 8), UInt8(truncatingIfNeeded: id32)])
        if messageIndex == [0] {
            w.bytes.append(0)
        } else {
            w.zigzag(Int64(messageIndex.count))
            for i in messageIndex { w.zigzag(Int64(i)) }
        }
    }

    /// A top-level value: a struct's fields, or a primitive as field 1 of its wrapper message.
    public mutating func writeRoot(_ value: Value, _ schema: Schema) throws(ConnectError) {
        var v = value
        if v.isNull, let d = schema.defaultValue { v = d }
        if schema.type == .structure {
            guard case .structure(let st) = v else { throw mismatch(v, schema, "") }
            try writeFields(st, schema, path: "")
        } else {
            try writeField(1, v, schema, path: "")
        }
    }

    mutating func writeFields(_ st: Struct, _ s: Schema, path: String) throws(ConnectError) {
        for f in s.fields {
            let n = try ProtobufFromConnect.number(f)
            var v = f.index < st.values.count ? st.values[f.index] : .null
            if v.isNull, let d = f.schema.defaultValue { v = d }
            let p = path.isEmpty ? f.name : path + "." + f.name
            if v.isNull {
                if !f.schema.isOptional {
                    throw ConnectError(.dataException, "Conversion error: null value for field that is required and has no default value: \(p)")
                }
                continue
            }
            try writeField(n, v, f.schema, path: p)
        }
    }

    /// One field occurrence (or, for arrays and maps, all of them). Nulls were filtered by the caller.
    mutating func writeField(_ n: Int, _ v: Value, _ s: Schema, path: String) throws(ConnectError) {
        switch s.type {
        case .array:
            guard let item = s.valueSchema, case .array(let items) = v else { throw mismatch(v, s, path) }
            if items.isEmpty { return }
            if Self.packable(item) {
                w.tag(n, .lengthDelimited)
                let start = w.beginLength()
                for e in items {
                    guard !e.isNull else { throw ConnectError(.dataException, "Array \(path) contains a null element, which protobuf cannot encode") }
                    try scalar(e, item, path: path)
                }
                w.endLength(start)
            } else {
                for e in items {
                    guard !e.isNull else { throw ConnectError(.dataException, "Array \(path) contains a null element, which protobuf cannot encode") }
                    try element(n, e, item, path: path)
                }
            }
        case .map:
            guard let ks = s.keySchema, let vs = s.valueSchema, case .map(let entries) = v else { throw mismatch(v, s, path) }
            for e in entries {
                w.tag(n, .lengthDelimited)
                let start = w.beginLength()
                if !e.key.isNull { try writeSingle(1, e.key, ks, path: path + ".key") }
                if !e.value.isNull { try writeSingle(2, e.value, vs, path: path + ".value") }
                w.endLength(start)
            }
        default:
            try writeSingle(n, v, s, path: path)
        }
    }

    /// A singular field: omitted when it is a scalar at its default value.
    mutating func writeSingle(_ n: Int, _ v: Value, _ s: Schema, path: String) throws(ConnectError) {
        if Self.isMessage(s) || s.type == .array || s.type == .map {
            if s.type == .array || s.type == .map { try writeField(n, v, s, path: path); return }
            try element(n, v, s, path: path)
            return
        }
        switch (s.type, v) {
        case (.boolean, .boolean(let b)): if b { w.tag(n, .varint); w.bytes.append(1) }
        case (.int8, _), (.int16, _), (.int32, _), (.int64, _):
            guard let i = v.int64Value else { throw mismatch(v, s, path) }
            if i != 0 { w.tag(n, .varint); w.int(s.type == .int64 ? i : Int64(Int32(truncatingIfNeeded: i))) }
        case (.float32, _):
            guard let d = v.doubleValue else { throw mismatch(v, s, path) }
            let bits = (v.float32Payload ?? Float(d)).bitPattern
            if bits != 0 { w.tag(n, .fixed32); w.fixed32(bits) }
        case (.float64, _):
            guard let d = v.doubleValue else { throw mismatch(v, s, path) }
            if d.bitPattern != 0 { w.tag(n, .fixed64); w.fixed64(d.bitPattern) }
        case (.string, .string(let t)): if !t.isEmpty { w.tag(n, .lengthDelimited); w.text(t) }
        case (.bytes, .bytes(let b)): if !b.isEmpty { w.tag(n, .lengthDelimited); w.blob(b) }
        default: throw mismatch(v, s, path)
        }
    }

    /// A repeated (or message) element: always written, even at its default.
    mutating func element(_ n: Int, _ v: Value, _ s: Schema, path: String) throws(ConnectError) {
        switch (s.type, v) {
        case (.string, .string(let t)): w.tag(n, .lengthDelimited); w.text(t)
        case (.bytes, .bytes(let b)): w.tag(n, .lengthDelimited); w.blob(b)
        default:
            guard Self.isMessage(s) else { throw mismatch(v, s, path) }
            w.tag(n, .lengthDelimited)
            let start = w.beginLength()
            try messageBody(v, s, path: path)
            w.endLength(start)
        }
    }

    mutating func messageBody(_ v: Value, _ s: Schema, path: String) throws(ConnectError) {
        switch s.name {
        case Logical.decimalName:
            guard case .decimal(let d) = v else { throw mismatch(v, s, path) }
            let scale = Logical.scale(of: s)
            guard let r = d.scale == scale ? d : d.rescaled(to: scale) else {
                throw ConnectError(.dataException, "BigDecimal has mismatching scale value for given Decimal schema: \(path)")
            }
            w.tag(1, .lengthDelimited); w.blob(r.twosComplementBytes)
            w.tag(2, .varint); w.int(Int64(Self.precision(r)))
            if r.scale != 0 { w.tag(3, .varint); w.int(Int64(r.scale)) }
            return
        case Logical.timestampName:
            guard let ms = v.int64Value else { throw mismatch(v, s, path) }
            let (secs, rem) = Self.floorDivMod(ms, 1000)
            if secs != 0 { w.tag(1, .varint); w.int(secs) }
            if rem != 0 { w.tag(2, .varint); w.int(rem * 1_000_000) }
            return
        case Logical.dateName:
            guard let days = v.int64Value else { throw mismatch(v, s, path) }
            let (y, m, d) = CivilCalendar.civil(days: days)
            if y != 0 { w.tag(1, .varint); w.int(y) }
            w.tag(2, .varint); w.int(m)
            w.tag(3, .varint); w.int(d)
            return
        case Logical.timeName:
            guard let msOfDay = v.int64Value else { throw mismatch(v, s, path) }
            let parts = [msOfDay / 3_600_000, msOfDay / 60_000 % 60, msOfDay / 1000 % 60, msOfDay % 1000 * 1_000_000]
            for (i, p) in parts.enumerated() where p != 0 { w.tag(i + 1, .varint); w.int(p) }
            return
        default:
            break
        }
        guard case .structure(let st) = v else { throw mismatch(v, s, path) }
        try writeFields(st, s, path: path)
    }

    mutating func scalar(_ v: Value, _ s: Schema, path: String) throws(ConnectError) {
        switch (s.type, v) {
        case (.boolean, .boolean(let b)): w.bytes.append(b ? 1 : 0)
        case (.int8, _), (.int16, _), (.int32, _), (.int64, _):
            guard let i = v.int64Value else { throw mismatch(v, s, path) }
            w.int(s.type == .int64 ? i : Int64(Int32(truncatingIfNeeded: i)))
        case (.float32, _):
            guard let d = v.doubleValue else { throw mismatch(v, s, path) }
            w.fixed32((v.float32Payload ?? Float(d)).bitPattern)
        case (.float64, _):
            guard let d = v.doubleValue else { throw mismatch(v, s, path) }
            w.fixed64(d.bitPattern)
        default: throw mismatch(v, s, path)
        }
    }

    /// `BigDecimal.precision()`: the number of decimal digits of the unscaled value (1 for zero).
    static func precision(_ d: ConnectDecimal) -> Int {
        guard let u = d.unscaledInt64 else { return d.unscaledString.utf8.count - (d.isNegative ? 1 : 0) }
        var m = u.magnitude, n = 1
        while m >= 10 { m /= 10; n += 1 }
        return n
    }

    static func packable(_ s: Schema) -> Bool {
        switch s.type {
        case .boolean, .int8, .int16, .int32, .int64, .float32, .float64: return !isMessage(s)
        default: return false
        }
    }

    static func isMessage(_ s: Schema) -> Bool {
        s.type == .structure || ProtobufFromConnect.isLogical(s)
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    func mismatch(_ v: Value, _ s: Schema, _ path: String) -> ConnectError {
        ConnectError(.dataException, "Invalid Java object for schema type \(s.type.javaName): \(v.kindName)\(path.isEmpty ? "" : " for field: \"\(path)\"")")
    }
}

extension Value {
    var float32Payload: Float? { if case .float32(let f) = self { return f } else { return nil } }
}
