import SluiceAPI

/// A JAAS login configuration file, as Java reads it (`javax.security.auth.login.ConfigFile`):
///
///     KafkaConnect {
///       org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
///       file="/etc/kafka/users.properties" debug=true;
///     };
///
/// Sections (application names) hold login modules, each a class name, a control flag and `name=value` options,
/// ending with `;`. Comments are `//` and `/* */`. Only what Kafka Connect's basic-auth extension needs is kept.
struct JaasConfig: Sendable, Equatable {
    struct Module: Sendable, Equatable {
        var className: String
        var flag: String
        var options: [String: String]
    }

    var sections: [String: [Module]]

    static func parse(_ text: String) throws -> JaasConfig {
        var tokens = try tokenize(text)[...]
        var sections: [String: [Module]] = [:]
        func next(_ what: String) throws -> Token {
            guard let t = tokens.popFirst() else { throw ConnectError(.config, "JAAS config ends early: expected \(what)") }
            return t
        }
        while let nameToken = tokens.popFirst() {
            guard case .word(let name) = nameToken else { throw ConnectError(.config, "JAAS config: expected a section name, found \(nameToken)") }
            guard try next("'{'") == .symbol("{") else { throw ConnectError(.config, "JAAS config: expected '{' after \(name)") }
            var modules: [Module] = []
            while true {
                let t = try next("a login module or '}'")
                if t == .symbol("}") { break }
                guard case .word(let cls) = t, case .word(let flag) = try next("a control flag") else {
                    throw ConnectError(.config, "JAAS config: expected 'LoginModuleClass flag' in section \(name)")
                }
                guard ["required", "requisite", "sufficient", "optional"].contains(flag.lowercased()) else {
                    throw ConnectError(.config, "JAAS config: unknown control flag '\(flag)' for \(cls) (required, requisite, sufficient or optional)")
                }
                var options: [String: String] = [:]
                while true {
                    let o = try next("an option or ';'")
                    if o == .symbol(";") { break }
                    guard case .word(let key) = o, try next("'='") == .symbol("=") else {
                        throw ConnectError(.config, "JAAS config: expected name=value options for \(cls)")
                    }
                    switch try next("an option value") {
                    case .word(let v), .quoted(let v): options[key] = v
                    case .symbol(let s): throw ConnectError(.config, "JAAS config: option \(key) of \(cls) has no value (found '\(s)')")
                    }
                }
                modules.append(Module(className: cls, flag: flag.lowercased(), options: options))
            }
            if tokens.first == .symbol(";") { tokens.removeFirst() }
            sections[name, default: []].append(contentsOf: modules)
        }
        return JaasConfig(sections: sections)
    }

    enum Token: Equatable, CustomStringConvertible {
        case word(String), quoted(String), symbol(Character)
        var description: String {
            switch self {
            case .word(let w): return w
            case .quoted(let q): return "\"\(q)\""
            case .symbol(let c): return "'\(c)'"
            }
        }
    }

    static func tokenize(_ text: String) throws -> [Token] {
        var out: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/" && i + 1 < chars.count && chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count && !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i += 2
                continue
            }
            if "{};=".contains(c) { out.append(.symbol(c)); i += 1; continue }
            if c == "\"" || c == "'" {
                var v = ""
                i += 1
                while i < chars.count && chars[i] != c {
                    if chars[i] == "\\" && i + 1 < chars.count { i += 1 }
                    v.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw ConnectError(.config, "JAAS config: unterminated quoted value") }
                i += 1
                out.append(.quoted(v))
                continue
            }
            var w = ""
            while i < chars.count && !chars[i].isWhitespace && !"{};=\"'".contains(chars[i]) { w.append(chars[i]); i += 1 }
            out.append(.word(w))
        }
        return out
    }
}
