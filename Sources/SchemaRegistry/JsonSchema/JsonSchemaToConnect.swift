import SluiceAPI

/// JSON Schema → Connect schema, as Confluent's `JsonSchemaData.toConnectSchema`: `integer`/`number` by
/// `connect.type` (INT64 / FLOAT64 without it), `string` (BYTES with `connect.type: bytes`), `boolean`, `enum` →
/// STRING with `io.confluent.connect.json.Enum` parameters, `object` → STRUCT (properties in `connect.index` order)
/// or, with `connect.type: map`, MAP<STRING,…>; `array` → ARRAY or (`connect.type: map`) MAP of key/value entries;
/// `oneOf`/`anyOf` of `null` and one schema → that schema, optional; other unions → STRUCT
/// `io.confluent.connect.json.OneOf` with one optional field per branch. `title` → name, `description` → doc,
/// `connect.version` (else the registry version) → version, `connect.parameters` → parameters, `default` → default.
enum JsonSchemaToConnect {
    static let oneOfName = "io.confluent.connect.json.OneOf"

    static func convert(_ json: JSONValue, version: Int32? = nil) throws(ConnectError) -> Schema {
        try schema(json, version: version, forceOptional: false)
    }

    static func schema(_ json: JSONValue, version: Int32?, forceOptional: Bool) throws(ConnectError) -> Schema {
        if case .bool(true) = json { throw ConnectError(.dataException, "JSON Schema `true` (any value) has no Connect equivalent") }
        guard let o = json.objectValue else { throw ConnectError(.dataException, "Not a JSON Schema: \(json.compactString.prefix(100))") }
        let connectType = o["connect.type"]?.stringValue
        var b: SchemaBuilder
        if let branches = (o["oneOf"] ?? o["anyOf"])?.arrayValue {
            let nonNull = branches.filter { $0["type"]?.stringValue != "null" }
            if branches.count == 2 && nonNull.count == 1 {
                return try schema(nonNull[0], version: version, forceOptional: true)
            }
            b = SchemaBuilder.struct().name(oneOfName)
            if nonNull.count != branches.count { b = b.optional() }
            for (i, branch) in nonNull.enumerated() {
                b = b.field("\(oneOfName).field.\(i)", try schema(branch, version: nil, forceOptional: true))
            }
        } else if let symbols = o["enum"]?.arrayValue {
            b = SchemaBuilder(type: .string).parameter("io.confluent.connect.json.Enum", "")
            for s in symbols {
                let text = s.stringValue ?? s.compactString
                b = b.parameter("io.confluent.connect.json.Enum." + text, text)
            }
        } else {
            switch o["type"]?.stringValue {
            case "integer", "number":
                let integer = o["type"]?.stringValue == "integer"
                switch connectType {
                case "int8": b = SchemaBuilder(type: .int8)
                case "int16": b = SchemaBuilder(type: .int16)
                case "int32": b = SchemaBuilder(type: .int32)
                case "int64": b = SchemaBuilder(type: .int64)
                case "float32": b = SchemaBuilder(type: .float32)
                case "float64": b = SchemaBuilder(type: .float64)
                case "bytes": b = SchemaBuilder(type: .bytes)
                case nil: b = SchemaBuilder(type: integer ? .int64 : .float64)
                case let other?: throw ConnectError(.dataException, "Unsupported connect.type \(other)")
                }
            case "string":
                b = SchemaBuilder(type: connectType == "bytes" ? .bytes : .string)
            case "boolean":
                b = SchemaBuilder(type: .boolean)
            case "array":
                guard let items = o["items"] else { throw ConnectError(.dataException, "Array schema did not specify the items type") }
                if connectType == "map", let entry = items.objectValue, let props = entry["properties"]?.objectValue,
                   let k = props["key"], let v = props["value"] {
                    b = SchemaBuilder.map(try convert(k), try convert(v))
                } else {
                    b = SchemaBuilder.array(try convert(items))
                }
            case "object":
                if connectType == "map" {
                    guard let values = o["additionalProperties"], values.objectValue != nil else {
                        throw ConnectError(.dataException, "Map schema without additionalProperties")
                    }
                    b = SchemaBuilder.map(.string, try convert(values))
                } else {
                    b = SchemaBuilder.struct()
                    let props = o["properties"]?.objectValue ?? JSONObject()
                    var ordered: [(Int, String, JSONValue)] = []
                    for (n, m) in props.enumerated() {
                        ordered.append((m.value["connect.index"]?.int64Value.map(Int.init) ?? n, m.key, m.value))
                    }
                    for (_, name, sub) in ordered.sorted(by: { $0.0 < $1.0 }) { b = b.field(name, try convert(sub)) }
                }
            case let t:
                throw ConnectError(.dataException, "Unsupported JSON Schema type \(t ?? "(none)")")
            }
        }
        if let title = o["title"]?.stringValue { b = b.name(title) }
        if let v = o["connect.version"]?.int64Value.flatMap({ Int32(exactly: $0) }) { b = b.version(v) } else if let version { b = b.version(version) }
        if let doc = o["description"]?.stringValue { b = b.doc(doc) }
        if let params = o["connect.parameters"]?.objectValue {
            for m in params { b = b.parameter(m.key, m.value.stringValue ?? m.value.compactString) }
        }
        if let d = o["default"] { b = b.defaultValue(try JsonSchemaValues.value(d, b.build())) }
        if forceOptional { b = b.optional() }
        return b.build()
    }
}
