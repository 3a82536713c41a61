import SluiceAPI

/// How to read one (writer Avro schema, Connect schema) pair, worked out once per schema id instead of per record:
/// `AvroBinaryDecoder.read(_:_:)` decides the same things from the two schemas on every value (which Connect integer
/// type, decimal scale from the parameter text, the optional-union shape, field lists copied per record).
/// The plan makes exactly the generic reader's decisions; anything it does not cover (general unions, mismatched
/// shapes, very deep or recursive schemas) keeps the generic reader, so errors read the same.
final class AvroReadPlan: Sendable {
    indirect enum Op: Sendable {
        case null, boolean, int8, int16, int32, long, float, double, string, bytes
        case fixed(Int)
        case decimal(scale: Int32, fixedSize: Int?)
        case array(AvroReadPlan)
        case mapEntries(AvroReadPlan, AvroReadPlan)
        case map(AvroReadPlan)
        case record(Schema, [AvroReadPlan])
        case optional(nullIndex: Int, branches: Int, AvroReadPlan)
        /// The generic reader with these schemas.
        case generic(AvroSchema, Schema)
    }

    let op: Op

    init(_ op: Op) { self.op = op }

    static func make(_ a: AvroSchema, _ c: Schema, depth: Int = 0) -> AvroReadPlan {
        AvroReadPlan(op(a, c, depth: depth))
    }

    static func op(_ a: AvroSchema, _ c: Schema, depth: Int) -> Op {
        guard depth < 64 else { return .generic(a, c) }
        switch a.kind {
        case .null: return .null
        case .boolean: return .boolean
        case .int:
            switch c.type {
            case .int8: return .int8
            case .int16: return .int16
            default: return .int32
            }
        case .long: return .long
        case .float: return .float
        case .double: return .double
        case .string: return .string
        case .bytes, .fixed:
            let size: Int? = a.kind == .fixed ? a.size : nil
            if c.name == Logical.decimalName { return .decimal(scale: Logical.scale(of: c), fixedSize: size) }
            return size.map { .fixed($0) } ?? .bytes
        case .array:
            guard let items = a.items else { return .generic(a, c) }
            if c.type == .map, let ks = c.keySchema, let vs = c.valueSchema, items.fields.count == 2 {
                return .mapEntries(make(items.fields[0].schema, ks, depth: depth + 1), make(items.fields[1].schema, vs, depth: depth + 1))
            }
            guard let item = c.valueSchema else { return .generic(a, c) }
            return .array(make(items, item, depth: depth + 1))
        case .map:
            guard let values = a.items, let vs = c.valueSchema else { return .generic(a, c) }
            return .map(make(values, vs, depth: depth + 1))
        case .record:
            guard a.fields.count <= c.fields.count else { return .generic(a, c) }
            return .record(c, a.fields.enumerated().map { i, f in make(f.schema, c.fields[i].schema, depth: depth + 1) })
        case .union:
            guard let shape = a.optionalShape else { return .generic(a, c) }
            return .optional(nullIndex: shape.nullIndex, branches: a.branches.count, make(shape.value, c, depth: depth + 1))
        case .enumeration:
            return .generic(a, c)
        }
    }
}

extension AvroBinaryDecoder {
    /// Reads one value as `plan` says (see `AvroReadPlan`).
    mutating func read(_ plan: AvroReadPlan) throws(ConnectError) -> Value {
        switch plan.op {
        case .null: return .null
        case .boolean:
            guard pos < bytes.count else { throw truncated() }
            defer { pos += 1 }
            return .boolean(bytes[pos] != 0)
        case .int8, .int16, .int32:
            let v = try long()
            guard let i = Int32(exactly: v) else { throw truncated() }
            if case .int8 = plan.op { return .int8(Int8(truncatingIfNeeded: i)) }
            if case .int16 = plan.op { return .int16(Int16(truncatingIfNeeded: i)) }
            return .int32(i)
        case .long: return .int64(try long())
        case .float: return .float32(Float(bitPattern: try littleEndian32()))
        case .double: return .float64(Double(bitPattern: try littleEndian64()))
        case .string: return .string(String(decoding: try blob(), as: UTF8.self))
        case .bytes: return .bytes(Array(try blob()))
        case .fixed(let n): return .bytes(Array(try raw(n)))
        case .decimal(let scale, let size):
            let b: ArraySlice<UInt8>
            if let size { b = try raw(size) } else { b = try blob() }
            return .decimal(ConnectDecimal(twosComplement: Array(b), scale: scale))
        case .array(let item):
            var out: [Value] = []
            try blocks { (d: inout AvroBinaryDecoder) throws(ConnectError) in out.append(try d.read(item)) }
            return .array(out)
        case .mapEntries(let k, let v):
            var out: [MapEntry] = []
            try blocks { (d: inout AvroBinaryDecoder) throws(ConnectError) in out.append(MapEntry(try d.read(k), try d.read(v))) }
            return .map(out)
        case .map(let v):
            var out: [MapEntry] = []
            try blocks { (d: inout AvroBinaryDecoder) throws(ConnectError) in
                let key = String(decoding: try d.blob(), as: UTF8.self)
                out.append(MapEntry(.string(key), try d.read(v)))
            }
            return .map(out)
        case .record(let schema, let fields):
            var values: [Value] = []
            values.reserveCapacity(schema.fields.count)
            for f in fields { values.append(try read(f)) }
            return .structure(Struct(schema: schema, values: values))
        case .optional(let nullIndex, let branches, let value):
            let i = try long()
            guard i >= 0, i < Int64(branches) else { throw ConnectError(.serialization, "Union branch \(i) out of range (\(branches) branches)") }
            return i == Int64(nullIndex) ? .null : try read(value)
        case .generic(let a, let c):
            return try read(a, c)
        }
    }

    mutating func littleEndian32() throws(ConnectError) -> UInt32 {
        guard bytes.count - pos >= 4 else { throw truncated() }
        defer { pos += 4 }
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: pos, as: UInt32.self) }.littleEndian
    }

    mutating func littleEndian64() throws(ConnectError) -> UInt64 {
        guard bytes.count - pos >= 8 else { throw truncated() }
        defer { pos += 8 }
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: pos, as: UInt64.self) }.littleEndian
    }
}
