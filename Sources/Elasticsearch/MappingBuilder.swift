import SluiceAPI

/// The `PUT /<index>/_mapping` body for a Connect schema (`Mapping.buildMapping`): the type table of the original,
/// a schema default as `null_value` (not for text or binary), structs as `properties`, maps as `key`/`value`
/// properties, arrays as their element.
enum MappingBuilder {
    static func obj(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(JSONObject(pairs)) }

    static let textWithKeyword: JSONValue = obj([
        ("type", .string("text")),
        ("fields", obj([("keyword", obj([("type", .string("keyword")), ("ignore_above", .int(256))]))])),
    ])

    /// The whole mapping of a value schema; nil when the schema is not a struct (nothing to map field by field).
    static func mapping(for schema: Schema) -> JSONValue? {
        guard case .object(let o) = field(schema), o["properties"] != nil else { return nil }
        return .object(o)
    }

    static func field(_ schema: Schema) -> JSONValue {
        switch schema.name {
        case Logical.decimalName: return withNull(obj([("type", .string("double"))]), schema)
        case Logical.dateName, Logical.timeName, Logical.timestampName:
            return withNull(obj([("type", .string("date"))]), schema)
        default: break
        }
        switch schema.type {
        case .boolean: return withNull(obj([("type", .string("boolean"))]), schema)
        case .int8: return withNull(obj([("type", .string("byte"))]), schema)
        case .int16: return withNull(obj([("type", .string("short"))]), schema)
        case .int32: return withNull(obj([("type", .string("integer"))]), schema)
        case .int64: return withNull(obj([("type", .string("long"))]), schema)
        case .float32: return withNull(obj([("type", .string("float"))]), schema)
        case .float64: return withNull(obj([("type", .string("double"))]), schema)
        case .string: return textWithKeyword
        case .bytes: return obj([("type", .string("binary"))])
        case .array: return schema.valueSchema.map(field) ?? obj([])
        case .map:
            var props: [(String, JSONValue)] = []
            if let k = schema.keySchema { props.append(("key", field(k))) }
            if let v = schema.valueSchema { props.append(("value", field(v))) }
            return obj([("properties", obj(props))])
        case .structure:
            return obj([("properties", obj(schema.fields.map { ($0.name, field($0.schema)) }))])
        }
    }

    /// Adds `null_value` for a schema default; a Date default is written the way documents are (`yyyy-MM-dd`).
    private static func withNull(_ base: JSONValue, _ schema: Schema) -> JSONValue {
        guard let d = schema.defaultValue, !d.isNull, case .object(var o) = base else { return base }
        let v: JSONValue
        if schema.name == Logical.dateName, let days = d.int64Value {
            v = .string(DocumentWriter.isoDate(days: days))
        } else if let b = d.boolValue {
            v = .bool(b)
        } else if let i = d.int64Value {
            v = .int(i)
        } else if let x = d.doubleValue {
            v = .double(x)
        } else {
            return base
        }
        o = JSONObject(o.members.map { ($0.key, $0.value) } + [("null_value", v)])
        return .object(o)
    }
}
