import SluiceAPI

/// An Avro JSON default (field `default` or `connect.default`) as a Connect value of `schema`.
enum AvroJSONDefault {
    static func value(_ j: JSONValue, _ s: Schema) throws(AvroSchemaError) -> Value {
        if j.isNull { return .null }
        func bad() -> AvroSchemaError { AvroSchemaError("Default \(j.compactString) does not fit \(s.type.javaName)") }
        switch s.type {
        case .boolean: guard let b = j.boolValue else { throw bad() }; return .boolean(b)
        case .int8: guard let i = j.int64Value, let v = Int8(exactly: i) else { throw bad() }; return .int8(v)
        case .int16: guard let i = j.int64Value, let v = Int16(exactly: i) else { throw bad() }; return .int16(v)
        case .int32: guard let i = j.int64Value, let v = Int32(exactly: i) else { throw bad() }; return .int32(v)
        case .int64: guard let i = j.int64Value else { throw bad() }; return .int64(i)
        case .float32: guard let d = j.doubleValue else { throw bad() }; return .float32(Float(d))
        case .float64: guard let d = j.doubleValue else { throw bad() }; return .float64(d)
        case .string: guard let t = j.stringValue else { throw bad() }; return .string(t)
        case .bytes:
            guard let t = j.stringValue else { throw bad() }
            let bytes = t.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
            if s.name == Logical.decimalName { return .decimal(ConnectDecimal(twosComplement: bytes, scale: Logical.scale(of: s))) }
            return .bytes(bytes)
        case .array:
            guard let a = j.arrayValue, let item = s.valueSchema else { throw bad() }
            var out: [Value] = []
            for e in a { out.append(try value(e, item)) }
            return .array(out)
        case .map:
            guard let ks = s.keySchema, let vs = s.valueSchema else { throw bad() }
            if let o = j.objectValue {
                var out: [MapEntry] = []
                for m in o.members { out.append(MapEntry(.string(m.key), try value(m.value, vs))) }
                return .map(out)
            }
            guard let a = j.arrayValue else { throw bad() }
            var out: [MapEntry] = []
            for e in a { out.append(MapEntry(try value(e["key"] ?? .null, ks), try value(e["value"] ?? .null, vs))) }
            return .map(out)
        case .structure:
            guard let o = j.objectValue else { throw bad() }
            var values: [Value] = []
            for f in s.fields { values.append(try value(o[f.name] ?? .null, f.schema)) }
            return .structure(Struct(schema: s, values: values))
        }
    }
}
