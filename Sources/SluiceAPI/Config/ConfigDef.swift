/// A set of declared config keys (`org.apache.kafka.common.config.ConfigDef`).
///
/// The same definition parses a connector's properties, answers REST `config/validate` and documents the plugin.
public struct ConfigDef: Sendable {
    public private(set) var keys: [ConfigKey] = []
    private var index: [String: Int] = [:]
    /// Cross-key checks run after each key parsed (e.g. "`query` cannot be combined with table filters").
    public private(set) var crossChecks: [@Sendable (ParsedConfig) -> [(key: String, message: String)]] = []

    public init() {}
    public init(_ keys: [ConfigKey]) { for k in keys { define(k) } }

    public mutating func define(_ key: ConfigKey) {
        if let i = index[key.name] { keys[i] = key; return }
        index[key.name] = keys.count
        keys.append(key)
    }

    /// Returns a copy with more keys (later definitions of a name replace earlier ones).
    public func merging(_ other: ConfigDef) -> ConfigDef {
        var d = self
        for k in other.keys { d.define(k) }
        for c in other.crossChecks { d.crossChecks.append(c) }
        return d
    }

    /// Adds a check over several keys; it returns (key, message) pairs for each problem found.
    public mutating func addCrossCheck(_ check: @escaping @Sendable (ParsedConfig) -> [(key: String, message: String)]) {
        crossChecks.append(check)
    }

    public func key(_ name: String) -> ConfigKey? { index[name].map { keys[$0] } }

    /// Parses `props`; throws the first problem as a `ConnectError` naming the key.
    public func parse(_ props: [String: String]) throws -> ParsedConfig {
        let results = validate(props)
        if let bad = results.first(where: { !$0.errors.isEmpty }) {
            throw ConnectError(.config, bad.errors[0])
        }
        return ParsedConfig(def: self, originals: props, values: Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0.parsed) }))
    }

    /// Validates every key and returns one result per key in definition order (errors empty when valid).
    public func validate(_ props: [String: String]) -> [ConfigValueInfo] {
        var results: [ConfigValueInfo] = []
        var parsedValues: [String: ConfigParsedValue] = [:]
        for k in keys {
            var info = ConfigValueInfo(name: k.name, value: nil, parsed: .null, errors: [], recommendedValues: k.recommendedValues)
            let text: String?
            if let given = props[k.name] {
                text = given
            } else if case .value(let d) = k.defaultValue {
                text = d
            } else {
                info.errors.append("Missing required configuration \"\(k.name)\" which has no default value.")
                results.append(info)
                continue
            }
            info.value = k.type == .password ? (text == nil ? nil : "[hidden]") : text
            do {
                let parsed: ConfigParsedValue
                do {
                    parsed = try k.parse(text)
                } catch {
                    // Kafka reports no value for a value it could not parse (REST `value.value` is null).
                    info.value = nil
                    throw error
                }
                if !(parsed == .null) { try k.validator?.check(k.name, parsed) }
                info.parsed = parsed
                parsedValues[k.name] = parsed
            } catch let e as ConnectError {
                info.errors.append(e.message)
            } catch {
                info.errors.append("Invalid value for configuration \(k.name): \(error)")
            }
            results.append(info)
        }
        if !crossChecks.isEmpty, results.allSatisfy({ $0.errors.isEmpty }) {
            let pc = ParsedConfig(def: self, originals: props, values: parsedValues)
            for check in crossChecks {
                for problem in check(pc) {
                    if let i = results.firstIndex(where: { $0.name == problem.key }) {
                        results[i].errors.append(problem.message)
                    } else {
                        results.append(ConfigValueInfo(name: problem.key, value: props[problem.key], parsed: .null, errors: [problem.message], recommendedValues: []))
                    }
                }
            }
        }
        return results
    }
}

/// The outcome of validating one key, as REST `config/validate` reports it.
public struct ConfigValueInfo: Sendable {
    public var name: String
    public var value: String?
    public var parsed: ConfigParsedValue
    public var errors: [String]
    public var recommendedValues: [String]
    public var visible = true

    public init(name: String, value: String? = nil, parsed: ConfigParsedValue = .null, errors: [String] = [], recommendedValues: [String] = [], visible: Bool = true) {
        self.name = name
        self.value = value
        self.parsed = parsed
        self.errors = errors
        self.recommendedValues = recommendedValues
        self.visible = visible
    }
}
