/// A schema as the registry returns it for a subject version (`GET /subjects/{s}/versions/{v}`).
public struct RegisteredSchema: Sendable, Hashable {
    public var subject: String
    public var version: Int
    public var id: Int
    public var schemaType: String
    public var schema: String
    public var deleted: Bool
    /// The subject versions this schema refers to (Protobuf imports, JSON `$ref`s, Avro named types).
    public var references: [SchemaReference]

    public init(subject: String, version: Int, id: Int, schemaType: String = "AVRO", schema: String, deleted: Bool = false,
                references: [SchemaReference] = []) {
        self.references = references
        self.subject = subject
        self.version = version
        self.id = id
        self.schemaType = schemaType
        self.schema = schema
        self.deleted = deleted
    }
}
