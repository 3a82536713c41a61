import SluiceAPI

/// Gives schemaless records (a `Map` value with string keys and no schema, as JsonConverter with
/// `schemas.enable=false` produces) a struct schema inferred from their entries, so they follow the same path as
/// structs: map keys become columns, every column optional.
///
/// Consecutive records with the same keys reuse the same schema instance, so batching matches them by identity.
struct SchemalessInference {
    private var last: [String: Schema] = [:]

    /// The record with its map value (and map or primitive key) given inferred schemas; other records unchanged.
    mutating func apply(_ record: SinkRecord) throws -> SinkRecord {
        var r = record
        if r.valueSchema == nil, !r.value.isNull {
            guard case .map(let entries) = r.value else {
                throw ConnectError(.dataException,
                    "JDBC sink: record \(r.topic)-\(r.kafkaPartition ?? -1)@\(r.kafkaOffset) has a schemaless \(r.value.kindName) value; only structs (with a schema) or maps with string keys can become rows")
            }
            let s = try schema(for: entries, cacheKey: "v:" + r.topic)
            r.valueSchema = s
            r.value = .structure(Struct(schema: s, values: values(entries)))
        }
        if r.keySchema == nil, !r.key.isNull {
            switch r.key {
            case .map(let entries):
                let s = try schema(for: entries, cacheKey: "k:" + r.topic)
                r.keySchema = s
                r.key = .structure(Struct(schema: s, values: values(entries)))
            default:
                r.keySchema = SchemalessInference.schema(of: r.key)
            }
        }
        return r
    }

    func values(_ entries: [MapEntry]) -> [Value] { entries.map(\.value) }

    mutating func schema(for entries: [MapEntry], cacheKey: String) throws -> Schema {
        if let s = last[cacheKey], s.fields.count == entries.count {
            var fits = true
            for (f, e) in zip(s.fields, entries) {
                guard case .string(let k) = e.key, k == f.name else { fits = false; break }
                if !e.value.isNull && SchemalessInference.schema(of: e.value).type != f.schema.type {
                    fits = false
                    break
                }
            }
            if fits { return s }
        }
        var b = SchemaBuilder.struct()
        for e in entries {
            guard case .string(let k) = e.key else {
                throw ConnectError(.dataException, "JDBC sink: schemaless map key \(e.key.kindName) is not a string")
            }
            b = b.field(k, SchemalessInference.schema(of: e.value).withOptional(true))
        }
        let s = b.build()
        last[cacheKey] = s
        return s
    }

    /// The schema a JSON-ish value implies (null: an optional string, the widest column type).
    static func schema(of v: Value) -> Schema {
        switch v {
        case .null: return .optionalString
        case .boolean: return .boolean
        case .int8, .int16, .int32, .int64: return .int64
        case .float32, .float64: return .float64
        case .string: return .string
        case .bytes: return .bytes
        case .decimal(let d): return Logical.decimal(scale: d.scale)
        case .array: return SchemaBuilder.array(.optionalString).build()
        case .map: return SchemaBuilder.map(.string, .optionalString).build()
        case .structure(let s): return s.schema
        }
    }
}
