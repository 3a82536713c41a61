import SluiceAPI

/// Reads an Avro binary datum written with an Avro schema into the Connect value of the Connect schema
/// `AvroToConnect` derived from it. Every read is bounds-checked: a truncated or corrupt payload is an error that
/// says so, never a crash.
public struct AvroBinaryDecoder {
    let bytes: [UInt8]
    public internal(set) var pos: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        pos = offset
    }

    public var atEnd: Bool { pos >= bytes.count }

    func truncated() -> ConnectError {
        ConnectError(.serialization, "Avro payload truncated or corrupt at byte \(pos) of \(bytes.count)")
    }

    public mutating func long() throws(ConnectError) -> Int64 {
        var shift: UInt64 = 0
        var n: UInt64 = 0
        while true {
            guard pos < bytes.count, shift < 64 else { throw truncated() }
            let b = bytes[pos]
            pos += 1
            n |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return Int64(bitPattern: n >> 1) ^ -Int64(bitPattern: n & 1)
    }

    mutating func raw(_ count: Int) throws(ConnectError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - pos else { throw truncated() }
        defer { pos += count }
        return bytes[pos..<(pos + count)]
    }

    mutating func blob() throws(ConnectError) -> ArraySlice<UInt8> {
        let n = try long()
        guard n >= 0, n <= Int64(bytes.count - pos) else { throw truncated() }
        return try raw(Int(n))
    }

    mutating func fixedWidth<T: FixedWidthInteger>(_: T.Type) throws(ConnectError) -> T {
        let s = try raw(MemoryLayout<T>.size)
        var x: T = 0
        for (i, b) in s.enumerated() { x |= T(truncatingIfNeeded: b) << (8 * i) }
        return x
    }

    /// Reads one value of Avro schema `a` as a value of Connect schema `c`.
    public mutating func read(_ a: AvroSchema, _ c: Schema) throws(ConnectError) -> Value {
        switch a.kind {
        case .null: return .null
        case .boolean:
            let b = try raw(1)
            return .boolean(b[b.startIndex] != 0)
        case .int:
            let v = try long()
            guard let i = Int32(exactly: v) else { throw truncated() }
            switch c.type {
            case .int8: return .int8(Int8(truncatingIfNeeded: i))
            case .int16: return .int16(Int16(truncatingIfNeeded: i))
            default: return .int32(i)
            }
        case .long: return .int64(try long())
        case .float: return .float32(Float(bitPattern: try fixedWidth(UInt32.self)))
        case .double: return .float64(Double(bitPattern: try fixedWidth(UInt64.self)))
        case .string:
            return .string(String(decoding: try blob(), as: UTF8.self))
        case .bytes, .fixed:
            let b = a.kind == .fixed ? try raw(a.size) : try blob()
            if c.name == Logical.decimalName { return .decimal(ConnectDecimal(twosComplement: Array(b), scale: Logical.scale(of: c))) }
            return .bytes(Array(b))
        case .enumeration:
            let i = try long()
            guard i >= 0, i < Int64(a.symbols.count) else { throw ConnectError(.serialization, "Enum index \(i) out of range for \(a.fullName)") }
            return .string(a.symbols[Int(i)])
        case .array:
            guard let items = a.items else { throw truncated() }
            if c.type == .map, let ks = c.keySchema, let vs = c.valueSchema, items.fields.count == 2 {
                var out: [MapEntry] = []
                try blocks { (d: inout AvroBinaryDecoder) throws(ConnectError) in
                    out.append(MapEntry(try d.read(items.fields[0].schema, ks), try d.read(items.fields[1].schema, vs)))
                }
                return .map(out)
            }
            guard let item = c.valueSchema else { throw truncated() }
            var out: [Value] = []
            try blocks { (d: inout AvroBinaryDecoder) throws(ConnectError) in out.append(try d.read(items, item)) }
            return .array(out)
        case .map:
            guard let values = a.items, let vs = c.valueSchema else { throw truncated() }
            var out: [MapEntry] = []
            try blocks { (d: inout AvroBinaryDecoder) throws(ConnectError) in
                let k = String(decoding: try d.blob(), as: UTF8.self)
                out.append(MapEntry(.string(k), try d.read(values, vs)))
            }
            return .map(out)
        case .record:
            var values: [Value] = []
            values.reserveCapacity(a.fields.count)
            for (i, f) in a.fields.enumerated() {
                guard i < c.fields.count else { throw truncated() }
                values.append(try read(f.schema, c.fields[i].schema))
            }
            return .structure(Struct(schema: c, values: values))
        case .union:
            let i = try long()
            guard i >= 0, i < Int64(a.branches.count) else { throw ConnectError(.serialization, "Union branch \(i) out of range (\(a.branches.count) branches)") }
            let branch = a.branches[Int(i)]
            if branch.kind == .null { return .null }
            if a.optionalShape != nil { return try read(branch, c) }
            // A general union: the Connect Union struct with the matching branch's field set.
            let name = AvroToConnect.unionFieldName(branch)
            guard let f = c.field(name) else { throw ConnectError(.serialization, "No Union field \(name)") }
            var values = Array(repeating: Value.null, count: c.fields.count)
            values[f.index] = try read(branch, f.schema)
            return .structure(Struct(schema: c, values: values))
        }
    }

    /// Avro array/map blocks: counts until 0; a negative count is followed by the block's byte size.
    mutating func blocks(_ item: (inout AvroBinaryDecoder) throws(ConnectError) -> Void) throws(ConnectError) {
        while true {
            var n = try long()
            if n == 0 { return }
            if n < 0 {
                // A negative count is followed by the block's byte size; Int64.min has no positive counterpart.
                guard n != .min else { throw truncated() }
                n = -n
                _ = try long()
            }
            guard n <= Int64(bytes.count - pos) + 1 else { throw truncated() }
            for _ in 0..<n { try item(&self) }
        }
    }
}
