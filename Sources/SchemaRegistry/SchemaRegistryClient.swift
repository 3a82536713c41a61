/// What a converter needs from a schema registry (the calls Confluent's `CachedSchemaRegistryClient` makes).
/// Implemented over HTTP (`RestSchemaRegistryClient`) and in-process by the embedded registry.
/// Errors are `SchemaRegistryError`.
public protocol SchemaRegistryClient: AnyObject, Sendable {
    /// `POST /subjects/{s}/versions`: the global id of `schema` under `subject`, registering it when new.
    func register(subject: String, schema: String, schemaType: String) throws -> Int
    /// `POST /subjects/{s}?deleted=…`: the version and id of an existing `schema` under `subject`.
    func lookup(subject: String, schema: String, schemaType: String, deleted: Bool) throws -> RegisteredSchema
    /// `GET /schemas/ids/{id}`: the schema text and type with that id.
    func schema(id: Int) throws -> (schema: String, schemaType: String)
    /// `GET /subjects/{s}/versions/latest`.
    func latest(subject: String) throws -> RegisteredSchema
}
