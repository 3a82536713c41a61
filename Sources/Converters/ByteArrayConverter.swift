import SluiceAPI

/// `org.apache.kafka.connect.converters.ByteArrayConverter`: passes bytes through untouched, for pipelines that move
/// opaque payloads without decoding them.
public final class ByteArrayConverter: Converter, HeaderConverter, Sendable {
    /// Only `converter.type`: the bytes need no settings.
    public static let configDef = ConverterConfig.baseConfigDef

    public init() {}

    public func configure(_ configs: [String: String], isKey: Bool) throws {
        _ = try ByteArrayConverter.configDef.parse(ConverterConfig.withType(configs, isKey ? .key : .value))
    }

    public func configure(_ configs: [String: String]) throws {}

    public func fromConnectData(topic: String, headers: Headers?, schema: Schema?, value: Value) throws -> [UInt8]? {
        if let schema, schema.type != .bytes {
            throw ConnectError(.dataException, "Invalid schema type for ByteArrayConverter: \(schema.type.javaName)")
        }
        switch value {
        case .null: return nil
        case .bytes(let b): return b
        default:
            throw ConnectError(.dataException, "ByteArrayConverter is not compatible with objects of type \(JsonPayloadEncoder.javaClass(value))")
        }
    }

    public func toConnectData(topic: String, headers: Headers?, value: [UInt8]?) throws -> SchemaAndValue {
        SchemaAndValue(schema: .optionalBytes, value: value.map { .bytes($0) } ?? .null)
    }

    public func fromConnectHeader(topic: String, headerKey: String, schema: Schema?, value: Value) throws -> [UInt8]? {
        try fromConnectData(topic: topic, headers: nil, schema: schema, value: value)
    }

    public func toConnectHeader(topic: String, headerKey: String, value: [UInt8]?) throws -> SchemaAndValue {
        try toConnectData(topic: topic, headers: nil, value: value)
    }
}
