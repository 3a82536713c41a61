/// Confluent's Protobuf compatibility rules (protobuf-provider `SchemaDiff`), for the embedded registry: the changes
/// from `writer` (the schema data was written with) to `reader` that break reading, named as Confluent names them
/// (`MESSAGE_REMOVED #/Order`, `FIELD_SCALAR_KIND_CHANGED #/Order/2`).
///
/// Compatible, so not reported: package changes, messages and enums added or moved, fields added, removed or renamed,
/// enum constants changed, scalar kinds within one wire group (int32/uint32/int64/uint64/bool/enum, sint32/sint64,
/// fixed32/sfixed32, fixed64/sfixed64, string/bytes), `repeated` on strings, bytes and messages, names qualified
/// differently. Incompatible: a message removed, a required field added or removed, a field's kind changed (scalar,
/// enum, message, map), its scalar kind across groups, its message type renamed, `repeated` toggled on a number.
///
/// Schemas Sluice's parser refuses (`oneof`, groups) and references into other subjects are not checked: their
/// fields are compared by the names written, not by the imported definitions.
public enum ProtobufCompatibility {
    public static func check(reader: String, writer: String) throws(SchemaRegistryError) -> [String] {
        guard let r = try? ProtoParser.parse(reader), let w = try? ProtoParser.parse(writer) else { return [] }
        return changes(original: w, update: r)
    }

    /// The incompatible changes from `original` to `update`, in Confluent's `TYPE #/path` form.
    public static func changes(original: ProtoFile, update: ProtoFile) -> [String] {
        var out: [String] = []
        let o = Scope(original), u = Scope(update)
        compare(original.messages, update.messages, path: [], o, u, &out)
        return out
    }

    static func compare(_ om: [ProtoMessage], _ um: [ProtoMessage], path: [String], _ o: Scope, _ u: Scope, _ out: inout [String]) {
        for m in om where !Scope.isMapEntry(m, path: path, o) {
            let p = path + [m.name]
            guard let n = um.first(where: { $0.name == m.name }) else {
                out.append("MESSAGE_REMOVED #/\(p.joined(separator: "/"))")
                continue
            }
            compare(m.messages, n.messages, path: p, o, u, &out)
            fields(m, n, path: p, o, u, &out)
        }
    }

    static func fields(_ m: ProtoMessage, _ n: ProtoMessage, path: [String], _ o: Scope, _ u: Scope, _ out: inout [String]) {
        let at = "#/" + path.joined(separator: "/")
        for f in m.fields {
            guard let g = n.fields.first(where: { $0.number == f.number }) else {
                if f.label == .required { out.append("REQUIRED_FIELD_REMOVED \(at)/\(f.number)") }
                continue
            }
            let (fk, gk) = (o.kind(f, scope: path), u.kind(g, scope: path))
            if let change = Kind.change(fk, gk) {
                out.append("\(change) \(at)/\(f.number)")
            } else if (f.label == .repeated) != (g.label == .repeated), fk.isNumber, !fk.isMap {
                out.append("FIELD_NUMERIC_LABEL_CHANGED \(at)/\(f.number)")
            }
        }
        for g in n.fields where g.label == .required && !m.fields.contains(where: { $0.number == g.number }) {
            out.append("REQUIRED_FIELD_ADDED \(at)/\(g.number)")
        }
    }

    /// What a field holds, for comparing two versions of it.
    indirect enum Kind: Equatable {
        case scalar(String)
        case enumeration(String)
        case message(String)
        case map(key: Kind, value: Kind)

        /// Scalars (enums with them) that read each other's wire values.
        static func group(_ k: Kind) -> String? {
            switch k {
            case .enumeration: return "varint"
            case .scalar(let s):
                switch s {
                case "int32", "uint32", "int64", "uint64", "bool": return "varint"
                case "sint32", "sint64": return "zigzag"
                case "fixed32", "sfixed32": return "fixed32"
                case "fixed64", "sfixed64": return "fixed64"
                case "string", "bytes": return "length"
                default: return s
                }
            default: return nil
            }
        }

        var isNumber: Bool { Kind.group(self).map { $0 != "length" } ?? false }
        var isMap: Bool { if case .map = self { return true } else { return false } }

        /// The incompatible change from `a` to `b`, or nil.
        static func change(_ a: Kind, _ b: Kind) -> String? {
            switch (a, b) {
            case (.map(let ak, let av), .map(let bk, let bv)):
                return change(ak, bk) ?? change(av, bv)
            case (.message(let x), .message(let y)):
                return x == y ? nil : "FIELD_NAMED_TYPE_CHANGED"
            case (.message, _), (_, .message), (.map, _), (_, .map):
                return "FIELD_KIND_CHANGED"
            case (.enumeration(let x), .enumeration(let y)):
                return x == y ? nil : "FIELD_NAMED_TYPE_CHANGED"
            default:
                return group(a) == group(b) ? nil : "FIELD_SCALAR_KIND_CHANGED"
            }
        }
    }

    /// A file's named types, by their name without the package, to resolve field types as protoc scopes them.
    struct Scope {
        var package: String?
        var messages: [String: ProtoMessage] = [:]
        var enums: Set<String> = []

        init(_ f: ProtoFile) {
            package = f.package
            func add(_ ms: [ProtoMessage], _ prefix: String) {
                for m in ms {
                    messages[prefix + m.name] = m
                    for e in m.enums { enums.insert(prefix + m.name + "." + e.name) }
                    add(m.messages, prefix + m.name + ".")
                }
            }
            add(f.messages, "")
            for e in f.enums { enums.insert(e.name) }
        }

        static let scalars: Set<String> = ["double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
                                           "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes"]

        /// `name` written in message `scope`: absolute (`.pkg.A.B`), package-qualified, or searched from the
        /// innermost enclosing message outwards. Names this file does not define (imports, well-known types) stay
        /// as written, without a leading dot.
        func resolve(_ name: String, scope: [String]) -> String {
            var n = name.hasPrefix(".") ? String(name.dropFirst()) : name
            if let package, n.hasPrefix(package + "."), defines(String(n.dropFirst(package.count + 1))) {
                n = String(n.dropFirst(package.count + 1))
            }
            if name.hasPrefix(".") { return n }
            for depth in stride(from: scope.count, through: 0, by: -1) {
                let candidate = (scope.prefix(depth) + [n]).joined(separator: ".")
                if defines(candidate) { return candidate }
            }
            return n
        }

        func defines(_ n: String) -> Bool { messages[n] != nil || enums.contains(n) }

        func kind(_ f: ProtoField, scope: [String]) -> Kind {
            if Self.scalars.contains(f.type) { return .scalar(f.type) }
            let name = resolve(f.type, scope: scope)
            if enums.contains(name) { return .enumeration(name) }
            if f.label == .repeated, let entry = messages[name], Self.isEntry(entry, named: name, field: f) {
                let key = entry.fields.first { $0.number == 1 }!, value = entry.fields.first { $0.number == 2 }!
                let inner = name.split(separator: ".").map(String.init)
                return .map(key: kind(key, scope: Array(inner.dropLast())), value: kind(value, scope: Array(inner.dropLast())))
            }
            return .message(name)
        }

        /// The `<Field>Entry` message the parser made for a `map<K,V>` field (`named` plain or dotted).
        static func isEntry(_ m: ProtoMessage, named: String, field: ProtoField) -> Bool {
            let entry = ProtoParser.camel(field.name) + "Entry"
            return (named == entry || named.hasSuffix("." + entry)) && m.fields.count == 2
                && m.fields.contains { $0.number == 1 && $0.name == "key" } && m.fields.contains { $0.number == 2 && $0.name == "value" }
        }

        /// Whether `m`, nested in the message at `path`, is a map field's entry (not a message of its own).
        static func isMapEntry(_ m: ProtoMessage, path: [String], _ s: Scope) -> Bool {
            guard !path.isEmpty, let parent = s.messages[path.joined(separator: ".")],
                  let field = parent.fields.first(where: { $0.label == .repeated && ProtoParser.camel($0.name) + "Entry" == m.name })
            else { return false }
            return isEntry(m, named: m.name, field: field)
        }
    }
}
