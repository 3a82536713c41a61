import SluiceAPI

/// `org.apache.kafka.connect.transforms.DropHeaders`: removes every header whose key is listed in `headers`.
public final class DropHeaders: Transformation, Sendable {
    public static let headersConfig = "headers"

    public static let configDef = ConfigDef([
        ConfigKey(headersConfig, .list, default: .required, validator: TransformValidators.nonEmptyList,
                  importance: .high, doc: "The name of the headers to be removed.")
    ])

    private let state = ConfiguredState<Set<String>>("DropHeaders")

    public init() {}

    public func configure(_ configs: [String: String]) throws {
        let parsed = try DropHeaders.configDef.parse(configs)
        try state.set(Set(parsed.list(DropHeaders.headersConfig)))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let names = try state.get()
        guard record.headers.contains(where: { names.contains($0.key) }) else { return record }
        var copy = record
        copy.headers = Headers(record.headers.items.filter { !names.contains($0.key) })
        return copy
    }
}
