import SluiceAPI

/// Writes a Connect schema as JsonConverter's schema JSON (`JsonConverter.asJsonSchema` in Kafka 3.9), member for
/// member in Kafka's order so the bytes are identical: `type`, then `items` / `keys`,`values` / `fields`, then
/// `optional`, `name`, `version`, `doc`, `parameters`, `default`; a struct field is its schema followed by `field`.
struct JsonSchemaWriter {
    let encoder: JsonPayloadEncoder

    /// The complete schema object.
    func write(_ schema: Schema, into w: inout JSONWriter) throws {
        try writeMembers(schema, into: &w)
        w.raw(UInt8(ascii: "}"))
    }

    /// Everything but the closing brace, so a struct field can append its `"field"` member.
    func writeMembers(_ schema: Schema, into w: inout JSONWriter) throws {
        w.raw("{\"type\":\"")
        w.bytes.append(contentsOf: schema.type.rawValue.utf8)
        w.raw(UInt8(ascii: "\""))
        switch schema.type {
        case .array:
            w.raw(",\"items\":")
            try writeOrNull(schema.valueSchema, into: &w)
        case .map:
            w.raw(",\"keys\":")
            try writeOrNull(schema.keySchema, into: &w)
            w.raw(",\"values\":")
            try writeOrNull(schema.valueSchema, into: &w)
        case .structure:
            w.raw(",\"fields\":[")
            for (i, f) in schema.fields.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                try writeMembers(f.schema, into: &w)
                w.raw(",\"field\":")
                w.string(f.name)
                w.raw(UInt8(ascii: "}"))
            }
            w.raw(UInt8(ascii: "]"))
        default:
            break
        }
        w.raw(",\"optional\":")
        w.bool(schema.isOptional)
        if let name = schema.name {
            w.raw(",\"name\":")
            w.string(name)
        }
        if let version = schema.version {
            w.raw(",\"version\":")
            w.int(Int64(version))
        }
        if let doc = schema.doc {
            w.raw(",\"doc\":")
            w.string(doc)
        }
        if let parameters = schema.parameters {
            w.raw(",\"parameters\":{")
            for (i, p) in parameters.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                w.string(p.key)
                w.raw(UInt8(ascii: ":"))
                w.string(p.value)
            }
            w.raw(UInt8(ascii: "}"))
        }
        if let d = schema.defaultValue {
            w.raw(",\"default\":")
            try encoder.write(d, JsonSchemaPlan(schema), into: &w)
        }
    }

    /// Kafka's `ObjectNode.set(name, null)` stores a JSON null for a missing child schema.
    func writeOrNull(_ schema: Schema?, into w: inout JSONWriter) throws {
        if let schema { try write(schema, into: &w) } else { w.null() }
    }
}
