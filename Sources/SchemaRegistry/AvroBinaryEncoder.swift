import SluiceAPI

/// Writes a Connect value as an Avro binary datum of the schema `AvroFromConnect` derives from its Connect schema,
/// walking the Connect schema directly (no intermediate Avro object), as `AvroData.fromConnectData` + Avro's
/// `GenericDatumWriter` would: optional values are the union `["null",T]` (or `[T,"null"]` with a default), structs
/// substitute field defaults for nulls, maps with non-string keys are arrays of key/value records, one block each.
public struct AvroBinaryEncoder {
    public var bytes: [UInt8]
    let enhancedSchemaSupport: Bool

    public init(capacity: Int = 128, enhancedSchemaSupport: Bool = false) {
        bytes = []
        bytes.reserveCapacity(capacity)
        self.enhancedSchemaSupport = enhancedSchemaSupport
    }

    @inline(__always) public mutating func long(_ v: Int64) {
        var n = UInt64(bitPattern: (v << 1) ^ (v >> 63))
        while n >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        bytes.append(UInt8(n))
    }

    @inline(__always) mutating func blob(_ b: [UInt8]) {
        long(Int64(b.count))
        bytes.append(contentsOf: b)
    }

    @inline(__always) mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { u in
            long(Int64(u.count))
            bytes.append(contentsOf: u)
        }
    }

    /// Writes `value` of `schema`, including the optional union wrapper.
    ///
    /// `path` (the field path, for error messages) is only evaluated on an error: building it per field would cost
    /// an allocation per field per record.
    public mutating func write(_ value: Value, _ schema: Schema, path: @autoclosure () -> String = "") throws(ConnectError) {
        var v = value
        if v.isNull, let d = schema.defaultValue { v = d }
        if schema.isOptional {
            let valueFirst = schema.defaultValue != nil
            if v.isNull {
                long(valueFirst ? 1 : 0)
                return
            }
            long(valueFirst ? 0 : 1)
        } else if v.isNull {
            let p = path()
            throw ConnectError(.dataException, "Conversion error: null value for field that is required and has no default value\(p.isEmpty ? "" : ": " + p)")
        }
        try writeBare(v, schema, path: path())
    }

    mutating func writeBare(_ v: Value, _ s: Schema, path: @autoclosure () -> String) throws(ConnectError) {
        switch (s.type, v) {
        case (.boolean, .boolean(let b)): bytes.append(b ? 1 : 0)
        case (.int8, _), (.int16, _), (.int32, _), (.int64, _):
            guard let i = v.int64Value else { throw mismatch(v, s, path) }
            long(i)
        case (.float32, .float32(let f)): append(f.bitPattern)
        case (.float32, _):
            guard let d = v.doubleValue else { throw mismatch(v, s, path) }
            append(Float(d).bitPattern)
        case (.float64, _):
            guard let d = v.doubleValue else { throw mismatch(v, s, path) }
            append(d.bitPattern)
        case (.string, .string(let t)):
            if enhancedSchemaSupport, s.parameter(AvroFromConnect.enumParam) != nil {
                let symbols = (s.parameters ?? []).filter { $0.key.hasPrefix(AvroFromConnect.enumParam + ".") }.map(\.value)
                guard let i = symbols.firstIndex(of: t) else { throw ConnectError(.dataException, "\(t) is not a symbol of enum \(path())") }
                long(Int64(i))
            } else {
                text(t)
            }
        case (.bytes, .bytes(let b)): blob(b)
        case (.bytes, .decimal(let d)):
            let scale = Logical.scale(of: s)
            guard let r = d.scale == scale ? d : d.rescaled(to: scale) else {
                let p = path()
                throw ConnectError(.dataException, "BigDecimal has mismatching scale value for given Decimal schema\(p.isEmpty ? "" : ": " + p)")
            }
            blob(r.twosComplementBytes)
        case (.array, .array(let items)):
            guard let item = s.valueSchema else { throw mismatch(v, s, path) }
            if !items.isEmpty {
                long(Int64(items.count))
                for e in items { try write(e, item, path: path()) }
            }
            bytes.append(0)
        case (.map, .map(let entries)):
            guard let ks = s.keySchema, let vs = s.valueSchema else { throw mismatch(v, s, path) }
            if !entries.isEmpty {
                long(Int64(entries.count))
                let stringKeys = ks.type == .string && !ks.isOptional
                for e in entries {
                    if stringKeys {
                        guard case .string(let k) = e.key else { throw mismatch(e.key, ks, path) }
                        text(k)
                    } else {
                        try write(e.key, ks, path: path())
                    }
                    try write(e.value, vs, path: path())
                }
            }
            bytes.append(0)
        case (.structure, .structure(let st)):
            for f in s.fields {
                try write(f.index < st.values.count ? st.values[f.index] : .null, f.schema, path: Self.join(path(), f.name))
            }
        default:
            throw mismatch(v, s, path)
        }
    }

    @inline(__always) mutating func append<T: FixedWidthInteger>(_ x: T) {
        withUnsafeBytes(of: x.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func mismatch(_ v: Value, _ s: Schema, _ path: () -> String) -> ConnectError {
        let p = path()
        return ConnectError(.dataException, "Invalid Java object for schema type \(s.type.javaName): \(v.kindName)\(p.isEmpty ? "" : " for field: \"\(p)\"")")
    }

    static func join(_ parent: String, _ name: String) -> String { parent.isEmpty ? name : parent + "." + name }
}
