/// Splits PostgreSQL's array text output (`{1,2,NULL,"a \"b\""}`) into element texts (nil = NULL).
///
/// One dimension only: Debezium maps arrays to a flat Connect ARRAY. Nested arrays are rejected with a clear error
/// rather than silently flattened.
public enum PgArrayParser {
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var text: String
        public var reason: String
        public var description: String { "cannot parse array '\(text)': \(reason)" }
    }

    public static func parse(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [String?] {
        var bytes = Array(text.utf8)[...]
        // Arrays with non-default lower bounds are prefixed: `[0:2]={1,2,3}`.
        if bytes.first == UInt8(ascii: "["), let eq = bytes.firstIndex(of: UInt8(ascii: "=")) {
            bytes = bytes[(eq + 1)...]
        }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}"), bytes.count >= 2 else {
            throw ParseError(text: text, reason: "expected '{...}'")
        }
        let body = bytes.dropFirst().dropLast()
        if body.isEmpty { return [] }
        var out: [String?] = []
        var i = body.startIndex
        while true {
            guard i < body.endIndex else { throw ParseError(text: text, reason: "missing element") }
            if body[i] == UInt8(ascii: "{") { throw ParseError(text: text, reason: "multi-dimensional arrays are not supported") }
            if body[i] == UInt8(ascii: "\"") {
                var element: [UInt8] = []
                i += 1
                var closed = false
                while i < body.endIndex {
                    let c = body[i]
                    if c == UInt8(ascii: "\\") {
                        i += 1
                        guard i < body.endIndex else { break }
                        element.append(body[i])
                    } else if c == UInt8(ascii: "\"") {
                        closed = true
                        i += 1
                        break
                    } else {
                        element.append(c)
                    }
                    i += 1
                }
                guard closed else { throw ParseError(text: text, reason: "unterminated quoted element") }
                out.append(String(decoding: element, as: UTF8.self))
            } else {
                let start = i
                while i < body.endIndex, body[i] != delimiter { i += 1 }
                let raw = String(decoding: body[start..<i], as: UTF8.self)
                out.append(raw == "NULL" ? nil : raw)
            }
            if i == body.endIndex { return out }
            guard body[i] == delimiter else { throw ParseError(text: text, reason: "expected '\(Character(UnicodeScalar(delimiter)))'") }
            i += 1
        }
    }
}
