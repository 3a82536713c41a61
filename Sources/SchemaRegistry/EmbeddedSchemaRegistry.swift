import Synchronization

/// Where `schema.registry.url=embedded` finds the registry this process serves: the worker publishes its registry
/// here when it starts it (`schema.registry.listeners`) and withdraws it when it stops.
public enum EmbeddedSchemaRegistry {
    private static let current = Mutex<(any SchemaRegistryClient)?>(nil)

    public static func publish(_ registry: (any SchemaRegistryClient)?) { current.withLock { $0 = registry } }

    /// The published registry, or a retriable error when the worker has none (yet).
    public static func client() throws(SchemaRegistryError) -> any SchemaRegistryClient {
        guard let c = current.withLock({ $0 }) else {
            throw SchemaRegistryError.unreachable("schema.registry.url=embedded but this worker serves no schema registry (set schema.registry.listeners)")
        }
        return c
    }
}
