import SluiceAPI

/// `org.apache.kafka.connect.transforms.TimestampRouter`: renames the topic from `topic.format`, replacing
/// `${topic}` and `${timestamp}` (the record timestamp in `timestamp.format`, UTC), e.g. for daily indices.
public final class TimestampRouter: Transformation, Sendable {
    public static let topicFormatConfig = "topic.format"
    public static let timestampFormatConfig = "timestamp.format"

    public static let configDef = ConfigDef([
        ConfigKey(topicFormatConfig, .string, default: .value("${topic}-${timestamp}"), importance: .high,
                  doc: "Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively."),
        ConfigKey(timestampFormatConfig, .string, default: .value("yyyyMMdd"), validator: TransformValidators.dateFormat,
                  importance: .high, doc: "Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>."),
    ])

    struct Config: Sendable {
        let topicFormat: String
        let format: JavaDateFormat
    }

    private let state = ConfiguredState<Config>("TimestampRouter")

    public init() {}

    public func configure(_ configs: [String: String]) throws {
        let c = try TimestampRouter.configDef.parse(configs)
        let pattern = c.string(TimestampRouter.timestampFormatConfig, default: "yyyyMMdd")
        let format: JavaDateFormat
        do { format = try JavaDateFormat(pattern) } catch let e as ConnectError {
            throw ConnectError.invalidConfig(TimestampRouter.timestampFormatConfig, pattern, e.message)
        }
        try state.set(Config(topicFormat: c.string(TimestampRouter.topicFormatConfig, default: "${topic}-${timestamp}"), format: format))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let c = try state.get()
        guard let ts = record.timestamp else {
            throw ConnectError(.dataException, "Timestamp missing on record: topic=\(record.topic), partition=\(record.kafkaPartition.map(String.init) ?? "null")")
        }
        var copy = record
        copy.topic = c.topicFormat
            .replacingAll("${topic}", with: record.topic)
            .replacingAll("${timestamp}", with: c.format.format(epochMillis: ts))
        return copy
    }
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
