/// Parses `.proto` text (proto3, and proto2 labels) into a `ProtoFile`: syntax, package, imports, options,
/// messages with nested messages/enums, `map<K,V>` fields (turned into the `<Name>Entry` message protoc
/// synthesizes), enums, and Confluent's `(confluent.field_meta)` params. `reserved`, `extensions`, `extend` and
/// `service` are skipped; `oneof` and groups are rejected with an error naming them (Sluice does not map them).
public struct ProtoParser {
    typealias Token = ProtoTokenizer.Token
    let tokens: [(Token, Int)]
    var pos = 0

    public static func parse(_ text: String) throws(ProtoParseError) -> ProtoFile {
        var p = ProtoParser(tokens: try ProtoTokenizer.tokenize(text))
        return try p.file()
    }

    var line: Int { pos < tokens.count ? tokens[pos].1 : (tokens.last?.1 ?? 1) }
    var peek: Token? { pos < tokens.count ? tokens[pos].0 : nil }

    mutating func next() throws(ProtoParseError) -> Token {
        guard pos < tokens.count else { throw ProtoParseError("unexpected end of schema", line) }
        pos += 1
        return tokens[pos - 1].0
    }

    mutating func expect(_ c: Character) throws(ProtoParseError) {
        let l = line
        guard try next() == .symbol(c) else { throw ProtoParseError("expected '\(c)'", l) }
    }

    mutating func ident() throws(ProtoParseError) -> String {
        let l = line
        guard case .ident(let s) = try next() else { throw ProtoParseError("expected a name", l) }
        return s
    }

    mutating func accept(_ c: Character) -> Bool {
        if peek == .symbol(c) { pos += 1; return true }
        return false
    }

    mutating func file() throws(ProtoParseError) -> ProtoFile {
        var f = ProtoFile(syntax: "proto2")
        while let t = peek {
            if accept(";") { continue }
            let l = line
            guard case .ident(let kw) = t else { throw ProtoParseError("unexpected token", l) }
            pos += 1
            switch kw {
            case "syntax", "edition":
                try expect("=")
                guard case .string(let s) = try next() else { throw ProtoParseError("expected a syntax string", l) }
                f.syntax = s
                try expect(";")
            case "package":
                f.package = try ident()
                try expect(";")
            case "import":
                if case .ident(let m) = peek, m == "public" || m == "weak" { pos += 1 }
                guard case .string(let s) = try next() else { throw ProtoParseError("expected an import path", l) }
                f.imports.append(s)
                try expect(";")
            case "option":
                f.options.append(try option())
                try expect(";")
            case "message": f.messages.append(try message())
            case "enum": f.enums.append(try enumeration())
            case "service", "extend":
                _ = try ident()
                try skipBlock()
            default:
                throw ProtoParseError("unexpected '\(kw)'", l)
            }
        }
        return f
    }

    mutating func message() throws(ProtoParseError) -> ProtoMessage {
        var m = ProtoMessage(name: try ident())
        try expect("{")
        while !accept("}") {
            if accept(";") { continue }
            let l = line
            guard case .ident(let kw) = try next() else { throw ProtoParseError("unexpected token in message \(m.name)", l) }
            switch kw {
            case "message": m.messages.append(try message())
            case "enum": m.enums.append(try enumeration())
            case "option":
                _ = try option()
                try expect(";")
            case "reserved", "extensions":
                while !accept(";") { _ = try next() }
            case "extend":
                _ = try ident()
                try skipBlock()
            case "oneof":
                throw ProtoParseError("oneof '\((try? ident()) ?? "")' in message \(m.name) is not supported by Sluice's ProtobufConverter", l)
            case "group":
                throw ProtoParseError("groups are not supported", l)
            case "map":
                try expect("<")
                let k = try ident()
                try expect(",")
                let v = try ident()
                try expect(">")
                let name = try ident()
                try expect("=")
                let number = try fieldNumber()
                let (options, meta) = try fieldOptions()
                try expect(";")
                let entry = Self.camel(name) + "Entry"
                m.messages.append(ProtoMessage(name: entry, fields: [ProtoField(type: k, name: "key", number: 1),
                                                                     ProtoField(type: v, name: "value", number: 2)]))
                m.fields.append(ProtoField(label: .repeated, type: entry, name: name, number: number, options: options, meta: meta))
            default:
                var label = ProtoField.Label.none
                var type = kw
                if let l = ProtoField.Label(rawValue: kw), l != .none {
                    label = l
                    type = try ident()
                }
                let name = try ident()
                try expect("=")
                let number = try fieldNumber()
                let (options, meta) = try fieldOptions()
                try expect(";")
                m.fields.append(ProtoField(label: label, type: type, name: name, number: number, options: options, meta: meta))
            }
        }
        return m
    }

    mutating func enumeration() throws(ProtoParseError) -> ProtoEnum {
        var e = ProtoEnum(name: try ident(), constants: [])
        try expect("{")
        while !accept("}") {
            if accept(";") { continue }
            let name = try ident()
            if name == "option" {
                _ = try option()
                try expect(";")
                continue
            }
            if name == "reserved" {
                while !accept(";") { _ = try next() }
                continue
            }
            try expect("=")
            let n = try fieldNumber(allowNegative: true)
            _ = try fieldOptions()
            try expect(";")
            e.constants.append(.init(name, n))
        }
        return e
    }

    mutating func fieldNumber(allowNegative: Bool = false) throws(ProtoParseError) -> Int {
        let l = line
        guard case .number(let s) = try next(), let n = Self.integer(s), allowNegative || n > 0 else {
            throw ProtoParseError("expected a field number", l)
        }
        return n
    }

    static func integer(_ s: String) -> Int? {
        if s.hasPrefix("0x") || s.hasPrefix("0X") { return Int(s.dropFirst(2), radix: 16) }
        return Int(s)
    }

    /// `[name = value, …]` after a field: plain options kept as text, `(confluent.field_meta).params` extracted.
    mutating func fieldOptions() throws(ProtoParseError) -> ([ProtoOption], [ProtoField.MetaParam]) {
        guard accept("[") else { return ([], []) }
        var options: [ProtoOption] = []
        var meta: [ProtoField.MetaParam] = []
        repeat {
            let name = try optionName()
            try expect("=")
            let v = try textValue()
            if name == "(confluent.field_meta)" {
                for p in v.field("params")?.items ?? [] {
                    guard let k = p.field("key")?.scalar, let val = p.field("value")?.scalar else { continue }
                    var valueFirst = false
                    if p.kind == .message { valueFirst = p.fields.first?.0 == "value" }
                    meta.append(.init(k, val, valueFirst: valueFirst))
                }
            } else {
                options.append(ProtoOption(name, v.literal))
            }
        } while accept(",")
        try expect("]")
        return (options, meta)
    }

    mutating func option() throws(ProtoParseError) -> ProtoOption {
        let name = try optionName()
        try expect("=")
        return ProtoOption(name, try textValue().literal)
    }

    mutating func optionName() throws(ProtoParseError) -> String {
        var name = ""
        if accept("(") {
            name = "(" + (try ident()) + ")"
            try expect(")")
            if case .ident(let rest) = peek, rest.hasPrefix(".") { pos += 1; name += rest }
        } else {
            name = try ident()
        }
        return name
    }

    /// A constant or a text-format aggregate (`{ k: v, list: [ … ] }`).
    mutating func textValue() throws(ProtoParseError) -> ProtoTextValue {
        let l = line
        switch try next() {
        case .string(let s): return .string(s)
        case .ident(let s), .number(let s): return .constant(s)
        case .symbol("["):
            var items: [ProtoTextValue] = []
            while !accept("]") {
                items.append(try textValue())
                _ = accept(",")
            }
            return .list(items)
        case .symbol("{"):
            var fields: [(String, ProtoTextValue)] = []
            while !accept("}") {
                let k = try ident()
                _ = accept(":")
                fields.append((k, try textValue()))
                _ = accept(",") || accept(";")
            }
            return .message(fields)
        default:
            throw ProtoParseError("expected an option value", l)
        }
    }

    mutating func skipBlock() throws(ProtoParseError) {
        try expect("{")
        var depth = 1
        while depth > 0 {
            switch try next() {
            case .symbol("{"): depth += 1
            case .symbol("}"): depth -= 1
            default: break
            }
        }
    }

    /// protoc's map entry name: `my_map` → `MyMap`.
    static func camel(_ s: String) -> String {
        var out = ""
        var upper = true
        for c in s {
            if c == "_" { upper = true; continue }
            out += upper ? c.uppercased() : String(c)
            upper = false
        }
        return out
    }
}
