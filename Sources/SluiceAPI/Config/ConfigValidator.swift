/// Checks a parsed config value; throws a message saying what is wrong (the key and value are added by ConfigDef).
public struct ConfigValidator: Sendable {
    public let check: @Sendable (_ key: String, _ value: ConfigParsedValue) throws -> Void
    public let describe: String

    public init(_ describe: String, _ check: @escaping @Sendable (_ key: String, _ value: ConfigParsedValue) throws -> Void) {
        self.check = check
        self.describe = describe
    }

    /// Numbers in [min, max] (either bound optional), like `ConfigDef.Range`.
    public static func range(min: Double? = nil, max: Double? = nil) -> ConfigValidator {
        let text = "[\(min.map { formatBound($0) } ?? "..."),...,\(max.map { formatBound($0) } ?? "...")]"
        return ConfigValidator(text) { key, v in
            guard let d = v.doubleValue else { return }
            if let min, d < min { throw ConnectError.invalidConfig(key, v.text, "Value must be at least \(formatBound(min))") }
            if let max, d > max { throw ConnectError.invalidConfig(key, v.text, "Value must be no more than \(formatBound(max))") }
        }
    }

    /// One of the given strings (case-insensitive when asked), like `ConfigDef.ValidString` / `CaseInsensitiveValidString`.
    public static func oneOf(_ allowed: [String], caseInsensitive: Bool = false) -> ConfigValidator {
        ConfigValidator("[\(allowed.joined(separator: ", "))]") { key, v in
            guard let s = v.stringValue else { return }
            let ok = caseInsensitive ? allowed.contains { $0.lowercased() == s.lowercased() } : allowed.contains(s)
            if !ok { throw ConnectError.invalidConfig(key, s, "String must be one of: \(allowed.joined(separator: ", "))") }
        }
    }

    /// Every list element one of the given strings.
    public static func listOf(_ allowed: [String]) -> ConfigValidator {
        ConfigValidator("[\(allowed.joined(separator: ", "))]") { key, v in
            for s in v.listValue ?? [] where !allowed.contains(s) {
                throw ConnectError.invalidConfig(key, s, "Must be one of: \(allowed.joined(separator: ", "))")
            }
        }
    }

    public static let nonEmptyString = ConfigValidator("non-empty string") { key, v in
        if let s = v.stringValue, s.isEmpty { throw ConnectError.invalidConfig(key, s, "String must be non-empty") }
    }

    /// A valid regular expression (Swift `Regex` syntax, which accepts the Java patterns users write in practice).
    public static let regex = ConfigValidator("valid regex") { key, v in
        for s in (v.listValue ?? (v.stringValue.map { [$0] } ?? [])) {
            do { _ = try Regex(s) } catch {
                throw ConnectError.invalidConfig(key, s, "Not a valid regular expression: \(error)")
            }
        }
    }

    static func formatBound(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e18 ? String(Int64(d)) : String(d)
    }
}
