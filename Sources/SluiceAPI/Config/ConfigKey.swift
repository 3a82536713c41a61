/// One declared config key (`ConfigDef.ConfigKey`): drives parsing, validation, REST `validate` answers and docs.
public struct ConfigKey: Sendable {
    /// A key's default: required (no default), or a default text (nil = null default).
    public enum Default: Sendable, Hashable {
        case required
        case value(String?)
    }

    public let name: String
    public let type: ConfigType
    public let defaultValue: Default
    public let validator: ConfigValidator?
    public let importance: ConfigImportance
    public let documentation: String
    public let group: String?
    public let orderInGroup: Int
    public let width: ConfigWidth
    public let displayName: String
    public let dependents: [String]
    /// Values a UI may offer (REST `recommended_values`).
    public let recommendedValues: [String]

    public init(
        _ name: String, _ type: ConfigType, default defaultValue: Default, validator: ConfigValidator? = nil,
        importance: ConfigImportance = .medium, doc: String, group: String? = nil, orderInGroup: Int = -1,
        width: ConfigWidth = .none, displayName: String? = nil, dependents: [String] = [],
        recommendedValues: [String] = []
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.validator = validator
        self.importance = importance
        self.documentation = doc
        self.group = group
        self.orderInGroup = orderInGroup
        self.width = width
        self.displayName = displayName ?? name
        self.dependents = dependents
        self.recommendedValues = recommendedValues
    }

    public var isRequired: Bool { defaultValue == .required }

    /// Parses `text` into this key's type, throwing a `ConnectError` in Kafka's wording that names the key.
    public func parse(_ text: String?) throws -> ConfigParsedValue {
        guard let raw = text else { return .null }
        let t = raw.trimmedWhitespace
        switch type {
        case .boolean:
            switch t.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw ConnectError.invalidConfig(name, raw, "Expected value to be either true or false")
            }
        case .string, .className: return .string(t)
        case .password: return .password(raw)
        case .int, .short, .long:
            guard let v = Int64(t) else {
                throw ConnectError.invalidConfig(name, raw, "Not a number of type \(type.rawValue)")
            }
            if type == .int && (v < Int64(Int32.min) || v > Int64(Int32.max)) {
                throw ConnectError.invalidConfig(name, raw, "Not a number of type INT")
            }
            if type == .short && (v < Int64(Int16.min) || v > Int64(Int16.max)) {
                throw ConnectError.invalidConfig(name, raw, "Not a number of type SHORT")
            }
            return .int(v)
        case .double:
            guard let v = Double(t) else { throw ConnectError.invalidConfig(name, raw, "Not a number of type DOUBLE") }
            return .double(v)
        case .list:
            if t.isEmpty { return .list([]) }
            return .list(t.split(separator: ",", omittingEmptySubsequences: false).map {
                String($0).trimmedWhitespace
            })
        }
    }
}

extension String {
    /// The string without leading and trailing ASCII whitespace.
    var trimmedWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
