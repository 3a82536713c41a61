import JavaCompat
import SluiceAPI

/// Reads JsonConverter payload JSON straight into Connect values, guided by the compiled schema plan
/// (`JsonConverter.convertToConnect` in Kafka) — no intermediate JSON tree, struct keys matched in place.
///
/// Numeric coercions follow Jackson's (`intValue()` truncates and wraps, integers widen to floats); where Jackson
/// would silently produce `0`, `false` or `null` for a value of the wrong JSON type, this throws a `DataException`
/// naming the expected and found types instead, because a silently zeroed field is worse than a clear error.
struct JsonPayloadDecoder: Sendable {
    let replaceNullWithDefault: Bool

    static let maxDepth = JSONReader.maxDepth

    func read(_ r: inout JSONReader, _ plan: JsonSchemaPlan, depth: Int = 0) throws -> Value {
        guard let c = r.peek() else { _ = try r.skipValue(); return .null }
        if c == UInt8(ascii: "n") {
            try r.skipValue()
            return try nullValue(plan)
        }
        switch plan.kind {
        case .int64:
            guard isNumberStart(c) else { throw mismatch(plan, c) }
            return .int64(try JsonPayloadDecoder.readInt64(&r))
        case .timestamp:
            guard isNumberStart(c) else { throw logicalMismatch("Timestamp", "integral", c) }
            let (s, e, isInt) = try r.readNumberSpan()
            guard isInt else { throw logicalMismatch("Timestamp", "integral", UInt8(ascii: "1"), found: "NUMBER (fraction)") }
            return .int64(r.int64(from: s, to: e) ?? JsonPayloadDecoder.wrappingInt64(r, s, e))
        case .int32:
            guard isNumberStart(c) else { throw mismatch(plan, c) }
            return .int32(Int32(truncatingIfNeeded: try JsonPayloadDecoder.readInt64(&r)))
        case .date, .time:
            let name = plan.kind.isDate ? "Date" : "Time"
            guard isNumberStart(c) else { throw logicalMismatch(name, "integer", c) }
            let (s, e, isInt) = try r.readNumberSpan()
            guard isInt, let v = r.int64(from: s, to: e), let v32 = Int32(exactly: v) else {
                throw ConnectError(.dataException, "Invalid type for \(name), underlying representation should be integer but was NUMBER (\(r.text(from: s, to: e)))")
            }
            return .int32(v32)
        case .int16:
            guard isNumberStart(c) else { throw mismatch(plan, c) }
            return .int16(Int16(truncatingIfNeeded: try JsonPayloadDecoder.readInt64(&r)))
        case .int8:
            guard isNumberStart(c) else { throw mismatch(plan, c) }
            return .int8(Int8(truncatingIfNeeded: try JsonPayloadDecoder.readInt64(&r)))
        case .float64:
            if isNumberStart(c) {
                let (s, e, _) = try r.readNumberSpan()
                return .float64(JsonPayloadDecoder.exactDouble(r.bytes, s, e) ?? Double(r.text(from: s, to: e)) ?? .nan)
            }
            if c == UInt8(ascii: "\""), let d = Double(nonFinite: try r.readString()) { return .float64(d) }
            throw mismatch(plan, c)
        case .float32:
            if isNumberStart(c) {
                let (s, e, _) = try r.readNumberSpan()
                return .float32(Float(r.text(from: s, to: e)) ?? .nan)
            }
            if c == UInt8(ascii: "\""), let d = Double(nonFinite: try r.readString()) { return .float32(Float(d)) }
            throw mismatch(plan, c)
        case .boolean:
            guard c == UInt8(ascii: "t") || c == UInt8(ascii: "f") else { throw mismatch(plan, c) }
            try r.skipValue()
            return .boolean(c == UInt8(ascii: "t"))
        case .string:
            guard c == UInt8(ascii: "\"") else { throw mismatch(plan, c) }
            return .string(try r.readString())
        case .bytes:
            guard c == UInt8(ascii: "\"") else { throw mismatch(plan, c) }
            do {
                return .bytes(try JsonPayloadDecoder.withRawString(&r) { (text) throws(Base64.DecodeError) in try Base64.decode(text) })
            } catch let e as Base64.DecodeError {
                throw ConnectError(.dataException, "Invalid bytes field: \(e.message)")
            }
        case .decimal(let scale):
            return .decimal(try readDecimal(&r, c, scale: scale))
        case .structure:
            guard c == UInt8(ascii: "{") else {
                throw ConnectError(.dataException, "Structs should be encoded as JSON objects, but found \(nodeType(c))")
            }
            return try readStruct(&r, plan, depth: depth)
        case .array:
            guard c == UInt8(ascii: "[") else {
                throw ConnectError(.dataException, "Arrays should be encoded as JSON arrays, but found \(nodeType(c))")
            }
            return try readArray(&r, plan, depth: depth)
        case .map:
            return try readMap(&r, plan, c, depth: depth)
        }
    }

    /// What a JSON null (or a missing struct field) becomes: the default, null, or an error for required fields.
    func nullValue(_ plan: JsonSchemaPlan) throws -> Value {
        let schema = plan.schema
        if let d = schema.defaultValue, replaceNullWithDefault { return d }
        if schema.isOptional { return .null }
        throw ConnectError(.dataException, "Invalid null value for required \(schema.type.javaName) field")
    }

    func readStruct(_ r: inout JSONReader, _ plan: JsonSchemaPlan, depth: Int) throws -> Value {
        guard depth < JsonPayloadDecoder.maxDepth else { throw JSONError("Nesting too deep", at: r.pos) }
        r.pos += 1
        let n = plan.fields.count
        var values = [Value](repeating: .null, count: n)
        if !r.consume(UInt8(ascii: "}")) {
            var hint = 0
            repeat {
                let index: Int?
                if let (s, e) = try JsonPayloadDecoder.rawKey(&r) {
                    index = plan.fieldIndex(r.bytes, s, e, hint: hint)
                } else {
                    index = plan.schema.field(try r.readString())?.index
                }
                try r.expect(UInt8(ascii: ":"))
                if let index {
                    if r.peek() == UInt8(ascii: "n") {
                        // Explicit null: resolved below with the missing fields, so errors name the field.
                        try r.skipValue()
                        values[index] = .null
                        hint = index + 1
                        continue
                    }
                    values[index] = try read(&r, plan.fields[index], depth: depth + 1)
                    hint = index + 1
                } else {
                    try r.skipValue()
                }
            } while r.consume(UInt8(ascii: ","))
            try r.expect(UInt8(ascii: "}"))
        }
        for i in 0..<n where values[i].isNull {
            do {
                values[i] = try nullValue(plan.fields[i])
            } catch let e as ConnectError {
                throw ConnectError(.dataException, "\(e.message) \"\(plan.schema.fields[i].name)\"")
            }
        }
        return .structure(Struct(schema: plan.schema, values: values))
    }

    func readArray(_ r: inout JSONReader, _ plan: JsonSchemaPlan, depth: Int) throws -> Value {
        guard depth < JsonPayloadDecoder.maxDepth else { throw JSONError("Nesting too deep", at: r.pos) }
        r.pos += 1
        var items: [Value] = []
        if r.consume(UInt8(ascii: "]")) { return .array(items) }
        repeat {
            if let p = plan.items {
                items.append(try read(&r, p, depth: depth + 1))
            } else {
                items.append(try JsonSchemalessDecoder.read(&r, depth: depth + 1))
            }
        } while r.consume(UInt8(ascii: ","))
        try r.expect(UInt8(ascii: "]"))
        return .array(items)
    }

    func readMap(_ r: inout JSONReader, _ plan: JsonSchemaPlan, _ c: UInt8, depth: Int) throws -> Value {
        guard depth < JsonPayloadDecoder.maxDepth else { throw JSONError("Nesting too deep", at: r.pos) }
        var entries: [MapEntry] = []
        func value(_ r: inout JSONReader) throws -> Value {
            if let p = plan.items { return try read(&r, p, depth: depth + 1) }
            return try JsonSchemalessDecoder.read(&r, depth: depth + 1)
        }
        if plan.mapAsObject || plan.keys == nil {
            guard c == UInt8(ascii: "{") else {
                throw ConnectError(.dataException, "Maps with string fields should be encoded as JSON objects, but found \(nodeType(c))")
            }
            r.pos += 1
            if r.consume(UInt8(ascii: "}")) { return .map(entries) }
            repeat {
                let k = try r.readString()
                try r.expect(UInt8(ascii: ":"))
                entries.append(MapEntry(.string(k), try value(&r)))
            } while r.consume(UInt8(ascii: ","))
            try r.expect(UInt8(ascii: "}"))
            return .map(entries)
        }
        guard c == UInt8(ascii: "["), let keyPlan = plan.keys else {
            throw ConnectError(.dataException, "Maps with non-string fields should be encoded as JSON array of tuples, but found \(nodeType(c))")
        }
        r.pos += 1
        if r.consume(UInt8(ascii: "]")) { return .map(entries) }
        repeat {
            guard let t = r.peek(), t == UInt8(ascii: "[") else {
                let t = r.peek() ?? 0
                if t != 0 { try r.skipValue() }
                throw ConnectError(.dataException, "Found invalid map entry instead of array tuple: \(nodeType(t))")
            }
            let start = r.pos
            r.pos += 1
            let k = try read(&r, keyPlan, depth: depth + 1)
            guard r.consume(UInt8(ascii: ",")) else { throw tupleLength(&r, start) }
            let v = try value(&r)
            guard r.consume(UInt8(ascii: "]")) else { throw tupleLength(&r, start) }
            entries.append(MapEntry(k, v))
        } while r.consume(UInt8(ascii: ","))
        try r.expect(UInt8(ascii: "]"))
        return .map(entries)
    }

    /// Counts the elements of a malformed `[k, v]` tuple for Kafka's error message.
    func tupleLength(_ r: inout JSONReader, _ start: Int) -> Error {
        r.pos = start
        do {
            if case .array(let a) = try r.readValue() {
                return ConnectError(.dataException, "Found invalid map entry, expected length 2 but found :\(a.count)")
            }
        } catch { return error }
        return ConnectError(.dataException, "Found invalid map entry")
    }

    func readDecimal(_ r: inout JSONReader, _ c: UInt8, scale: Int32) throws -> ConnectDecimal {
        if isNumberStart(c) {
            let (s, e, _) = try r.readNumberSpan()
            if let d = JsonPayloadDecoder.smallDecimal(r.bytes, s, e) { return d }
            guard let d = ConnectDecimal(r.text(from: s, to: e)) else {
                throw ConnectError(.dataException, "Invalid number for Decimal field: \(r.text(from: s, to: e))")
            }
            return d
        }
        guard c == UInt8(ascii: "\"") else {
            throw ConnectError(.dataException, "Invalid type for Decimal, underlying representation should be numeric or bytes but was \(nodeType(c))")
        }
        do {
            return try JsonPayloadDecoder.withRawString(&r) { (text) throws(Base64.DecodeError) -> ConnectDecimal in
                var acc: Int64 = 0
                var n = 0
                try Base64.decode(text) { b in
                    if n == 0 { acc = b & 0x80 != 0 ? -1 : 0 }
                    acc = acc << 8 | Int64(b)
                    n += 1
                }
                if n == 0 { throw Base64.DecodeError(message: "Zero length BigInteger") }
                if n <= 8 { return ConnectDecimal(unscaled: acc, scale: scale) }
                return ConnectDecimal(twosComplement: try Base64.decode(text), scale: scale)
            }
        } catch let e as Base64.DecodeError {
            throw ConnectError(.dataException, "Invalid bytes for Decimal field: \(e.message)")
        }
    }

    func isNumberStart(_ c: UInt8) -> Bool { c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) }

    func mismatch(_ plan: JsonSchemaPlan, _ c: UInt8) -> ConnectError {
        ConnectError(.dataException, "Invalid value for \(plan.schema.type.javaName) field: expected \(expected(plan.schema.type)) but found \(nodeType(c))")
    }

    func logicalMismatch(_ name: String, _ what: String, _ c: UInt8, found: String? = nil) -> ConnectError {
        ConnectError(.dataException, "Invalid type for \(name), underlying representation should be \(what) but was \(found ?? nodeType(c))")
    }

    func expected(_ t: SchemaType) -> String {
        switch t {
        case .boolean: return "a JSON boolean"
        case .string: return "a JSON string"
        case .bytes: return "a base64 JSON string"
        default: return "a JSON number"
        }
    }

    /// Jackson's node type name for the token starting with `c`, as Kafka's messages print it.
    func nodeType(_ c: UInt8) -> String {
        switch c {
        case UInt8(ascii: "{"): return "OBJECT"
        case UInt8(ascii: "["): return "ARRAY"
        case UInt8(ascii: "\""): return "STRING"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "BOOLEAN"
        case UInt8(ascii: "n"): return "NULL"
        case 0: return "MISSING"
        default: return "NUMBER"
        }
    }
}

extension JsonSchemaPlan.Kind {
    var isDate: Bool { if case .date = self { return true } else { return false } }
}

extension Double {
    /// The quoted forms Jackson writes for non-finite numbers.
    init?(nonFinite s: String) {
        switch s {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: return nil
        }
    }
}
