import SluiceAPI

/// Parses JsonConverter schema JSON into a Connect schema (`JsonConverter.asConnectSchema` in Kafka), with Kafka's
/// error messages. Works on the token reader: members are located by span first, because `type` may follow `fields`
/// and a `default` can only be decoded once the rest of the schema is known.
struct JsonSchemaParser {
    let decoder: JsonPayloadDecoder

    /// The member spans of one schema object.
    struct Members {
        var type: String?
        var optional = false
        var name: String?
        var version: Int32?
        var doc: String?
        var parameters: [SchemaParameter]?
        var defaultSpan: Range<Int>?
        var fields: Range<Int>?
        var items: Range<Int>?
        var keys: Range<Int>?
        var values: Range<Int>?
        var field: String?
    }

    /// The schema at the reader: an object, or `null` for "no schema".
    func parse(_ r: inout JSONReader, depth: Int = 0) throws -> Schema? {
        guard let c = r.peek() else { _ = try r.skipValue(); return nil }
        if c == UInt8(ascii: "n") {
            try r.skipValue()
            return nil
        }
        guard c == UInt8(ascii: "{") else {
            try r.skipValue()
            throw ConnectError(.dataException, "Schema must contain 'type' field")
        }
        return try parseObject(&r, depth: depth).schema
    }

    func parseObject(_ r: inout JSONReader, depth: Int) throws -> (schema: Schema, field: String?) {
        guard depth < JsonPayloadDecoder.maxDepth else { throw JSONError("Nesting too deep", at: r.pos) }
        let m = try readMembers(&r)
        guard let typeName = m.type else { throw ConnectError(.dataException, "Schema must contain 'type' field") }
        guard let type = SchemaType(rawValue: typeName) else {
            throw ConnectError(.dataException, "Unknown schema type: \(typeName)")
        }
        var keySchema: Schema?
        var valueSchema: Schema?
        var fields: [(String, Schema)] = []
        switch type {
        case .array:
            guard let span = m.items, let items = try sub(r, span, depth) else {
                throw ConnectError(.dataException, "Array schema did not specify the element type")
            }
            valueSchema = items
        case .map:
            guard let ks = m.keys, let k = try sub(r, ks, depth) else {
                throw ConnectError(.dataException, "Map schema did not specify the key type")
            }
            guard let vs = m.values, let v = try sub(r, vs, depth) else {
                throw ConnectError(.dataException, "Map schema did not specify the value type")
            }
            keySchema = k
            valueSchema = v
        case .structure:
            guard let span = m.fields, r.bytes[span.lowerBound] == UInt8(ascii: "[") else {
                throw ConnectError(.dataException, "Struct schema's \"fields\" argument is not an array.")
            }
            var fr = JSONReader(r.bytes)
            fr.pos = span.lowerBound + 1
            var seen = Set<String>()
            if !fr.consume(UInt8(ascii: "]")) {
                repeat {
                    guard fr.peek() == UInt8(ascii: "{") else {
                        throw ConnectError(.dataException, "Struct schema's field name not specified properly")
                    }
                    let node = try parseObjectOrFieldError(&fr, depth: depth + 1)
                    guard let name = node.field else {
                        throw ConnectError(.dataException, "Struct schema's field name not specified properly")
                    }
                    guard seen.insert(name).inserted else {
                        throw ConnectError(.dataException, "Cannot create field because of field name duplication \(name)")
                    }
                    fields.append((name, node.schema))
                } while fr.consume(UInt8(ascii: ","))
            }
        default:
            break
        }
        let plain = m.name == nil && m.version == nil && m.doc == nil && m.parameters == nil && m.defaultSpan == nil
        var schema =
            plain && type.isPrimitive
            ? Schema.primitive(type, optional: m.optional)
            : Schema(
                type: type, isOptional: m.optional, name: m.name, version: m.version, doc: m.doc, parameters: m.parameters,
                fields: fields, keySchema: keySchema, valueSchema: valueSchema)
        if let span = m.defaultSpan {
            var dr = JSONReader(r.bytes)
            dr.pos = span.lowerBound
            let d = try decoder.read(&dr, JsonSchemaPlan(schema))
            if !d.isNull {
                schema = Schema(
                    type: type, isOptional: m.optional, defaultValue: d, name: m.name, version: m.version, doc: m.doc,
                    parameters: m.parameters, fields: fields, keySchema: keySchema, valueSchema: valueSchema)
            }
        }
        return (schema, m.field)
    }

    /// A field entry must name itself even when its schema is broken, so the field-name error wins over a missing type.
    func parseObjectOrFieldError(_ r: inout JSONReader, depth: Int) throws -> (schema: Schema, field: String?) {
        let start = r.pos
        do {
            return try parseObject(&r, depth: depth)
        } catch let e as ConnectError {
            var probe = JSONReader(r.bytes)
            probe.pos = start
            if (try? readMembers(&probe))?.field == nil {
                throw ConnectError(.dataException, "Struct schema's field name not specified properly")
            }
            throw e
        }
    }

    /// Parses the schema whose span is `span` in the same buffer.
    func sub(_ r: borrowing JSONReader, _ span: Range<Int>, _ depth: Int) throws -> Schema? {
        var sr = JSONReader(r.bytes)
        sr.pos = span.lowerBound
        return try parse(&sr, depth: depth + 1)
    }

    func readMembers(_ r: inout JSONReader) throws -> Members {
        var m = Members()
        try r.expect(UInt8(ascii: "{"))
        if r.consume(UInt8(ascii: "}")) { return m }
        repeat {
            let key = try r.readString()
            try r.expect(UInt8(ascii: ":"))
            let c = r.peek() ?? 0
            let isString = c == UInt8(ascii: "\"")
            switch key {
            case "type":
                m.type = isString ? try r.readString() : nil
                if !isString { try r.skipValue() }
            case "optional":
                m.optional = c == UInt8(ascii: "t")
                try r.skipValue()
            case "name":
                m.name = isString ? try r.readString() : nil
                if !isString { try r.skipValue() }
            case "doc":
                m.doc = isString ? try r.readString() : nil
                if !isString { try r.skipValue() }
            case "field":
                m.field = isString ? try r.readString() : nil
                if !isString { try r.skipValue() }
            case "version":
                m.version = nil
                if c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) {
                    let (s, e, isInt) = try r.readNumberSpan()
                    if isInt {
                        m.version = Int32(truncatingIfNeeded: r.int64(from: s, to: e) ?? JsonPayloadDecoder.wrappingInt64(r, s, e))
                    }
                } else {
                    try r.skipValue()
                }
            case "parameters":
                m.parameters = nil
                if c == UInt8(ascii: "{") {
                    r.pos += 1
                    var params: [SchemaParameter] = []
                    if !r.consume(UInt8(ascii: "}")) {
                        repeat {
                            let k = try r.readString()
                            try r.expect(UInt8(ascii: ":"))
                            guard r.peek() == UInt8(ascii: "\"") else {
                                throw ConnectError(.dataException, "Schema parameters must have string values.")
                            }
                            let v = try r.readString()
                            if let i = params.firstIndex(where: { $0.key == k }) { params[i].value = v } else { params.append(SchemaParameter(k, v)) }
                        } while r.consume(UInt8(ascii: ","))
                        try r.expect(UInt8(ascii: "}"))
                    }
                    m.parameters = params.isEmpty ? nil : params
                } else {
                    try r.skipValue()
                }
            case "default": m.defaultSpan = try r.skipValue()
            case "fields": m.fields = try r.skipValue()
            case "items": m.items = try r.skipValue()
            case "keys": m.keys = try r.skipValue()
            case "values": m.values = try r.skipValue()
            default: try r.skipValue()
            }
        } while r.consume(UInt8(ascii: ","))
        try r.expect(UInt8(ascii: "}"))
        return m
    }
}
