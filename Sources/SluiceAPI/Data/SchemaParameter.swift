/// One `parameters` entry of a schema. Parameters are kept in insertion order because JsonConverter writes them in
/// that order and consumers (Debezium golden files, schema registries) compare bytes.
public struct SchemaParameter: Sendable, Hashable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
