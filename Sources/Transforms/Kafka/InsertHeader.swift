import SluiceAPI

/// `org.apache.kafka.connect.transforms.InsertHeader`: adds header `header` with the literal `value.literal`,
/// typed the way Kafka's `Values.parseString` infers it (so `42` is an INT8 header, `true` a BOOLEAN one).
public final class InsertHeader: Transformation, Sendable {
    public static let headerConfig = "header"
    public static let valueLiteralConfig = "value.literal"

    public static let configDef = ConfigDef([
        ConfigKey(headerConfig, .string, default: .required, importance: .high, doc: "The name of the header."),
        ConfigKey(valueLiteralConfig, .string, default: .required, importance: .high,
                  doc: "The literal value that is to be set as the header value on all records."),
    ])

    private let state = ConfiguredState<Header>("InsertHeader")

    public init() {}

    public func configure(_ configs: [String: String]) throws {
        let c = try InsertHeader.configDef.parse(configs)
        // The literal as written (config parsing trims whitespace; a header value may want it).
        let literal = configs[InsertHeader.valueLiteralConfig] ?? c.string(InsertHeader.valueLiteralConfig) ?? ""
        let parsed = LiteralValueParser.parse(literal)
        try state.set(Header(key: c.string(InsertHeader.headerConfig) ?? "", schema: parsed.schema, value: parsed.value))
    }

    public func apply<R: ConnectRecord>(_ record: R) throws -> R? {
        let header = try state.get()
        var copy = record
        copy.headers.add(header)
        return copy
    }
}
