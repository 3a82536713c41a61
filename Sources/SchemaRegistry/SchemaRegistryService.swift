import Synchronization

/// The embedded Schema Registry: a `RegistryState` rebuilt from, and kept up to date by, a `RegistryLog`.
///
/// **Writes.** A change is planned on the state, appended to the log, and becomes visible only when the log delivers
/// it back — the same path a replay takes, so a restarted registry rebuilds exactly the state it answered with, and
/// nothing is answered before it is durable. Local writers take turns (one lock), so this registry never races
/// itself.
///
/// **Several registries on one `_schemas` topic** (distributed workers) have no leader, unlike Confluent's. They
/// agree through the topic's single total order instead, by *write, then read back*: a registration reads the
/// topic to its end, plans (the id is max-id-seen + 1 or the id the same text already has; the version is the
/// subject's next), appends, reads to the end again, and answers whatever the topic now says for that schema under
/// that subject. Every reader applies the same deterministic rule (`RegistryState.apply`): the first record for a
/// global id and for a live subject version wins, a later different one is dropped. So when two registries race,
/// both see the same winner; the loser adopts the winner's id if it registered the same schema, or plans again on
/// the updated state (its retry gets the next version / a fresh id). Registering one schema twice writes identical
/// records, which is harmless.
///
/// A dropped record can be the latest one of its key, and log compaction keeps only the latest: before writing
/// anything, a registry rewrites the winners of such keys (`RegistryState.repairRecords`), so compaction keeps them.
/// Known gaps, rare by construction: a loser that dies between its append and that repair leaves it to the next
/// write of any registry; a soft delete racing a repair of the same version can be undone by it.
///
/// Reads answer from the local state; a miss (unknown id or subject) reads the log to its end and retries once, so a
/// converter on one worker finds a schema another worker registered a moment ago.
///
/// Also a `SchemaRegistryClient`, so `schema.registry.url=embedded` converters call it without HTTP.
public final class SchemaRegistryService: SchemaRegistryClient {
    /// The state, shared with the log's delivery callback (which may run on the log's own thread).
    final class Box: Sendable {
        let state: Mutex<RegistryState>
        init(_ s: RegistryState) { state = Mutex(s) }
    }

    let log: any RegistryLog
    private let box: Box
    private let writer = Mutex(())
    /// How often a registration that lost a race is planned again before giving up (each loss means another
    /// registry's write got in: the next attempt sees it).
    static let maxAttempts = 10

    /// Replays `log` into a fresh state, then follows it.
    public init(log: any RegistryLog, defaultLevel: CompatibilityLevel = .backward) throws {
        self.log = log
        var s = RegistryState()
        s.defaultLevel = defaultLevel
        let box = Box(s)
        self.box = box
        try log.start { r in box.state.withLock { $0.apply(r) } }
    }

    /// Stops following the log.
    public func close() { log.close() }

    var snapshot: RegistryState { box.state.withLock { $0 } }

    /// Reads a consistent snapshot; on a not-found answer, catches up with the log and asks once more.
    public func read<T>(_ body: (RegistryState) throws(SchemaRegistryError) -> T) throws(SchemaRegistryError) -> T {
        do { return try body(snapshot) } catch where error.status == 404 {
            try sync()
            return try body(snapshot)
        }
    }

    /// Plans a change on the latest state, persists its records, and returns the plan's result once the records are
    /// in the state. Deletes and configs cannot conflict (they rewrite keys with the same id and text, or CONFIG keys);
    /// registrations go through `register`, which checks the outcome.
    public func change<T>(_ plan: (RegistryState) throws(SchemaRegistryError) -> (T, [RegistryRecord])) throws(SchemaRegistryError) -> T {
        try writer.withLock { _ throws(SchemaRegistryError) -> T in
            try catchUp()
            let (result, records) = try plan(snapshot)
            try append(records)
            return result
        }
    }

    public func register(subject: String, schema: String, schemaType: String) throws -> Int {
        try register(subject: subject, schema: schema, schemaType: schemaType, references: [])
    }

    /// Registers `schema` (with its references; in IMPORT mode with the `id` and `version` given) and returns its id.
    public func register(subject: String, schema: String, schemaType: String, references: [SchemaReference],
                         id: Int? = nil, version: Int? = nil) throws(SchemaRegistryError) -> Int {
        try writer.withLock { _ throws(SchemaRegistryError) -> Int in
            for _ in 0..<Self.maxAttempts {
                try catchUp()
                let (planned, records) = try snapshot.planRegister(subject, schema, type: schemaType, references: references,
                                                                   id: id, version: version)
                if records.isEmpty { return planned }
                try append(records)
                // The log decided: our record, an identical one, or another registry's that won (then plan again).
                if let won = try? snapshot.lookup(subject, schema, type: schemaType, references: references, deleted: false) { return won.id }
            }
            throw .store("registering a schema under subject '\(subject)' lost \(Self.maxAttempts) races with other registries writing the same topic")
        }
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

    // MARK: log access (writer lock held, except `sync`)

    /// Reads the log to its end and rewrites the winners of overwritten keys.
    private func catchUp() throws(SchemaRegistryError) {
        try sync()
        let repairs = snapshot.repairRecords()
        if !repairs.isEmpty { try append(repairs) }
    }

    /// Appends and waits until the records are back in the state.
    private func append(_ records: [RegistryRecord]) throws(SchemaRegistryError) {
        guard !records.isEmpty else { return }
        do { try log.append(records) } catch let e as SchemaRegistryError { throw e } catch { throw .store("\(error)") }
        try sync()
    }

    private func sync() throws(SchemaRegistryError) {
        do { try log.sync() } catch let e as SchemaRegistryError { throw e } catch {
            throw .store("Cannot read the schema registry's log to its end: \(error)")
        }
    }
}
