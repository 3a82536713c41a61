import JavaCompat
import SluiceAPI

/// Decodes a protobuf message into a Connect value following a `ProtoReadMessage` plan: absent fields take their
/// proto3 defaults (messages stay null), unknown field numbers are skipped, repeated numbers are accepted packed or
/// not, the last occurrence of a singular field wins. Every malformed input throws `ProtoWireError`.
struct ProtobufDecoder {
    var r: ProtoWireReader

    init(_ bytes: [UInt8], offset: Int) { r = ProtoWireReader(bytes, offset: offset) }

    /// Confluent's message-index array after the 5-byte header: a zig-zag count, then that many zig-zag indexes;
    /// a count of 0 means `[0]`.
    mutating func messageIndexes() throws(ProtoWireError) -> [Int] {
        let count = try r.zigzag()
        if count == 0 { return [0] }
        guard count > 0, count <= 64, count <= Int64(r.end - r.pos) else { throw .invalidMessageIndexes }
        var out: [Int] = []
        for _ in 0..<count {
            let i = try r.zigzag()
            guard i >= 0, i < Int64(Int32.max) else { throw .invalidMessageIndexes }
            out.append(Int(i))
        }
        return out
    }

    mutating func message(_ plan: ProtoReadMessage, end: Int) throws(ProtoWireError) -> Struct {
        var values = plan.fields.map(\.absent)
        let saved = r.end
        r.end = end
        defer { r.end = saved }
        while !r.atEnd {
            let (number, wt) = try r.tag()
            guard let i = plan.index(number) else {
                try r.skip(wt)
                continue
            }
            let f = plan.fields[i]
            if case .map(let kk, let ka, let vk, let va) = f.kind {
                guard wt == 2 else { throw .wrongWireType(field: f.name, got: wt) }
                let entry = try r.lengthDelimited()
                var key = ka, value = va
                let savedEnd = r.end
                r.end = entry.upperBound
                r.pos = entry.lowerBound
                while !r.atEnd {
                    let (n, w) = try r.tag()
                    if n == 1 { key = try single(kk, w, f.name + ".key") } else if n == 2 { value = try single(vk, w, f.name + ".value") } else { try r.skip(w) }
                }
                r.end = savedEnd
                r.pos = entry.upperBound
                guard case .map(var entries) = values[i] else { continue }
                entries.append(MapEntry(key, value))
                values[i] = .map(entries)
            } else if f.repeated {
                guard case .array(var items) = values[i] else { continue }
                if wt == 2 && f.kind.packable {
                    let body = try r.lengthDelimited()
                    let savedEnd = r.end
                    r.end = body.upperBound
                    r.pos = body.lowerBound
                    while !r.atEnd { items.append(try scalar(f.kind, f.name)) }
                    r.end = savedEnd
                } else {
                    items.append(try single(f.kind, wt, f.name))
                }
                values[i] = .array(items)
            } else {
                values[i] = try single(f.kind, wt, f.name)
            }
        }
        return Struct(schema: plan.schema, values: values)
    }

    /// One value of `kind` whose tag had wire type `wt`.
    mutating func single(_ kind: ProtoReadKind, _ wt: UInt8, _ name: String) throws(ProtoWireError) -> Value {
        let expected: UInt8
        switch kind {
        case .sfixed32, .fixed32, .float: expected = 5
        case .sfixed64, .fixed64, .double: expected = 1
        case .string, .bytes, .message, .map, .timestamp, .date, .timeOfDay, .decimal: expected = 2
        default: expected = 0
        }
        guard wt == expected else { throw .wrongWireType(field: name, got: wt) }
        switch kind {
        case .string:
            return .string(r.string(try r.lengthDelimited()))
        case .bytes:
            return .bytes(Array(r.bytes[try r.lengthDelimited()]))
        case .message(let p):
            let body = try r.lengthDelimited()
            r.pos = body.lowerBound
            let s = try message(p, end: body.upperBound)
            r.pos = body.upperBound
            return .structure(s)
        case .timestamp, .date, .timeOfDay, .decimal:
            let body = try r.lengthDelimited()
            r.pos = body.lowerBound
            let v = try wellKnown(kind, end: body.upperBound, name)
            r.pos = body.upperBound
            return v
        default:
            return try scalar(kind, name)
        }
    }

    /// A number, bool or enum (also the elements of a packed run).
    mutating func scalar(_ kind: ProtoReadKind, _ name: String) throws(ProtoWireError) -> Value {
        switch kind {
        case .int32(let t):
            let v = Int32(truncatingIfNeeded: try r.varint())
            switch t {
            case .int8: return .int8(Int8(truncatingIfNeeded: v))
            case .int16: return .int16(Int16(truncatingIfNeeded: v))
            default: return .int32(v)
            }
        case .sint32: return .int32(Int32(truncatingIfNeeded: try r.zigzag()))
        case .sfixed32: return .int32(Int32(bitPattern: try r.fixed32()))
        case .int64, .uint64: return .int64(Int64(bitPattern: try r.varint()))
        case .sint64: return .int64(try r.zigzag())
        case .sfixed64, .fixed64: return .int64(Int64(bitPattern: try r.fixed64()))
        case .uint32: return .int64(Int64(UInt32(truncatingIfNeeded: try r.varint())))
        case .fixed32: return .int64(Int64(try r.fixed32()))
        case .float: return .float32(Float(bitPattern: try r.fixed32()))
        case .double: return .float64(Double(bitPattern: try r.fixed64()))
        case .bool: return .boolean(try r.varint() != 0)
        case .enumeration(let names):
            let n = Int(Int32(truncatingIfNeeded: try r.varint()))
            return .string(names[n] ?? String(n))
        default:
            throw .wrongWireType(field: name, got: 0)
        }
    }

    /// google.protobuf.Timestamp / google.type.Date / google.type.TimeOfDay / confluent.type.Decimal bodies.
    mutating func wellKnown(_ kind: ProtoReadKind, end: Int, _ name: String) throws(ProtoWireError) -> Value {
        var ints: [Int64] = [0, 0, 0, 0, 0]
        var blob: [UInt8] = []
        let saved = r.end
        r.end = end
        while !r.atEnd {
            let (n, w) = try r.tag()
            if case .decimal = kind, n == 1 {
                guard w == 2 else { throw .wrongWireType(field: name, got: w) }
                blob = Array(r.bytes[try r.lengthDelimited()])
            } else if n <= 4, w == 0 {
                ints[n] = Int64(bitPattern: try r.varint())
            } else {
                try r.skip(w)
            }
        }
        r.end = saved
        switch kind {
        case .timestamp:
            let nanos = Int64(Int32(truncatingIfNeeded: ints[2]))
            let (ms, o1) = ints[1].multipliedReportingOverflow(by: 1000)
            let (sum, o2) = ms.addingReportingOverflow(nanos / 1_000_000)
            guard !o1, !o2 else { throw .outOfRange(name) }
            return .int64(sum)
        case .date:
            let (y, m, d) = (Int64(Int32(truncatingIfNeeded: ints[1])), Int64(Int32(truncatingIfNeeded: ints[2])), Int64(Int32(truncatingIfNeeded: ints[3])))
            guard (1...12).contains(m), (1...31).contains(d) else { throw .outOfRange(name) }
            let days = CivilCalendar.days(year: y, month: m, day: d)
            guard let v = Int32(exactly: days) else { throw .outOfRange(name) }
            return .int32(v)
        case .timeOfDay:
            let ms = (Int64(Int32(truncatingIfNeeded: ints[1])) * 3600 + Int64(Int32(truncatingIfNeeded: ints[2])) * 60
                      + Int64(Int32(truncatingIfNeeded: ints[3]))) * 1000 + Int64(Int32(truncatingIfNeeded: ints[4])) / 1_000_000
            guard let v = Int32(exactly: ms) else { throw .outOfRange(name) }
            return .int32(v)
        default:
            return .decimal(ConnectDecimal(twosComplement: blob, scale: Int32(truncatingIfNeeded: ints[3])))
        }
    }
}
