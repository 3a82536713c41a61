import Foundation

/// Reads Java `.properties` text exactly as `java.util.Properties.load` does, so the worker and connector files users
/// already have for Kafka Connect mean the same thing here.
///
/// Rules (from `Properties.LineReader` and `load0`): lines end with `\n`, `\r\n` or `\r`; leading spaces, tabs and
/// form feeds are skipped; a line whose first other character is `#` or `!` is a comment; an odd number of trailing
/// backslashes joins the next line, whose leading whitespace is dropped; the key ends at the first unescaped `=`, `:`
/// or whitespace, and whitespace plus at most one `=`/`:` after it are skipped; escapes are `\t \n \r \f \uXXXX`, any
/// other escaped character stands for itself (`\=`, `\:`, `\ `, `\\`, `\#`); the last duplicate key wins.
///
/// One deliberate difference: Java's `load(InputStream)` decodes bytes as ISO-8859-1, which garbles UTF-8 files;
/// `load(path:)` decodes UTF-8 and only falls back to ISO-8859-1 for bytes that are not valid UTF-8.
public enum JavaProperties {
    /// A problem in a properties file, naming the file (when known) and the line.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let path: String?
        public let line: Int
        public let message: String
        public var description: String { "\(path.map { $0 + ":" } ?? "line ")\(line): \(message)" }
    }

    /// Keys and values; the last of duplicate keys wins. Malformed `\uXXXX` escapes are kept as written (Java would
    /// throw); use `pairs(_:)` or `load(path:)` to get an error instead.
    public static func parse(_ text: String) -> [String: String] {
        dictionary(from: (try? entries(text, strict: false, path: nil)) ?? [])
    }

    /// Every entry in file order, duplicates included, for callers that care about order (e.g. to echo a config back).
    /// Throws on a malformed `\uXXXX` escape, as Java does.
    public static func pairs(_ text: String) throws -> [(key: String, value: String)] {
        try entries(text, strict: true, path: nil).map { ($0.key, $0.value) }
    }

    /// Reads and parses a file; errors name the file and line.
    public static func load(path: String) throws -> [String: String] {
        dictionary(from: try entries(try readText(path: path), strict: true, path: path))
    }

    /// Like `load(path:)`, keeping file order and duplicates.
    public static func loadPairs(path: String) throws -> [(key: String, value: String)] {
        try entries(try readText(path: path), strict: true, path: path).map { ($0.key, $0.value) }
    }

    // MARK: - Implementation

    struct Entry {
        var key: String
        var value: String
        var line: Int
    }

    static func readText(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let why = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
            throw ParseError(path: path, line: 0, message: "Cannot read properties file (\(why))")
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        return String(decoding: data.map { UInt16($0) }, as: UTF16.self)  // ISO-8859-1: each byte is its code point
    }

    static func dictionary(from entries: [Entry]) -> [String: String] {
        var out: [String: String] = [:]
        for e in entries { out[e.key] = e.value }
        return out
    }

    static func entries(_ text: String, strict: Bool, path: String?) throws -> [Entry] {
        try logicalLines(Array(text.utf16)).map { line in
            try split(line.chars, lineNumber: line.number, strict: strict, path: path)
        }
    }

    private static let lf: UInt16 = 0x0A, cr: UInt16 = 0x0D, space: UInt16 = 0x20, tab: UInt16 = 0x09, ff: UInt16 = 0x0C
    private static let backslash: UInt16 = 0x5C, hash: UInt16 = 0x23, bang: UInt16 = 0x21
    private static let equals: UInt16 = 0x3D, colon: UInt16 = 0x3A

    private static func isBlank(_ c: UInt16) -> Bool { c == space || c == tab || c == ff }

    /// `Properties.LineReader.readLine`: natural lines joined into logical lines, comments and blank lines dropped.
    static func logicalLines(_ u: [UInt16]) -> [(chars: [UInt16], number: Int)] {
        var lines: [(chars: [UInt16], number: Int)] = []
        var i = 0
        var lineNo = 1
        var buf: [UInt16] = []
        var startLine = 1
        var skipWhiteSpace = true
        var appendedLineBegin = false
        var precedingBackslash = false

        func next() -> UInt16 {
            let c = u[i]
            i += 1
            if c == lf || (c == cr && (i >= u.count || u[i] != lf)) { lineNo += 1 }
            return c
        }
        func emit() {
            if precedingBackslash { buf.removeLast() }
            lines.append((buf, startLine))
            buf.removeAll(keepingCapacity: true)
            skipWhiteSpace = true
            appendedLineBegin = false
            precedingBackslash = false
        }

        while i < u.count {
            let c = next()
            if skipWhiteSpace {
                if isBlank(c) { continue }
                if !appendedLineBegin && (c == cr || c == lf) { continue }
                skipWhiteSpace = false
                appendedLineBegin = false
            }
            if buf.isEmpty {
                startLine = (c == lf || c == cr) ? lineNo - 1 : lineNo
                if c == hash || c == bang {
                    while i < u.count {
                        let d = next()
                        if d == cr || d == lf { break }
                    }
                    skipWhiteSpace = true
                    continue
                }
            }
            if c != lf && c != cr {
                buf.append(c)
                precedingBackslash = c == backslash ? !precedingBackslash : false
                continue
            }
            // End of a natural line.
            if buf.isEmpty {
                skipWhiteSpace = true
                continue
            }
            if i >= u.count { break }
            if precedingBackslash {
                buf.removeLast()  // the backslash joining the lines is not part of the value
                skipWhiteSpace = true
                appendedLineBegin = true
                precedingBackslash = false
                if c == cr && u[i] == lf { _ = next() }
            } else {
                emit()
            }
        }
        if !buf.isEmpty { emit() }
        return lines
    }

    /// `Properties.load0`: the key ends at the first unescaped separator; whitespace and one `=`/`:` follow it.
    static func split(_ line: [UInt16], lineNumber: Int, strict: Bool, path: String?) throws -> Entry {
        let limit = line.count
        var keyLen = 0
        var valueStart = limit
        var hasSep = false
        var precedingBackslash = false
        while keyLen < limit {
            let c = line[keyLen]
            if (c == equals || c == colon) && !precedingBackslash {
                valueStart = keyLen + 1
                hasSep = true
                break
            } else if isBlank(c) && !precedingBackslash {
                valueStart = keyLen + 1
                break
            }
            precedingBackslash = c == backslash ? !precedingBackslash : false
            keyLen += 1
        }
        while valueStart < limit {
            let c = line[valueStart]
            if !isBlank(c) {
                if !hasSep && (c == equals || c == colon) { hasSep = true } else { break }
            }
            valueStart += 1
        }
        let key = try unescape(line[0..<keyLen], lineNumber: lineNumber, strict: strict, path: path)
        let value = try unescape(line[valueStart..<limit], lineNumber: lineNumber, strict: strict, path: path)
        return Entry(key: key, value: value, line: lineNumber)
    }

    /// `Properties.loadConvert`: resolves escapes; UTF-16 units so `\uD83D\uDE00` pairs form one character.
    static func unescape(_ s: ArraySlice<UInt16>, lineNumber: Int, strict: Bool, path: String?) throws -> String {
        guard s.contains(backslash) else { return String(decoding: s, as: UTF16.self) }
        var out: [UInt16] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            i += 1
            guard c == backslash else {
                out.append(c)
                continue
            }
            guard i < s.endIndex else { break }  // a lone trailing backslash cannot survive readLine; be safe anyway
            let e = s[i]
            i += 1
            switch e {
            case 0x75:  // u
                var value: UInt16 = 0
                var ok = i + 4 <= s.endIndex
                if ok {
                    for k in 0..<4 {
                        guard let digit = hexValue(s[i + k]) else { ok = false; break }
                        value = value << 4 | digit
                    }
                }
                if ok {
                    out.append(value)
                    i += 4
                } else if strict {
                    throw ParseError(path: path, line: lineNumber, message: "Malformed \\uxxxx encoding.")
                } else {
                    out.append(backslash)
                    out.append(e)
                }
            case 0x74: out.append(tab)  // t
            case 0x72: out.append(cr)  // r
            case 0x6E: out.append(lf)  // n
            case 0x66: out.append(ff)  // f
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF16.self)
    }

    private static func hexValue(_ c: UInt16) -> UInt16? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
