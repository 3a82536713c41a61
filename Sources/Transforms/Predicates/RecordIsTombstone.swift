import SluiceAPI

/// `org.apache.kafka.connect.transforms.predicates.RecordIsTombstone`: true when the record's value is null.
public final class RecordIsTombstone: Predicate, Sendable {
    public static let configDef = ConfigDef()

    public init() {}

    public func configure(_ configs: [String: String]) throws { _ = try RecordIsTombstone.configDef.parse(configs) }

    public func test<R: ConnectRecord>(_ record: R) -> Bool { record.value.isNull }
}
