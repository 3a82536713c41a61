import Synchronization

/// Caches what never changes in a registry — the id of (subject, schema), the schema of an id, the version of
/// (subject, schema) — in front of another client, like Java's `CachedSchemaRegistryClient`. `latest` is not
/// cached (it changes). Each cache is bounded; when full it is cleared (ids are re-fetched, never wrong).
public final class CachedSchemaRegistryClient: SchemaRegistryClient {
    struct Key: Hashable { var subject: String; var schema: String }
    struct Caches {
        var ids: [Key: Int] = [:]
        var versions: [Key: RegisteredSchema] = [:]
        var byId: [Int: (String, String)] = [:]
    }
    let inner: any SchemaRegistryClient
    let capacity: Int
    private let caches = Mutex(Caches())

    public init(_ inner: any SchemaRegistryClient, capacity: Int = 1000) {
        self.inner = inner
        self.capacity = max(1, capacity)
    }

    public func register(subject: String, schema: String, schemaType: String) throws -> Int {
        let k = Key(subject: subject, schema: schema)
        if let id = caches.withLock({ $0.ids[k] }) { return id }
        let id = try inner.register(subject: subject, schema: schema, schemaType: schemaType)
        caches.withLock {
            if $0.ids.count >= capacity { $0.ids.removeAll() }
            $0.ids[k] = id
        }
        return id
    }

    public func lookup(subject: String, schema: String, schemaType: String, deleted: Bool) throws -> RegisteredSchema {
        let k = Key(subject: subject, schema: schema)
        if let r = caches.withLock({ $0.versions[k] }) { return r }
        let r = try inner.lookup(subject: subject, schema: schema, schemaType: schemaType, deleted: deleted)
        caches.withLock {
            if $0.versions.count >= capacity { $0.versions.removeAll() }
            $0.versions[k] = r
        }
        return r
    }

    public func schema(id: Int) throws -> (schema: String, schemaType: String) {
        if let s = caches.withLock({ $0.byId[id] }) { return s }
        let s = try inner.schema(id: id)
        caches.withLock {
            if $0.byId.count >= capacity { $0.byId.removeAll() }
            $0.byId[id] = s
        }
        return s
    }

    public func latest(subject: String) throws -> RegisteredSchema { try inner.latest(subject: subject) }
}
