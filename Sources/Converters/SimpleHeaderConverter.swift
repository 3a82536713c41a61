import SluiceAPI

/// `org.apache.kafka.connect.storage.SimpleHeaderConverter`, the worker's default header converter: header values
/// are written as text (UTF-8) and read back with their type inferred (booleans, integers of the narrowest width,
/// floats, ISO dates/times/timestamps; anything else is a string). No schema travels with the bytes.
public final class SimpleHeaderConverter: HeaderConverter, Sendable {
    /// No settings, as in Kafka.
    public static let configDef = ConfigDef()

    public init() {}

    public func configure(_ configs: [String: String]) throws {}

    public func fromConnectHeader(topic: String, headerKey: String, schema: Schema?, value: Value) throws -> [UInt8]? {
        if value.isNull { return nil }
        return Array(HeaderValues.format(value, schema).utf8)
    }

    public func toConnectHeader(topic: String, headerKey: String, value: [UInt8]?) throws -> SchemaAndValue {
        guard let value else { return .null }
        return HeaderValues.parse(String(decoding: value, as: UTF8.self))
    }
}
