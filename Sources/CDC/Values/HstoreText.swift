import SluiceAPI

/// hstore's text form: `"a"=>"1", "b"=>NULL`.
enum HstoreText {
    struct ParseError: Error, CustomStringConvertible {
        let text: String
        var description: String { "cannot parse hstore '\(text)'" }
    }

    static func parse(_ text: String) throws -> [(String, String?)] {
        let u = Array(text.utf8)
        var i = 0
        var out: [(String, String?)] = []
        func skipSpace() { while i < u.count, u[i] == 0x20 { i += 1 } }
        func quoted() throws -> String {
            guard i < u.count, u[i] == UInt8(ascii: "\"") else { throw ParseError(text: text) }
            i += 1
            var s: [UInt8] = []
            while i < u.count, u[i] != UInt8(ascii: "\"") {
                if u[i] == UInt8(ascii: "\\"), i + 1 < u.count { i += 1 }
                s.append(u[i])
                i += 1
            }
            guard i < u.count else { throw ParseError(text: text) }
            i += 1
            return String(decoding: s, as: UTF8.self)
        }
        skipSpace()
        while i < u.count {
            let key = try quoted()
            skipSpace()
            guard i + 1 < u.count, u[i] == UInt8(ascii: "="), u[i + 1] == UInt8(ascii: ">") else { throw ParseError(text: text) }
            i += 2
            skipSpace()
            if u[i...].starts(with: Array("NULL".utf8)) {
                i += 4
                out.append((key, nil))
            } else {
                out.append((key, try quoted()))
            }
            skipSpace()
            if i < u.count {
                guard u[i] == UInt8(ascii: ",") else { throw ParseError(text: text) }
                i += 1
                skipSpace()
            }
        }
        return out
    }

    /// Compact JSON object of the pairs, in their text order.
    static func json(_ pairs: [(String, String?)]) -> String {
        var w = JSONWriter()
        w.raw(UInt8(ascii: "{"))
        for (n, (k, v)) in pairs.enumerated() {
            if n > 0 { w.raw(UInt8(ascii: ",")) }
            w.string(k)
            w.raw(UInt8(ascii: ":"))
            if let v { w.string(v) } else { w.null() }
        }
        w.raw(UInt8(ascii: "}"))
        return w.string
    }
}
