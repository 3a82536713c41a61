/// Prints a `ProtoFile` in the layout Schema Registry stores and returns for Protobuf schemas (Square Wire's
/// `ProtoFileElement.toSchema()`, which Confluent's `ProtobufSchema.canonicalString()` uses): sections separated by
/// one blank line, nested elements indented two spaces per level (blank lines inside nested bodies keep the
/// indentation), top-level types back to back, a multi-line option value indented with its field.
/// The registered text must match byte for byte, since the registry assigns ids by text.
public enum ProtoPrinter {
    public static func print(_ file: ProtoFile) -> String {
        var out = "syntax = \"\(file.syntax)\";\n"
        if let p = file.package { out += "package \(p);\n" }
        if !file.imports.isEmpty {
            out += "\n"
            for i in file.imports { out += "import \"\(i)\";\n" }
        }
        if !file.options.isEmpty {
            out += "\n"
            for o in file.options { out += "option \(o.name) = \(o.value);\n" }
        }
        if !file.messages.isEmpty || !file.enums.isEmpty {
            out += "\n"
            for m in file.messages { out += message(m) }
            for e in file.enums { out += enumeration(e) }
        }
        return out
    }

    static func message(_ m: ProtoMessage) -> String {
        var out = "message \(m.name) {"
        if !m.fields.isEmpty {
            out += "\n"
            for f in m.fields { appendIndented(&out, field(f)) }
        }
        if !m.messages.isEmpty || !m.enums.isEmpty {
            out += "\n"
            for n in m.messages { appendIndented(&out, message(n)) }
            for e in m.enums { appendIndented(&out, enumeration(e)) }
        }
        out += "}\n"
        return out
    }

    static func enumeration(_ e: ProtoEnum) -> String {
        var out = "enum \(e.name) {"
        if !e.constants.isEmpty {
            out += "\n"
            for c in e.constants { appendIndented(&out, "\(c.name) = \(c.number);\n") }
        }
        out += "}\n"
        return out
    }

    static func field(_ f: ProtoField) -> String {
        var out = f.label == .none ? "" : f.label.rawValue + " "
        out += "\(f.type) \(f.name) = \(f.number)"
        var options = f.options.map { "\($0.name) = \($0.value)" }
        if !f.meta.isEmpty { options.append("(confluent.field_meta) = " + metaValue(f.meta)) }
        if options.count == 1 {
            out += " [\(options[0])]"
        } else if options.count > 1 {
            out += " [\n"
            for (i, o) in options.enumerated() { appendIndented(&out, o + (i < options.count - 1 ? "," : "")) }
            out += "]"
        }
        out += ";\n"
        return out
    }

    /// `{ params: [ {key, value}, … ] }` laid out as Wire prints an option map.
    static func metaValue(_ params: [ProtoField.MetaParam]) -> String {
        var out = "{\n  params: [\n"
        for (i, p) in params.enumerated() {
            let k = "key: \(quote(p.key))", v = "value: \(quote(p.value))"
            let (a, b) = p.valueFirst ? (v, k) : (k, v)
            out += "    {\n      \(a),\n      \(b)\n    }" + (i < params.count - 1 ? "," : "") + "\n"
        }
        out += "  ]\n}"
        return out
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// Wire's `appendIndented`: every line of `text` (including empty ones) prefixed with two spaces.
    static func appendIndented(_ out: inout String, _ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        for l in lines { out += "  " + l + "\n" }
    }
}
