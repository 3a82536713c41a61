import SluiceAPI

/// The key and value schemas records of a file are built with, and where the key's fields come from in the value.
struct RecordSchemas: Sendable {
    let key: Schema?
    let value: Schema
    /// For each key field, the index of the value field it copies.
    let keyFieldIndices: [Int]

    /// The schemas given in `key.schema` / `value.schema` (also how the connector hands inferred schemas to tasks),
    /// or nil when none was given.
    static func explicit(_ s: SpoolDirSettings) throws -> RecordSchemas? {
        guard !s.valueSchemaText.trimmingSpaces.isEmpty else { return nil }
        let value = try SchemaJSON.parse(s.valueSchemaText, key: SpoolDirConfig.valueSchema)
        guard value.type == .structure else {
            throw ConnectError.invalidConfig(SpoolDirConfig.valueSchema, s.valueSchemaText, "The value schema must be a STRUCT")
        }
        let key = s.keySchemaText.trimmingSpaces.isEmpty ? nil : try SchemaJSON.parse(s.keySchemaText, key: SpoolDirConfig.keySchema)
        return try with(value: value, key: key, settings: s)
    }

    /// Pairs a value schema with the given key schema, or one generated from `schema.generation.key.fields`.
    static func with(value: Schema, key: Schema?, settings s: SpoolDirSettings) throws -> RecordSchemas {
        if let key {
            guard key.type == .structure else {
                throw ConnectError.invalidConfig(SpoolDirConfig.keySchema, s.keySchemaText, "The key schema must be a STRUCT")
            }
            let idx = try key.fields.map { f -> Int in
                guard let v = value.field(f.name) else {
                    throw ConnectError.invalidConfig(SpoolDirConfig.keySchema, s.keySchemaText, "Key field '\(f.name)' is not a field of the value schema")
                }
                return v.index
            }
            return RecordSchemas(key: key, value: value, keyFieldIndices: idx)
        }
        guard !s.keyFields.isEmpty else { return RecordSchemas(key: nil, value: value, keyFieldIndices: []) }
        var b = SchemaBuilder.struct().name(s.keyName)
        var idx: [Int] = []
        for name in s.keyFields {
            guard let v = value.field(name) else {
                throw ConnectError.invalidConfig(SpoolDirConfig.keyFields, s.keyFields.joined(separator: ","), "Key field '\(name)' is not a column of the input (columns: \(value.fields.map(\.name).joined(separator: ", ")))")
            }
            b.addField(name, v.schema)
            idx.append(v.index)
        }
        return RecordSchemas(key: b.build(), value: value, keyFieldIndices: idx)
    }

    /// Builds the value schema from sampled columns (typed unless `schema.generation.infer.types=false`).
    static func inferred(_ sample: SchemaSample, settings s: SpoolDirSettings) throws -> RecordSchemas {
        var b = SchemaBuilder.struct().name(s.valueName)
        for (i, name) in sample.names.enumerated() {
            var col = sample.columns[i]
            if sample.presence[i] < sample.rows { col.observeEmpty() }
            b.addField(name, col.schema(inferTypes: s.inferTypes))
        }
        return try with(value: b.build(), key: nil, settings: s)
    }

    /// The key struct of a value, or null when there is no key.
    @inline(__always)
    func key(of values: [Value]) -> Value {
        guard let key else { return .null }
        return .structure(Struct(schema: key, values: keyFieldIndices.map { values[$0] }))
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
