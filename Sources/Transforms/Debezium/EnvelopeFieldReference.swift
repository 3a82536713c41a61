import SluiceAPI

/// One entry of ExtractNewRecordState's `add.fields` / `add.headers`: which envelope field to copy and under
/// which name. `op`, `ts_ms`, `ts_us`, `ts_ns` live at the top of the envelope; `id`, `total_order`,
/// `data_collection_order` in `transaction`; anything else in `source`. `source.ts_ms` names the struct
/// explicitly (→ `__source_ts_ms`), and `field:NEW` picks the output name (→ `__NEW`).
struct EnvelopeFieldReference: Sendable, Hashable {
    /// The envelope struct holding the field, or nil for a top-level field.
    let structName: String?
    let field: String
    /// The name of the added field or header, prefix included.
    let newName: String

    init(prefix: String, spec: String) throws {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { throw ConnectError(.config, "Unexpected field name: \(spec)") }
        let path = parts[0].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        field = path.count == 1 ? path[0] : path[1]
        structName = path.count == 1 ? EnvelopeFieldReference.hostStruct(of: field) : path[0]
        if parts.count == 2 {
            newName = prefix + parts[1]
        } else {
            newName = prefix + (path.count == 1 ? field : path[0] + "_" + field)
        }
    }

    static func hostStruct(of field: String) -> String? {
        switch field {
        case "id", "total_order", "data_collection_order": return "transaction"
        case "op", "ts_ms", "ts_us", "ts_ns": return nil
        default: return "source"
        }
    }

    static func parseList(prefix: String, _ specs: [String]) throws -> [EnvelopeFieldReference] {
        try specs.filter { !$0.isEmpty }.map { try EnvelopeFieldReference(prefix: prefix, spec: $0) }
    }

    /// The schema of the referenced field, made optional and without default, or nil when the envelope has none.
    func schema(in envelope: Schema) -> Schema? {
        var found: Field?
        if let structName {
            found = envelope.field(structName).flatMap { $0.schema.type == .structure ? $0.schema.field(field) : nil }
        } else {
            found = envelope.field(field)
        }
        if found == nil { found = envelope.field(field) }
        guard let s = found?.schema else { return nil }
        if s.isOptional && s.defaultValue == nil { return s }
        return Schema(
            type: s.type, isOptional: true, defaultValue: nil, name: s.name, version: s.version, doc: s.doc,
            parameters: s.parameters, fields: s.fields.map { ($0.name, $0.schema) }, keySchema: s.keySchema,
            valueSchema: s.valueSchema)
    }

    /// The raw value (no default substitution) of the referenced field in an envelope.
    func value(in envelope: Struct) -> Value {
        let parent: Struct?
        if let structName {
            parent = envelope[structName]?.structValue
        } else {
            parent = envelope
        }
        guard let parent else { return .null }
        if parent.schema.field(field) != nil { return parent[field] ?? .null }
        return envelope[field] ?? .null
    }
}
