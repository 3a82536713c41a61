import SluiceAPI

/// A regex compiled once from config text. Swift's `Regex` is not `Sendable`; it is immutable after
/// construction and only read, so sharing it across the task thread is safe.
final class CompiledRegex: @unchecked Sendable {
    let pattern: String
    let regex: Regex<AnyRegexOutput>
    let groupCount: Int

    init(_ pattern: String, key: String) throws {
        self.pattern = pattern
        do {
            regex = try Regex(pattern)
        } catch {
            throw ConnectError.invalidConfig(key, pattern, "Invalid regex: \(error)")
        }
        groupCount = CompiledRegex.countGroups(pattern)
    }

    /// A Java `Matcher.matches()`: the whole text must match.
    func wholeMatch(_ text: String) -> Regex<AnyRegexOutput>.Match? {
        try? regex.wholeMatch(in: text)
    }

    /// Counts capturing groups in the pattern text: `(` not escaped, not in a class, not `(?:`, `(?=` ….
    static func countGroups(_ pattern: String) -> Int {
        let c = Array(pattern)
        var n = 0
        var i = 0
        var inClass = false
        while i < c.count {
            if c[i] == "\\" { i += 2; continue }
            if inClass { if c[i] == "]" { inClass = false }; i += 1; continue }
            if c[i] == "[" { inClass = true } else if c[i] == "(" {
                if i + 1 < c.count, c[i + 1] == "?" {
                    if i + 2 < c.count, c[i + 2] == "<" || c[i + 2] == "P" || c[i + 2] == "'",
                       i + 3 < c.count, c[i + 3] != "=" && c[i + 3] != "!" {
                        n += 1
                    }
                } else {
                    n += 1
                }
            }
            i += 1
        }
        return n
    }
}
