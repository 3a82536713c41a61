/// One record header: a key and a schema-typed value (`org.apache.kafka.connect.header.Header`).
public struct Header: Sendable, Hashable {
    public var key: String
    public var schema: Schema?
    public var value: Value

    public init(key: String, schema: Schema?, value: Value) {
        self.key = key
        self.schema = schema
        self.value = value
    }

    /// A string header, the most common kind (SpoolDir's `file.*`, Debezium's `__debezium.*`).
    public static func string(_ key: String, _ value: String) -> Header {
        Header(key: key, schema: .string, value: .string(value))
    }
}
