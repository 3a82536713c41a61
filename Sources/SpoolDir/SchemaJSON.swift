import SluiceAPI

/// Reads and writes schemas in connect-utils' JSON form, the format of `key.schema` / `value.schema`:
///
///     {"name":"x","type":"STRUCT","isOptional":false,"fieldSchemas":{"id":{"type":"INT64","isOptional":false}}}
///
/// Logical types are given by `name` (e.g. `org.apache.kafka.connect.data.Decimal`) plus `parameters` (`scale`).
/// Writing lets the connector hand an inferred schema to its tasks through their configs.
public enum SchemaJSON {
    /// Parses connect-utils schema JSON; the error names `key` (the config key) and what is wrong.
    public static func parse(_ text: String, key: String) throws -> Schema {
        let json: JSONValue
        do { json = try JSONReader.parse(text) } catch {
            throw ConnectError.invalidConfig(key, text, "Not valid JSON: \(error)")
        }
        return try schema(json, key: key, path: "")
    }

    private static func schema(_ json: JSONValue, key: String, path: String) throws -> Schema {
        guard let obj = json.objectValue else {
            throw ConnectError(.config, "Invalid schema in \(key)\(path.isEmpty ? "" : " at \(path)"): expected a JSON object")
        }
        guard let typeName = obj["type"]?.stringValue, let type = SchemaType(anyName: typeName) else {
            throw ConnectError(.config, "Invalid schema in \(key)\(path.isEmpty ? "" : " at \(path)"): missing or unknown \"type\" (\(obj["type"]?.compactString ?? "none"))")
        }
        var b = SchemaBuilder(type: type)
        b.isOptional = obj["isOptional"]?.boolValue ?? obj["optional"]?.boolValue ?? false
        b.name = obj["name"]?.stringValue
        b.doc = obj["doc"]?.stringValue
        if let v = obj["version"]?.int64Value { b.version = Int32(truncatingIfNeeded: v) }
        if let params = obj["parameters"]?.objectValue {
            b.parameters = params.members.map { SchemaParameter($0.key, $0.value.configString ?? "") }
        }
        if b.version == nil, let n = b.name, n.hasPrefix("org.apache.kafka.connect.data.") { b.version = 1 }
        switch type {
        case .structure:
            for m in obj["fieldSchemas"]?.objectValue ?? JSONObject() {
                b.addField(m.key, try schema(m.value, key: key, path: path + "/" + m.key))
            }
        case .array:
            guard let v = obj["valueSchema"] else { throw ConnectError(.config, "Invalid schema in \(key) at \(path): ARRAY needs valueSchema") }
            b.valueSchema = try schema(v, key: key, path: path + "/[]")
        case .map:
            guard let k = obj["keySchema"], let v = obj["valueSchema"] else {
                throw ConnectError(.config, "Invalid schema in \(key) at \(path): MAP needs keySchema and valueSchema")
            }
            b.keySchema = try schema(k, key: key, path: path + "/key")
            b.valueSchema = try schema(v, key: key, path: path + "/value")
        default: break
        }
        return b.build()
    }

    /// The connect-utils JSON of `schema`.
    public static func serialize(_ schema: Schema) -> String { json(schema).compactString }

    static func json(_ s: Schema) -> JSONValue {
        var members: [(String, JSONValue)] = []
        if let n = s.name { members.append(("name", .string(n))) }
        members.append(("type", .string(s.type.javaName)))
        members.append(("isOptional", .bool(s.isOptional)))
        if let v = s.version { members.append(("version", .int(Int64(v)))) }
        if let d = s.doc { members.append(("doc", .string(d))) }
        if let p = s.parameters, !p.isEmpty { members.append(("parameters", .object(JSONObject(p.map { ($0.key, .string($0.value)) })))) }
        if s.type == .structure { members.append(("fieldSchemas", .object(JSONObject(s.fields.map { ($0.name, json($0.schema)) })))) }
        if let k = s.keySchema { members.append(("keySchema", json(k))) }
        if let v = s.valueSchema { members.append(("valueSchema", json(v))) }
        return .object(JSONObject(members))
    }
}
