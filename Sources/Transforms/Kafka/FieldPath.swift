import SluiceAPI

/// A field reference in a struct or map: one name (`field.syntax.version=V1`) or a dotted path with backtick
/// quoting (`V2`, KIP-821: ``a.`b.c`.d`` is `a` → `b.c` → `d`; a backslash before a backtick escapes it).
struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    enum SyntaxVersion: String, Sendable { case v1 = "V1", v2 = "V2" }

    let text: String
    let steps: [String]

    init(_ text: String, version: SyntaxVersion) throws {
        self.text = text
        switch version {
        case .v1: steps = [text]
        case .v2: steps = try FieldPath.parseV2(text)
        }
    }

    var description: String { text }

    static func parseV2(_ path: String) throws -> [String] {
        let chars = Array(path)
        var steps: [String] = []
        var i = 0
        while i < chars.count {
            if chars[i] != "`" {
                let start = i
                while i < chars.count, chars[i] != "." { i += 1 }
                steps.append(String(chars[start..<i]))
                if i < chars.count { i += 1 }  // the dot
                continue
            }
            let opened = i
            i += 1
            var name = ""
            while true {
                guard let close = chars[i...].firstIndex(of: "`") else {
                    throw ConnectError(.config,
                        "Incomplete backtick pair in path: [\(path)], consider adding a backslash before backtick at position \(opened) to escape it")
                }
                let escaped = close > 0 && chars[close - 1] == "\\"
                if close == chars.count - 1 {
                    if escaped {
                        throw ConnectError(.config,
                            "Incomplete backtick pair in path: [\(path)], consider adding a backslash before backtick at position \(opened) to escape it")
                    }
                    name += String(chars[i..<close])
                    i = close + 1
                    break
                }
                if chars[close + 1] != "." {
                    name += String(chars[i...close])
                    i = close + 1
                    continue
                }
                if escaped {
                    name += String(chars[i..<(close - 1)]) + "`"
                    i = close + 1
                    continue
                }
                name += String(chars[i..<close])
                i = close + 2
                break
            }
            steps.append(name)
        }
        if path.hasSuffix(".") { steps.append("") }
        if steps.isEmpty { steps = [""] }
        return steps
    }

    /// The field at this path in `schema`, or nil.
    func field(in schema: Schema) -> Field? {
        var current = schema
        for step in steps.dropLast() {
            guard current.type == .structure, let f = current.field(step) else { return nil }
            current = f.schema
        }
        guard current.type == .structure else { return nil }
        return current.field(steps[steps.count - 1])
    }

    /// The value at this path in a struct (defaults applied like `Struct.get`), or `.null`.
    func value(in s: Struct, defaults: Bool = true) throws -> Value {
        var current = s
        for step in steps.dropLast() {
            guard current.schema.field(step) != nil else { return .null }
            guard let next = try Requirements.requireStructOrNull(current.value(step, defaults: defaults), "nested field access") else {
                return .null
            }
            current = next
        }
        guard current.schema.field(steps[steps.count - 1]) != nil else { return .null }
        return current.value(steps[steps.count - 1], defaults: defaults)
    }

    /// The value at this path in a schemaless map, or `.null`.
    func value(in entries: [MapEntry]) throws -> Value {
        var current = entries
        for step in steps.dropLast() {
            guard let next = try Requirements.requireMapOrNull(current.value(forKey: step) ?? .null, "nested field access") else {
                return .null
            }
            current = next
        }
        return current.value(forKey: steps[steps.count - 1]) ?? .null
    }
}
