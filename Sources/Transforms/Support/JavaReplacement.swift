import SluiceAPI

/// A `Matcher.replaceFirst` replacement string compiled once: `$1` / `${name}` group references and `\x` escapes,
/// as users write them for RegexRouter (`replacement=$1-archive`).
struct JavaReplacement: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal(String)
        case group(Int)
        case named(String)
    }

    let parts: [Part]

    /// Parses `text`; `groupCount` limits how many digits a `$nn` reference takes (Java reads digits while the
    /// number stays a valid group). Throws a `ConnectError` (.config) for a dangling `$` or `\`.
    init(_ text: String, groupCount: Int) throws {
        var parts: [Part] = []
        var literal = ""
        var chars = Array(text)[...]
        func flush() { if !literal.isEmpty { parts.append(.literal(literal)); literal = "" } }
        while let c = chars.popFirst() {
            if c == "\\" {
                guard let next = chars.popFirst() else {
                    throw ConnectError(.config, "character to be escaped is missing")
                }
                literal.append(next)
            } else if c == "$" {
                guard let next = chars.first else { throw ConnectError(.config, "Illegal group reference: group index is missing") }
                if next == "{" {
                    chars.removeFirst()
                    var name = ""
                    while let n = chars.first, n != "}" { name.append(n); chars.removeFirst() }
                    guard chars.popFirst() == "}", !name.isEmpty else {
                        throw ConnectError(.config, "named capturing group is missing trailing '}'")
                    }
                    flush()
                    parts.append(.named(name))
                } else if let d = next.wholeNumberValue, next.isASCII {
                    chars.removeFirst()
                    var group = d
                    while let n = chars.first, n.isASCII, let nd = n.wholeNumberValue, group * 10 + nd <= groupCount {
                        group = group * 10 + nd
                        chars.removeFirst()
                    }
                    flush()
                    parts.append(.group(group))
                } else {
                    throw ConnectError(.config, "Illegal group reference")
                }
            } else {
                literal.append(c)
            }
        }
        flush()
        self.parts = parts
    }

    /// The replacement for one match.
    func expand(_ match: Regex<AnyRegexOutput>.Match) throws -> String {
        var out = ""
        for p in parts {
            switch p {
            case .literal(let s): out += s
            case .group(let i):
                guard i < match.output.count else { throw ConnectError(.dataException, "No group \(i)") }
                if let sub = match.output[i].substring { out += sub }
            case .named(let name):
                guard let g = match.output[name] else {
                    throw ConnectError(.dataException, "No group with name {\(name)}")
                }
                if let sub = g.substring { out += sub }
            }
        }
        return out
    }
}
