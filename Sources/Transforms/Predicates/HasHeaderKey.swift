import SluiceAPI

/// `org.apache.kafka.connect.transforms.predicates.HasHeaderKey`: true when the record has at least one header
/// called `name`.
public final class HasHeaderKey: Predicate, Sendable {
    public static let nameConfig = "name"

    public static let configDef = ConfigDef([
        ConfigKey(nameConfig, .string, default: .required, validator: TransformValidators.nonEmptyString,
                  importance: .medium, doc: "The header name.")
    ])

    private let state = ConfiguredState<String>("HasHeaderKey")

    public init() {}

    public func configure(_ configs: [String: String]) throws {
        try state.set(try HasHeaderKey.configDef.parse(configs).string(HasHeaderKey.nameConfig) ?? "")
    }

    public func test<R: ConnectRecord>(_ record: R) -> Bool {
        guard let name = try? state.get() else { return false }
        return record.headers.contains { $0.key == name }
    }
}
