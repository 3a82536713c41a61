/// A schema together with a value, as converters return them. A nil schema means schemaless data.
public struct SchemaAndValue: Sendable, Hashable {
    public var schema: Schema?
    public var value: Value

    public init(schema: Schema?, value: Value) {
        self.schema = schema
        self.value = value
    }

    public static let null = SchemaAndValue(schema: nil, value: .null)
}
