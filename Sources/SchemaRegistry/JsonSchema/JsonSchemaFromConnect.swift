import SluiceAPI

/// Connect schema → JSON Schema text, as Confluent's `JsonSchemaData.fromConnectSchema` builds it:
///
/// - INT8…INT64 `{"type":"integer","connect.type":"int32"}`, FLOAT32/64 `"number"` + `float32|float64`, BOOLEAN,
///   STRING; BYTES `"string"` + `"connect.type":"bytes"` (base64 values); Decimal `"number"` + `"connect.type":"bytes"`.
/// - STRUCT `{"type":"object","title":name,"properties":{…}}`, each property carrying `"connect.index":i`;
///   ARRAY `"items"`; a MAP with a required STRING key `{"type":"object","additionalProperties":…,"connect.type":"map"}`,
///   any other MAP an array of `{"key","value"}` objects + `"connect.type":"map"`.
/// - optional → `{"oneOf":[{"type":"null"},{…}],"connect.index":i}` (the index moves to the `oneOf`).
/// - name → `title`, doc → `description`, version → `connect.version`, parameters → `connect.parameters`, default →
///   `default`.
///
/// Member order (the registered text decides the id): `type`, `title`, `description`, `default`, the type's members,
/// then `connect.index`, `connect.version`, `connect.type`, `connect.parameters` — the order of Confluent's output as
/// published examples show it (`{"type":"integer","connect.index":0,"connect.type":"int32"}`); not verified against
/// a running Java converter (the reference kit has none).
enum JsonSchemaFromConnect {
    static func convert(_ schema: Schema) throws(ConnectError) -> JSONValue { try node(schema, index: nil) }

    static func node(_ schema: Schema, index: Int?, ignoreOptional: Bool = false) throws(ConnectError) -> JSONValue {
        var members: [(String, JSONValue)] = []
        var connectType: String?
        var typeMembers: [(String, JSONValue)] = []
        func type(_ t: String) { members.append(("type", .string(t))) }
        switch schema.type {
        case .int8, .int16, .int32, .int64:
            type("integer")
            connectType = schema.type.javaName.lowercased()
        case .float32, .float64:
            type("number")
            connectType = schema.type.javaName.lowercased()
        case .boolean:
            type("boolean")
        case .string:
            type("string")
        case .bytes:
            type(schema.name == Logical.decimalName ? "number" : "string")
            connectType = "bytes"
        case .array:
            type("array")
            guard let items = schema.valueSchema else { throw ConnectError(.dataException, "ARRAY schema without a value schema") }
            typeMembers.append(("items", try node(items, index: nil)))
        case .map:
            guard let k = schema.keySchema, let v = schema.valueSchema else { throw ConnectError(.dataException, "MAP schema without key and value schemas") }
            connectType = "map"
            if k.type == .string && !k.isOptional {
                type("object")
                typeMembers.append(("additionalProperties", try node(v, index: nil)))
            } else {
                type("array")
                let entry: [(String, JSONValue)] = [
                    ("type", .string("object")),
                    ("properties", .object(JSONObject([("key", try node(k, index: 0)), ("value", try node(v, index: 1))]))),
                ]
                typeMembers.append(("items", .object(JSONObject(entry))))
            }
        case .structure:
            if schema.isOptional && !ignoreOptional {
                // An optional struct: the oneOf carries nothing but the index; the struct itself its name etc.
                return oneOfNull(try node(schema.withOptional(false), index: nil), index: index)
            }
            type("object")
            var props: [(String, JSONValue)] = []
            for f in schema.fields { props.append((f.name, try node(f.schema, index: f.index))) }
            typeMembers.append(("properties", .object(JSONObject(props))))
        }
        if let name = schema.name { members.append(("title", .string(name))) }
        if let doc = schema.doc { members.append(("description", .string(doc))) }
        if let d = schema.defaultValue {
            members.append(("default", try JsonSchemaValues.json(d, schema.withOptional(false))))
        }
        members += typeMembers
        var props: [(String, JSONValue)] = []
        if let version = schema.version { props.append(("connect.version", .int(Int64(version)))) }
        if let connectType { props.append(("connect.type", .string(connectType))) }
        let params = (schema.parameters ?? []).filter { !$0.key.hasPrefix("io.confluent.connect.json") }
        if !params.isEmpty {
            props.append(("connect.parameters", .object(JSONObject(params.map { ($0.key, JSONValue.string($0.value)) }))))
        }
        if schema.isOptional && !ignoreOptional {
            return oneOfNull(.object(JSONObject(members + props)), index: index)
        }
        if let index { members.append(("connect.index", .int(Int64(index)))) }
        return .object(JSONObject(members + props))
    }

    static func oneOfNull(_ inner: JSONValue, index: Int?) -> JSONValue {
        var members: [(String, JSONValue)] = [("oneOf", .array([.object(JSONObject([("type", .string("null"))])), inner]))]
        if let index { members.append(("connect.index", .int(Int64(index)))) }
        return .object(JSONObject(members))
    }
}
