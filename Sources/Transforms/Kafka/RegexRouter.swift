import SluiceAPI

/// `org.apache.kafka.connect.transforms.RegexRouter`: when the whole topic matches `regex`, renames it to
/// `replacement` with Java-style `$1` group references; other records keep their topic.
public final class RegexRouter: Transformation, Sendable {
    public static let regexConfig = "regex"
    public static let replacementConfig = "replacement"

    public static let configDef = ConfigDef([
        ConfigKey(regexConfig, .string, default: .required, validator: TransformValidators.regex, importance: .high,
                  doc: "Regular expression to use for matching."),
        ConfigKey(replacementConfig, .string, default: .required, importance: .high, doc: "Replacement string."),
    ])

    struct Config: Sendable {
        let regex: CompiledRegex
        let replacement: JavaReplacement
        let topics = TopicCache<String?>()
    }

    private let state = ConfiguredState<Config>("RegexRouter")

    public init() {}

    public func configure(_ configs: [String: String]) throws {
        let c = try RegexRouter.configDef.parse(configs)
        let regex = try CompiledRegex(c.string(RegexRouter.regexConfig) ?? "", key: RegexRouter.regexConfig)
        // Kept exactly as written: spaces around a replacement are part of the topic name.
        let text = configs[RegexRouter.replacementConfig] ?? ""
        let replacement: JavaReplacement
        do {
            replacement = try JavaReplacement(text, groupCount: regex.groupCount)
        } catch let e as ConnectError {
            throw ConnectError.invalidConfig(RegexRouter.replacementConfig, text, e.message)
        }
        try state.set(Config(regex: regex, replacement: replacement))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let c = try state.get()
        let renamed = try c.topics.result(for: record.topic) { () throws -> String? in
            guard let m = c.regex.wholeMatch(record.topic) else { return nil }
            return try c.replacement.expand(m)
        }
        guard let renamed else { return record }
        var copy = record
        copy.topic = renamed
        return copy
    }
}
