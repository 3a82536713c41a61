import SluiceAPI

/// Writes an `AvroSchema` as Avro 1.11's `Schema.toString()` does: compact JSON, Avro's member order
/// (record `type,name,namespace,doc,fields,props,aliases`; field `name,type,doc,default,order,aliases,props`), a
/// namespace only where it differs from the enclosing one, and named types written once, then by name.
///
/// Schema Registry identifies a schema by this text, so it must match Java byte for byte.
public struct AvroSchemaWriter {
    private var w = JSONWriter(capacity: 512)
    private var written = Set<String>()
    private var space: String?

    /// `known`: full names defined elsewhere (a registered schema's references), written by name only, as Avro's
    /// `Schema.toString(referencedSchemas, false)` does.
    public static func write(_ s: AvroSchema, known: Set<String> = []) -> String {
        var x = AvroSchemaWriter()
        x.written = known
        x.schema(s)
        return x.w.string
    }

    mutating func schema(_ s: AvroSchema) {
        switch s.kind {
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string:
            if s.props.count == 0 {
                w.string(s.kind.rawValue)
            } else {
                w.raw("{\"type\":")
                w.string(s.kind.rawValue)
                props(s.props)
                w.raw(UInt8(ascii: "}"))
            }
        case .union:
            w.raw(UInt8(ascii: "["))
            for (i, b) in s.branches.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                schema(b)
            }
            w.raw(UInt8(ascii: "]"))
        case .array, .map:
            w.raw("{\"type\":")
            w.string(s.kind.rawValue)
            w.raw(s.kind == .array ? ",\"items\":" : ",\"values\":")
            if let items = s.items { schema(items) } else { w.null() }
            props(s.props)
            w.raw(UInt8(ascii: "}"))
        case .record, .enumeration, .fixed:
            named(s)
        }
    }

    mutating func named(_ s: AvroSchema) {
        if written.contains(s.fullName) {
            w.string(s.namespace == nil || s.namespace == space ? (s.name ?? "") : s.fullName)
            return
        }
        written.insert(s.fullName)
        let saved = space
        w.raw("{\"type\":")
        w.string(s.kind.rawValue)
        w.raw(",\"name\":")
        w.string(s.name ?? "")
        if let ns = s.namespace {
            if ns != space { w.raw(",\"namespace\":"); w.string(ns) }
        } else if space != nil {
            w.raw(",\"namespace\":\"\"")
        }
        if s.kind == .record { space = s.namespace }
        if let doc = s.doc { w.raw(",\"doc\":"); w.string(doc) }
        switch s.kind {
        case .record:
            w.raw(",\"fields\":[")
            for (i, f) in s.fields.enumerated() {
                if i > 0 { w.raw(UInt8(ascii: ",")) }
                field(f)
            }
            w.raw(UInt8(ascii: "]"))
        case .enumeration:
            w.raw(",\"symbols\":")
            w.write(.array(s.symbols.map { .string($0) }))
            if let d = s.enumDefault { w.raw(",\"default\":"); w.string(d) }
        default:
            w.raw(",\"size\":")
            w.int(Int64(s.size))
        }
        props(s.props)
        aliases(s.aliases)
        w.raw(UInt8(ascii: "}"))
        space = saved
    }

    mutating func field(_ f: AvroField) {
        w.raw("{\"name\":")
        w.string(f.name)
        w.raw(",\"type\":")
        schema(f.schema)
        if let doc = f.doc { w.raw(",\"doc\":"); w.string(doc) }
        if let d = f.defaultValue { w.raw(",\"default\":"); w.write(d) }
        if let o = f.order, o != "ascending" { w.raw(",\"order\":"); w.string(o) }
        aliases(f.aliases)
        props(f.props)
        w.raw(UInt8(ascii: "}"))
    }

    mutating func props(_ p: JSONObject) {
        for m in p.members {
            w.raw(UInt8(ascii: ","))
            w.string(m.key)
            w.raw(UInt8(ascii: ":"))
            w.write(m.value)
        }
    }

    mutating func aliases(_ a: [String]) {
        guard !a.isEmpty else { return }
        w.raw(",\"aliases\":")
        w.write(.array(a.map { .string($0) }))
    }
}
