import SluiceAPI

extension SubjectNameStrategy {
    /// The subject for `topic` when the schema's record name is `recordName` (a Protobuf message's full name).
    public func subject(topic: String, isKey: Bool, recordName: String) -> String {
        switch self {
        case .topicName: return topic + (isKey ? "-key" : "-value")
        case .recordName: return recordName
        case .topicRecordName: return topic + "-" + recordName
        }
    }
}
