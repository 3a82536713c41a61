/// Parsed, validated configuration with typed getters (`AbstractConfig`).
///
/// Getters for keys that were declared never fail; asking for an undeclared key is a programming error and
/// answers the raw text or nil.
public struct ParsedConfig: Sendable {
    public let def: ConfigDef
    /// The properties exactly as given, including keys the definition does not know (pass-through settings).
    public let originals: [String: String]
    let values: [String: ConfigParsedValue]

    public init(def: ConfigDef, originals: [String: String], values: [String: ConfigParsedValue]) {
        self.def = def
        self.originals = originals
        self.values = values
    }

    public func value(_ key: String) -> ConfigParsedValue {
        values[key] ?? originals[key].map { .string($0) } ?? .null
    }

    public func string(_ key: String) -> String? {
        switch value(key) {
        case .string(let s), .password(let s): return s
        case .null: return nil
        case let v: return v.text
        }
    }

    public func string(_ key: String, default d: String) -> String { string(key) ?? d }

    public func int(_ key: String) -> Int {
        if case .int(let i) = value(key) { return Int(i) }
        return Int(string(key) ?? "") ?? 0
    }
    public func int64(_ key: String) -> Int64 {
        if case .int(let i) = value(key) { return i }
        return Int64(string(key) ?? "") ?? 0
    }
    public func double(_ key: String) -> Double {
        value(key).doubleValue ?? Double(string(key) ?? "") ?? 0
    }
    public func bool(_ key: String) -> Bool {
        if case .boolean(let b) = value(key) { return b }
        return string(key)?.lowercased() == "true"
    }
    public func list(_ key: String) -> [String] {
        if case .list(let l) = value(key) { return l }
        guard let s = string(key), !s.isEmpty else { return [] }
        return s.split(separator: ",").map { String($0).trimmedWhitespace }
    }
    public func password(_ key: String) -> String? { string(key) }

    /// Originals whose key starts with `prefix`, with the prefix removed (e.g. `value.converter.`).
    public func originals(withPrefix prefix: String) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in originals where k.hasPrefix(prefix) { out[String(k.dropFirst(prefix.count))] = v }
        return out
    }
}
