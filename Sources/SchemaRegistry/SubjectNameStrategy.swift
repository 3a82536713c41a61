import SluiceAPI

/// `key.subject.name.strategy` / `value.subject.name.strategy` (package `io.confluent.kafka.serializers.subject.`):
/// which registry subject a topic's keys or values are registered under.
public enum SubjectNameStrategy: String, Sendable, CaseIterable {
    case topicName = "io.confluent.kafka.serializers.subject.TopicNameStrategy"
    case recordName = "io.confluent.kafka.serializers.subject.RecordNameStrategy"
    case topicRecordName = "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"

    /// The strategy a config value names (full class name or simple name).
    public init?(className: String) {
        let simple = className.split(separator: ".").last.map(String.init) ?? className
        guard let s = Self.allCases.first(where: { $0.rawValue == className || $0.rawValue.hasSuffix("." + simple) }) else { return nil }
        self = s
    }

    /// The subject for `topic`; the record strategies need a named record schema.
    public func subject(topic: String, isKey: Bool, schema: AvroSchema) throws(ConnectError) -> String {
        switch self {
        case .topicName:
            return topic + (isKey ? "-key" : "-value")
        case .recordName, .topicRecordName:
            guard schema.kind == .record else {
                throw ConnectError(.serialization, "In configuration \(isKey ? "key" : "value").subject.name.strategy = \(rawValue), the message value must only be a record schema")
            }
            return self == .recordName ? schema.fullName : topic + "-" + schema.fullName
        }
    }
}
