/// Turns Connect data into Kafka bytes and back (`connect.storage.Converter`).
public protocol Converter: AnyObject, Sendable {
    func configure(_ configs: [String: String], isKey: Bool) throws
    func fromConnectData(topic: String, headers: Headers?, schema: Schema?, value: Value) throws -> [UInt8]?
    func toConnectData(topic: String, headers: Headers?, value: [UInt8]?) throws -> SchemaAndValue
}

/// Turns header values into bytes and back (`connect.storage.HeaderConverter`).
public protocol HeaderConverter: AnyObject, Sendable {
    func configure(_ configs: [String: String]) throws
    func fromConnectHeader(topic: String, headerKey: String, schema: Schema?, value: Value) throws -> [UInt8]?
    func toConnectHeader(topic: String, headerKey: String, value: [UInt8]?) throws -> SchemaAndValue
}
