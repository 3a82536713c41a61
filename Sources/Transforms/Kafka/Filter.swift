import SluiceAPI

/// `org.apache.kafka.connect.transforms.Filter`: drops every record. Useful only with a predicate
/// (`transforms.x.predicate` / `.negate`), which decides which records reach it.
public final class Filter: Transformation, Sendable {
    public static let configDef = ConfigDef()

    public init() {}

    public func configure(_ configs: [String: String]) throws { _ = try Filter.configDef.parse(configs) }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? { nil }
}
