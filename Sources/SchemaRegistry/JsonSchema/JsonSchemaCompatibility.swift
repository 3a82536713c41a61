import SluiceAPI

/// JSON Schema compatibility for the embedded registry, after Confluent's json-schema-provider `SchemaDiff`: the
/// changes from `writer` (the schema documents were written with) to `reader` after which the reader may reject a
/// document the writer accepted, named as Confluent names them (`TYPE_NARROWED #/properties/id`).
///
/// Checked: `type` (narrowed or changed; `number` covers `integer`), string and number bounds added or tightened
/// (`maxLength`, `minLength`, `pattern`, `maximum`, `minimum`), `enum` narrowed, object content models (a property
/// added to an open model, a required property added to a closed one, a property removed from a closed one, a model
/// closed, an attribute made required), `items`, and `oneOf`/`anyOf` branches (each writer branch needs a reader
/// branch of its type: `T` → `oneOf[null, T]` is fine, the reverse is not). Not checked: `$ref`, `allOf`, `not`,
/// conditionals, `patternProperties`, `dependencies`.
public enum JsonSchemaCompatibility {
    public static func check(reader: String, writer: String) throws(SchemaRegistryError) -> [String] {
        let r: JSONValue, w: JSONValue
        do { r = try JSONReader.parse(reader) } catch { throw .invalidSchema("Invalid JSON schema: \(error)") }
        do { w = try JSONReader.parse(writer) } catch { return [] }
        var out: [String] = []
        compare(w, r, path: "#", &out)
        return out
    }

    /// The incompatible changes from `o` (original, the writer) to `u` (update, the reader) at `path`.
    static func compare(_ o: JSONValue, _ u: JSONValue, path: String, _ out: inout [String]) {
        guard case .object(let os) = o, case .object(let us) = u else { return }
        let ob = branches(os), ub = branches(us)
        if ob.count > 1 || ub.count > 1 {
            for b in ob {
                let t = types(b)
                guard let match = ub.first(where: { covers(types($0), t) }) else {
                    out.append("COMBINED_TYPE_SUBSCHEMAS_CHANGED \(path)")
                    return
                }
                compare(.object(b), .object(match), path: path, &out)
            }
            return
        }
        let (ot, ut) = (types(os), types(us))
        if !covers(ut, ot) {
            out.append("\(covers(ot, ut) ? "TYPE_NARROWED" : "TYPE_CHANGED") \(path)")
            return
        }
        bound(os, us, "maxLength", tighter: <, "MAX_LENGTH", path, &out)
        bound(os, us, "minLength", tighter: >, "MIN_LENGTH", path, &out)
        bound(os, us, "maximum", tighter: <, "MAXIMUM", path, &out)
        bound(os, us, "minimum", tighter: >, "MINIMUM", path, &out)
        if let p = us["pattern"], os["pattern"] != p {
            out.append("\(os["pattern"] == nil ? "PATTERN_ADDED" : "PATTERN_CHANGED") \(path)")
        }
        if let ue = us["enum"]?.arrayValue {
            let oe = os["enum"]?.arrayValue
            if oe.map({ !$0.allSatisfy(ue.contains) }) ?? true { out.append("ENUM_ARRAY_NARROWED \(path)") }
        }
        object(os, us, path: path, &out)
        if let oi = os["items"], let ui = us["items"] { compare(oi, ui, path: path + "/items", &out) }
    }

    static func object(_ os: JSONObject, _ us: JSONObject, path: String, _ out: inout [String]) {
        let op = os["properties"]?.objectValue ?? JSONObject(), up = us["properties"]?.objectValue ?? JSONObject()
        guard os["properties"] != nil || us["properties"] != nil || os["additionalProperties"] != nil || us["additionalProperties"] != nil else { return }
        let oOpen = os["additionalProperties"] != .bool(false), uOpen = us["additionalProperties"] != .bool(false)
        if oOpen && !uOpen { out.append("ADDITIONAL_PROPERTIES_NARROWED \(path)") }
        let oRequired = Set((os["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        let uRequired = Set((us["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        for member in up {
            let (name, schema) = (member.key, member.value)
            let at = path + "/properties/" + name
            if let old = op[name] {
                compare(old, schema, path: at, &out)
                if uRequired.contains(name) && !oRequired.contains(name) { out.append("REQUIRED_ATTRIBUTE_ADDED \(at)") }
            } else if oOpen {
                out.append("PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL \(at)")
            } else if uRequired.contains(name) {
                out.append("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL \(at)")
            }
        }
        for member in op where up[member.key] == nil && !uOpen {
            out.append("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL \(path)/properties/\(member.key)")
        }
    }

    /// `oneOf`/`anyOf` branches, or the schema itself.
    static func branches(_ s: JSONObject) -> [JSONObject] {
        let list = (s["oneOf"] ?? s["anyOf"])?.arrayValue?.compactMap(\.objectValue) ?? []
        return list.isEmpty ? [s] : list
    }

    /// The `type` set; nil is any type.
    static func types(_ s: JSONObject) -> Set<String>? {
        switch s["type"] {
        case .string(let t): return [t]
        case .array(let a): return Set(a.compactMap(\.stringValue))
        default: return nil
        }
    }

    /// Whether a value of any type in `inner` is allowed by `outer`.
    static func covers(_ outer: Set<String>?, _ inner: Set<String>?) -> Bool {
        guard let outer else { return true }
        guard let inner else { return false }
        return inner.allSatisfy { outer.contains($0) || ($0 == "integer" && outer.contains("number")) }
    }

    /// A bound the reader adds or tightens (`tighter(new, old)`).
    static func bound(_ os: JSONObject, _ us: JSONObject, _ key: String, tighter: (Double, Double) -> Bool, _ name: String,
                      _ path: String, _ out: inout [String]) {
        guard let u = us[key]?.doubleValue else { return }
        guard let o = os[key]?.doubleValue else { return out.append("\(name)_ADDED \(path)") }
        if tighter(u, o) { out.append("\(name)_\(name.hasPrefix("MAX") ? "DECREASED" : "INCREASED") \(path)") }
    }
}
