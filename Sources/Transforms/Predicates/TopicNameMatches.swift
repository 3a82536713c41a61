import SluiceAPI

/// `org.apache.kafka.connect.transforms.predicates.TopicNameMatches`: true when the whole topic name matches
/// `pattern` (Java `Matcher.matches()`).
public final class TopicNameMatches: Predicate, Sendable {
    public static let patternConfig = "pattern"

    public static let configDef = ConfigDef([
        ConfigKey(patternConfig, .string, default: .required, validator: TransformValidators.regex,
                  importance: .medium, doc: "A Java regular expression for matching against the name of a record's topic.")
    ])

    struct Config: Sendable {
        let regex: CompiledRegex
        let verdicts = TopicCache<Bool>()
    }

    private let state = ConfiguredState<Config>("TopicNameMatches")

    public init() {}

    public func configure(_ configs: [String: String]) throws {
        let c = try TopicNameMatches.configDef.parse(configs)
        try state.set(Config(regex: try CompiledRegex(c.string(TopicNameMatches.patternConfig) ?? "", key: TopicNameMatches.patternConfig)))
    }

    public func test<R: ConnectRecord>(_ record: R) -> Bool {
        guard let c = try? state.get() else { return false }
        return c.verdicts.result(for: record.topic) { c.regex.wholeMatch(record.topic) != nil }
    }
}
