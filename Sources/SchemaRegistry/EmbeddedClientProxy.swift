/// The client behind `schema.registry.url=embedded`: resolves the worker's registry on each call, so a converter
/// configured before the registry started (or after a restart of it) still finds it.
final class EmbeddedClientProxy: SchemaRegistryClient {
    func register(subject: String, schema: String, schemaType: String) throws -> Int {
        try EmbeddedSchemaRegistry.client().register(subject: subject, schema: schema, schemaType: schemaType)
    }
    func lookup(subject: String, schema: String, schemaType: String, deleted: Bool) throws -> RegisteredSchema {
        try EmbeddedSchemaRegistry.client().lookup(subject: subject, schema: schema, schemaType: schemaType, deleted: deleted)
    }
    func schema(id: Int) throws -> (schema: String, schemaType: String) { try EmbeddedSchemaRegistry.client().schema(id: id) }
    func latest(subject: String) throws -> RegisteredSchema { try EmbeddedSchemaRegistry.client().latest(subject: subject) }
}
