import SluiceAPI

/// Parses Avro schema JSON text into `AvroSchema` (Avro 1.11 `Schema.Parser`, without recursive types).
///
/// Named types are resolved against the enclosing namespace the way Avro does; a second definition of a name, an
/// unknown type name or a malformed member is an `AvroSchemaError` that names the problem.
public struct AvroSchemaParser {
    private var names: [String: AvroSchema] = [:]

    public static func parse(_ text: String) throws(AvroSchemaError) -> AvroSchema {
        let json: JSONValue
        do { json = try JSONReader.parse(text) } catch { throw AvroSchemaError("Invalid schema JSON: \(error)") }
        var p = AvroSchemaParser()
        return try p.parse(json, namespace: nil)
    }

    /// Parses `text` with the named types of `referenced` schemas (Schema Registry references, dependencies first)
    /// defined beforehand, as Confluent's `AvroSchema` does; also returns those names, which `AvroSchemaWriter`
    /// then writes by name rather than inline.
    public static func parse(_ text: String, referenced: [String]) throws(AvroSchemaError) -> (schema: AvroSchema, known: Set<String>) {
        var p = AvroSchemaParser()
        for r in referenced {
            let json: JSONValue
            do { json = try JSONReader.parse(r) } catch { throw AvroSchemaError("Invalid referenced schema JSON: \(error)") }
            _ = try p.parse(json, namespace: nil)
        }
        let known = Set(p.names.keys)
        let json: JSONValue
        do { json = try JSONReader.parse(text) } catch { throw AvroSchemaError("Invalid schema JSON: \(error)") }
        return (try p.parse(json, namespace: nil), known)
    }

    static let recordKeys: Set<String> = ["type", "name", "namespace", "doc", "fields", "aliases"]
    static let enumKeys: Set<String> = ["type", "name", "namespace", "doc", "symbols", "aliases", "default"]
    static let fixedKeys: Set<String> = ["type", "name", "namespace", "doc", "size", "aliases"]
    static let fieldKeys: Set<String> = ["name", "type", "doc", "default", "order", "aliases"]

    mutating func parse(_ json: JSONValue, namespace: String?) throws(AvroSchemaError) -> AvroSchema {
        switch json {
        case .string(let s):
            if let k = AvroSchema.Kind.primitive(s) { return .primitive(k) }
            return try reference(s, namespace: namespace)
        case .array(let items):
            var branches: [AvroSchema] = []
            for i in items { branches.append(try parse(i, namespace: namespace)) }
            return AvroSchema(kind: .union, branches: branches)
        case .object(let o):
            return try parseObject(o, namespace: namespace)
        default:
            throw AvroSchemaError("Not a schema: \(json.compactString)")
        }
    }

    func reference(_ s: String, namespace: String?) throws(AvroSchemaError) -> AvroSchema {
        if !s.contains("."), let namespace, let n = names[namespace + "." + s] { return n }
        if let n = names[s] { return n }
        throw AvroSchemaError("\"\(s)\" is not a defined name. The type of the field must be a defined name or a {\"type\": ...} expression.")
    }

    mutating func parseObject(_ o: JSONObject, namespace: String?) throws(AvroSchemaError) -> AvroSchema {
        guard let typeValue = o["type"] else { throw AvroSchemaError("No type: \(JSONValue.object(o).compactString)") }
        guard case .string(let type) = typeValue else {
            // {"type": {...}} or {"type": [...]}: the nested schema (props on the wrapper are dropped, as Avro does).
            return try parse(typeValue, namespace: namespace)
        }
        if let k = AvroSchema.Kind.primitive(type) {
            return .primitive(k, props: props(o, except: ["type"]))
        }
        switch type {
        case "record", "error":
            let (name, ns) = try qualify(o, namespace: namespace)
            var fields: [AvroField] = []
            guard let fs = o["fields"]?.arrayValue else { throw AvroSchemaError("Record has no fields: \(name)") }
            // Fields resolve names in the record's namespace. Recursive references are not supported.
            var seen = Set<String>()
            for f in fs {
                guard let fo = f.objectValue, let fname = fo["name"]?.stringValue, let ft = fo["type"] else {
                    throw AvroSchemaError("Invalid field in record \(name): \(f.compactString)")
                }
                guard seen.insert(fname).inserted else { throw AvroSchemaError("Duplicate field \(fname) in record \(name)") }
                let fschema = try parse(ft, namespace: ns)
                fields.append(AvroField(
                    name: fname, schema: fschema, doc: fo["doc"]?.stringValue, defaultValue: fo["default"],
                    order: fo["order"]?.stringValue, aliases: fo["aliases"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    props: props(fo, except: Self.fieldKeys)))
            }
            let s = AvroSchema(kind: .record, name: name, namespace: ns, doc: o["doc"]?.stringValue,
                               aliases: aliases(o), fields: fields, props: props(o, except: Self.recordKeys))
            try define(s)
            return s
        case "enum":
            let (name, ns) = try qualify(o, namespace: namespace)
            guard let syms = o["symbols"]?.arrayValue else { throw AvroSchemaError("Enum has no symbols: \(name)") }
            let s = AvroSchema(kind: .enumeration, name: name, namespace: ns, doc: o["doc"]?.stringValue,
                               aliases: aliases(o), symbols: syms.compactMap(\.stringValue),
                               enumDefault: o["default"]?.stringValue, props: props(o, except: Self.enumKeys))
            try define(s)
            return s
        case "fixed":
            let (name, ns) = try qualify(o, namespace: namespace)
            guard let size = o["size"]?.int64Value, size >= 0, size <= Int64(Int32.max) else {
                throw AvroSchemaError("Invalid or no size: \(JSONValue.object(o).compactString)")
            }
            let s = AvroSchema(kind: .fixed, name: name, namespace: ns, doc: o["doc"]?.stringValue, aliases: aliases(o),
                               size: Int(size), props: props(o, except: Self.fixedKeys))
            try define(s)
            return s
        case "array":
            guard let items = o["items"] else { throw AvroSchemaError("Array has no items type") }
            return AvroSchema(kind: .array, items: try parse(items, namespace: namespace), props: props(o, except: ["type", "items"]))
        case "map":
            guard let values = o["values"] else { throw AvroSchemaError("Map has no values type") }
            return AvroSchema(kind: .map, items: try parse(values, namespace: namespace), props: props(o, except: ["type", "values"]))
        default:
            return try reference(type, namespace: namespace)
        }
    }

    func qualify(_ o: JSONObject, namespace: String?) throws(AvroSchemaError) -> (String, String?) {
        guard let full = o["name"]?.stringValue, !full.isEmpty else {
            throw AvroSchemaError("No name in schema: \(JSONValue.object(o).compactString)")
        }
        if let dot = full.lastIndex(of: ".") {
            return (String(full[full.index(after: dot)...]), String(full[..<dot]))
        }
        if let ns = o["namespace"]?.stringValue { return (full, ns.isEmpty ? nil : ns) }
        return (full, namespace)
    }

    mutating func define(_ s: AvroSchema) throws(AvroSchemaError) {
        guard names[s.fullName] == nil else { throw AvroSchemaError("Can't redefine: \(s.fullName)") }
        names[s.fullName] = s
    }

    func props(_ o: JSONObject, except: Set<String>) -> JSONObject {
        JSONObject(o.members.filter { !except.contains($0.key) }.map { ($0.key, $0.value) })
    }

    func aliases(_ o: JSONObject) -> [String] { o["aliases"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
}

/// An Avro schema that cannot be parsed or does not fit Connect's data model (Avro's `SchemaParseException`).
public struct AvroSchemaError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
