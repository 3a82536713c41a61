import Synchronization

/// The embedded Schema Registry: `RegistryState` behind one lock, persisted through a `RegistryLog`.
///
/// A change is planned, written to the log, then applied, all under the lock: concurrent registrations of the same
/// schema serialize and get one id, and nothing is answered before it is durable. Also a `SchemaRegistryClient`, so
/// `schema.registry.url=embedded` converters call it without HTTP.
public final class SchemaRegistryService: SchemaRegistryClient {
    let log: any RegistryLog
    private let state: Mutex<RegistryState>

    /// Replays `log` into a fresh state.
    public init(log: any RegistryLog, defaultLevel: CompatibilityLevel = .backward) throws {
        self.log = log
        var s = RegistryState()
        s.defaultLevel = defaultLevel
        for r in try log.readAll() { s.apply(r) }
        state = Mutex(s)
    }

    /// Reads a consistent snapshot.
    public func read<T>(_ body: (RegistryState) throws(SchemaRegistryError) -> T) throws(SchemaRegistryError) -> T {
        let s = state.withLock { $0 }
        return try body(s)
    }

    /// Plans a change, persists its records, applies them. Returns the plan's result.
    public func change<T>(_ plan: (RegistryState) throws(SchemaRegistryError) -> (T, [RegistryRecord])) throws(SchemaRegistryError) -> T {
        try state.withLock { (s: inout RegistryState) throws(SchemaRegistryError) -> T in
            let (result, records) = try plan(s)
            do { try log.append(records) } catch let e as SchemaRegistryError { throw e } catch {
                throw .store("\(error)")
            }
            for r in records { s.apply(r) }
            return result
        }
    }

    public func register(subject: String, schema: String, schemaType: String) throws -> Int {
        try change { (s: RegistryState) throws(SchemaRegistryError) in try s.planRegister(subject, schema, type: schemaType) }
    }

    public func lookup(subject: String, schema: String, schemaType: String, deleted: Bool) throws -> RegisteredSchema {
        try read { (s: RegistryState) throws(SchemaRegistryError) in try s.lookup(subject, schema, type: schemaType, deleted: deleted) }
    }

    public func schema(id: Int) throws -> (schema: String, schemaType: String) {
        let r = try read { (s: RegistryState) throws(SchemaRegistryError) in try s.schema(id: id) }
        return (r.schema, r.schemaType)
    }

    public func latest(subject: String) throws -> RegisteredSchema {
        try read { (s: RegistryState) throws(SchemaRegistryError) in try s.version(subject, "latest") }
    }
}
