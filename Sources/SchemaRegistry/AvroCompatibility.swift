/// Avro reader/writer schema resolution (apache/avro `SchemaCompatibility`), as Schema Registry uses it: can data
/// written with `writer` be read with `reader`? Returns the incompatibilities found (empty = compatible).
///
/// Names compare by unqualified name or reader alias; reader fields missing from the writer need a default;
/// promotions int→long/float/double, long→float/double, float→double, string↔bytes; enums need the writer's symbols
/// (or a reader default); a writer union needs every branch readable.
public enum AvroCompatibility {
    public static func check(reader: AvroSchema, writer: AvroSchema) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        check(reader, writer, path: "", into: &out, seen: &seen)
        return out
    }

    static func check(_ r: AvroSchema, _ w: AvroSchema, path: String, into out: inout [String], seen: inout Set<String>) {
        if w.kind == .union {
            for (i, b) in w.branches.enumerated() { check(r, b, path: path + "/\(i)", into: &out, seen: &seen) }
            return
        }
        if r.kind == .union {
            var probe: [String] = []
            var s2 = seen
            for b in r.branches {
                probe = []
                check(b, w, path: path, into: &probe, seen: &s2)
                if probe.isEmpty { return }
            }
            out.append("{type:MISSING_UNION_BRANCH, location:\(path.isEmpty ? "/" : path), message:reader union lacking writer type: \(w.kind.rawValue.uppercased())}")
            return
        }
        switch (r.kind, w.kind) {
        case (.int, .int), (.long, .long), (.float, .float), (.double, .double), (.boolean, .boolean), (.null, .null),
             (.string, .string), (.bytes, .bytes):
            return
        case (.long, .int), (.float, .int), (.double, .int), (.float, .long), (.double, .long), (.double, .float),
             (.string, .bytes), (.bytes, .string):
            return
        case (.array, .array), (.map, .map):
            if let ri = r.items, let wi = w.items { check(ri, wi, path: path + (r.kind == .array ? "/items" : "/values"), into: &out, seen: &seen) }
        case (.fixed, .fixed):
            if !nameMatches(r, w) { out.append(mismatch("NAME_MISMATCH", path, "expected: \(w.fullName)")) }
            if r.size != w.size { out.append(mismatch("FIXED_SIZE_MISMATCH", path, "expected: \(w.size), found: \(r.size)")) }
        case (.enumeration, .enumeration):
            if !nameMatches(r, w) { out.append(mismatch("NAME_MISMATCH", path, "expected: \(w.fullName)")) }
            let missing = w.symbols.filter { !r.symbols.contains($0) }
            if !missing.isEmpty && r.enumDefault == nil {
                out.append(mismatch("MISSING_ENUM_SYMBOLS", path + "/symbols", "[\(missing.joined(separator: ", "))]"))
            }
        case (.record, .record):
            if !nameMatches(r, w) { out.append(mismatch("NAME_MISMATCH", path + "/name", "expected: \(w.fullName)")); return }
            // A record pair already being checked (recursion through name references) is assumed compatible.
            let key = r.fullName + "|" + w.fullName
            guard seen.insert(key).inserted else { return }
            for (i, rf) in r.fields.enumerated() {
                if let wf = w.fields.first(where: { $0.name == rf.name || rf.aliases.contains($0.name) }) {
                    check(rf.schema, wf.schema, path: path + "/fields/\(i)/type", into: &out, seen: &seen)
                } else if rf.defaultValue == nil {
                    out.append(mismatch("READER_FIELD_MISSING_DEFAULT_VALUE", path + "/fields/\(i)", rf.name))
                }
            }
        default:
            out.append(mismatch("TYPE_MISMATCH", path.isEmpty ? "/" : path,
                                "reader type: \(r.kind.rawValue.uppercased()) not compatible with writer type: \(w.kind.rawValue.uppercased())"))
        }
    }

    static func nameMatches(_ r: AvroSchema, _ w: AvroSchema) -> Bool {
        r.name == w.name || r.aliases.contains { $0 == w.fullName || $0.split(separator: ".").last.map(String.init) == w.name }
    }

    static func mismatch(_ type: String, _ path: String, _ message: String) -> String {
        "{type:\(type), location:\(path), message:\(message)}"
    }
}
