import JavaCompat
import SluiceAPI

/// Connect values ↔ the JSON payload of JsonSchemaConverter (Confluent's `JsonSchemaData.fromConnectData` /
/// `toConnectData`): numbers, booleans, strings; BYTES as base64 text; Decimal as base64 of the unscaled
/// two's-complement bytes (`decimal.format=BASE64`, the default) or a plain number (`NUMERIC`); Date/Time/Timestamp
/// as their integers; structs as objects; maps with a required STRING key as objects, other maps as arrays of
/// `{"key":…,"value":…}`.
enum JsonSchemaValues {
    static func json(_ value: Value, _ schema: Schema, numericDecimals: Bool = false) throws(ConnectError) -> JSONValue {
        if value.isNull {
            if let d = schema.defaultValue { return try json(d, schema, numericDecimals: numericDecimals) }
            if schema.isOptional { return .null }
            throw ConnectError(.dataException, "Conversion error: null value for field that is required and has no default value")
        }
        switch (schema.type, value) {
        case (.bytes, .decimal(let d)):
            if numericDecimals { return (try? JSONReader.parse(d.description)) ?? .string(d.description) }
            let scale = Logical.scale(of: schema)
            let bytes = (d.scale == scale ? d : (d.rescaled(to: scale) ?? d)).twosComplementBytes
            return .string(Base64.encodeToString(bytes))
        case (.bytes, .bytes(let b)): return .string(Base64.encodeToString(b))
        case (.int8, _), (.int16, _), (.int32, _), (.int64, _):
            guard let i = value.int64Value else { throw mismatch(schema, value) }
            return .int(i)
        case (.float32, .float32(let f)): return .double(Double(String(f)) ?? Double(f))  // Float.toString digits
        case (.float64, .float64(let d)): return .double(d)
        case (.boolean, .boolean(let b)): return .bool(b)
        case (.string, .string(let s)): return .string(s)
        case (.array, .array(let items)):
            guard let vs = schema.valueSchema else { throw mismatch(schema, value) }
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for i in items { out.append(try json(i, vs, numericDecimals: numericDecimals)) }
            return .array(out)
        case (.map, .map(let entries)):
            guard let ks = schema.keySchema, let vs = schema.valueSchema else { throw mismatch(schema, value) }
            if ks.type == .string && !ks.isOptional {
                var members: [(String, JSONValue)] = []
                for e in entries {
                    guard let k = e.key.stringValue else { throw mismatch(ks, e.key) }
                    members.append((k, try json(e.value, vs, numericDecimals: numericDecimals)))
                }
                return .object(JSONObject(members))
            }
            var out: [JSONValue] = []
            for e in entries {
                out.append(.object(JSONObject([("key", try json(e.key, ks, numericDecimals: numericDecimals)),
                                               ("value", try json(e.value, vs, numericDecimals: numericDecimals))])))
            }
            return .array(out)
        case (.structure, .structure(let st)):
            var members: [(String, JSONValue)] = []
            members.reserveCapacity(schema.fields.count)
            for f in schema.fields {
                members.append((f.name, try json(f.index < st.values.count ? st.values[f.index] : .null, f.schema, numericDecimals: numericDecimals)))
            }
            return .object(JSONObject(members))
        default:
            throw mismatch(schema, value)
        }
    }

    static func mismatch(_ schema: Schema, _ value: Value) -> ConnectError {
        ConnectError(.dataException, "Invalid type for \(schema.type.javaName): \(value.kindName)")
    }

    /// The Connect value of `json` under `schema`; null/absent → the default, null if optional, else an error.
    static func value(_ json: JSONValue?, _ schema: Schema) throws(ConnectError) -> Value {
        guard let json, !json.isNull else {
            if let d = schema.defaultValue { return d }
            if schema.isOptional { return .null }
            throw ConnectError(.dataException, "Invalid null value for required \(schema.type.javaName) field")
        }
        func bad() -> ConnectError {
            ConnectError(.dataException, "Cannot read \(json.compactString.prefix(100)) as \(schema.type.javaName)\(schema.name.map { " (\($0))" } ?? "")")
        }
        switch schema.type {
        case .int8:
            guard let i = json.int64Value, let v = Int8(exactly: i) else { throw bad() }
            return .int8(v)
        case .int16:
            guard let i = json.int64Value, let v = Int16(exactly: i) else { throw bad() }
            return .int16(v)
        case .int32:
            guard let i = json.int64Value, let v = Int32(exactly: i) else { throw bad() }
            return .int32(v)
        case .int64:
            guard case .int(let i) = json else { throw bad() }
            return .int64(i)
        case .float32:
            guard let d = json.doubleValue else { throw bad() }
            return .float32(Float(d))
        case .float64:
            guard let d = json.doubleValue else { throw bad() }
            return .float64(d)
        case .boolean:
            guard let b = json.boolValue else { throw bad() }
            return .boolean(b)
        case .string:
            guard let s = json.stringValue else { throw bad() }
            return .string(s)
        case .bytes:
            if schema.name == Logical.decimalName {
                if case .string(let text) = json {
                    guard let b = try? Base64.decode(Array(text.utf8)) else { throw bad() }
                    return .decimal(ConnectDecimal(twosComplement: b, scale: Logical.scale(of: schema)))
                }
                guard let d = ConnectDecimal(json.compactString) else { throw bad() }
                return .decimal(d.rescaled(to: Logical.scale(of: schema)) ?? d)
            }
            guard let text = json.stringValue, let b = try? Base64.decode(Array(text.utf8)) else { throw bad() }
            return .bytes(b)
        case .array:
            guard let items = json.arrayValue, let vs = schema.valueSchema else { throw bad() }
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for i in items { out.append(try value(i, vs)) }
            return .array(out)
        case .map:
            guard let ks = schema.keySchema, let vs = schema.valueSchema else { throw bad() }
            if let o = json.objectValue {
                var out: [MapEntry] = []
                for m in o { out.append(MapEntry(try value(.string(m.key), ks), try value(m.value, vs))) }
                return .map(out)
            }
            guard let items = json.arrayValue else { throw bad() }
            var out: [MapEntry] = []
            for i in items {
                guard let o = i.objectValue, o.count == 2 else { throw bad() }
                out.append(MapEntry(try value(o["key"], ks), try value(o["value"], vs)))
            }
            return .map(out)
        case .structure:
            guard let o = json.objectValue else { throw bad() }
            var values: [Value] = []
            values.reserveCapacity(schema.fields.count)
            for f in schema.fields { values.append(try value(o[f.name], f.schema)) }
            return .structure(Struct(schema: schema, values: values))
        }
    }
}
