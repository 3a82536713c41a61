/// Splits `.proto` text into tokens: identifiers (dotted names included), numbers, quoted strings (unescaped),
/// and single-character symbols; skips whitespace and `//` / `/* */` comments. Errors name the line.
struct ProtoTokenizer {
    enum Token: Equatable {
        case ident(String)
        case number(String)
        case string(String)
        case symbol(Character)
    }

    static func tokenize(_ text: String) throws(ProtoParseError) -> [(Token, Int)] {
        var out: [(Token, Int)] = []
        let chars = Array(text.unicodeScalars)
        var i = 0, line = 1
        func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic && c.isASCII }
        func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) || c == "." }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { line += 1; i += 1; continue }
            if c == " " || c == "\t" || c == "\r" { i += 1; continue }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count, !(chars[i] == "*" && chars[i + 1] == "/") {
                    if chars[i] == "\n" { line += 1 }
                    i += 1
                }
                guard i + 1 < chars.count else { throw ProtoParseError("unterminated comment", line) }
                i += 2
                continue
            }
            if c == "\"" || c == "'" {
                var s = String.UnicodeScalarView()
                i += 1
                while i < chars.count, chars[i] != c {
                    if chars[i] == "\\", i + 1 < chars.count {
                        i += 1
                        switch chars[i] {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        case "r": s.append("\r")
                        default: s.append(chars[i])
                        }
                    } else {
                        if chars[i] == "\n" { throw ProtoParseError("unterminated string", line) }
                        s.append(chars[i])
                    }
                    i += 1
                }
                guard i < chars.count else { throw ProtoParseError("unterminated string", line) }
                i += 1
                out.append((.string(String(s)), line))
                continue
            }
            if isIdentStart(c) || c == "." && i + 1 < chars.count && isIdentStart(chars[i + 1]) {
                var s = String.UnicodeScalarView()
                while i < chars.count, isIdent(chars[i]) { s.append(chars[i]); i += 1 }
                out.append((.ident(String(s)), line))
                continue
            }
            if ("0"..."9").contains(c) || c == "-" || c == "+" {
                var s = String.UnicodeScalarView()
                s.append(c)
                i += 1
                while i < chars.count, isIdent(chars[i]) || chars[i] == "-" || chars[i] == "+" { s.append(chars[i]); i += 1 }
                out.append((.number(String(s)), line))
                continue
            }
            if "{}[]()<>=;,:".unicodeScalars.contains(c) {
                out.append((.symbol(Character(c)), line))
                i += 1
                continue
            }
            throw ProtoParseError("unexpected character '\(c)'", line)
        }
        return out
    }
}

/// A `.proto` text the parser cannot read, with the line.
public struct ProtoParseError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var line: Int
    init(_ message: String, _ line: Int) {
        self.message = message
        self.line = line
    }
    public var description: String { "line \(line): \(message)" }
}
