import Foundation
import Logging
import SluiceAPI

/// The one key/value schema every generated record of a connector+topic carries, kept durably across files,
/// restarts and `kill -9` in the task state store under `spooldir.schema/<topic>`.
///
/// Where it comes from, first match wins: what the store holds (an earlier run pinned it); the schema the connector
/// inferred at start from the files present then; the first file read. Each later file is sampled and merged in
/// (`SchemaEvolution`): compatible widenings and new optional columns evolve it, anything else keeps it, so bad
/// values fail as record errors. A schema, new or evolved, is written to the store before the first record that
/// carries it is handed to the runtime, so no acknowledged record ever has a schema a restart would not know.
///
/// Several tasks share the key. Each merges what the store holds into its own schema right before writing
/// (merging only widens, so they converge); within one process a lock makes read-merge-write atomic.
final class TopicSchema: @unchecked Sendable {
    let stateKey: String
    private let store: (any TaskStateStore)?
    private let settings: SpoolDirSettings
    private let logger: Logger
    /// The schema last written (or read back); nil before the first file when nothing was pinned yet.
    private(set) var current: RecordSchemas?
    /// Set when `current` is not what the store holds (the connector's start-time inference, or a merge with what
    /// another task wrote): the next file's records must not go out before it is written.
    private var unsaved = false

    /// Serializes read-merge-write of all tasks in this process.
    private static let storeLock = NSLock()

    init(settings: SpoolDirSettings, store: (any TaskStateStore)?, seed: RecordSchemas?, logger: Logger) throws {
        self.settings = settings
        self.store = store
        self.logger = logger
        stateKey = "spooldir.schema/" + settings.topic
        if let stored = try Self.load(store, key: stateKey, settings: settings) {
            current = stored
            logger.info("Using the value schema pinned for topic \(settings.topic): \(SchemaJSON.serialize(stored.value))")
        } else if let seed {
            current = seed
            unsaved = true
        }
    }

    /// The schemas a file sampled as `sample` is read with, and what they change (nil: nothing to persist).
    func plan(for sample: SchemaSample, file: String) throws -> Plan {
        Self.storeLock.lock()
        let latest = try? Self.load(store, key: stateKey, settings: settings)
        Self.storeLock.unlock()
        if let latest, latest.value != current?.value {  // another task evolved it meanwhile
            if let cur = current {
                let merged = SchemaEvolution.merge(latest.value, cur.value, caseSensitive: settings.caseSensitive).value
                current = merged == latest.value ? latest : try RecordSchemas.with(value: merged, key: nil, settings: settings)
                unsaved = merged != latest.value
            } else {
                current = latest
                unsaved = false
            }
        }
        let observed = try RecordSchemas.inferred(sample, settings: settings)
        guard let cur = current else {
            return Plan(schemas: observed, changes: [], initial: true)
        }
        if sample.isEmpty { return Plan(schemas: cur, changes: [], initial: unsaved) }
        let merge = SchemaEvolution.merge(cur.value, observed.value, caseSensitive: settings.caseSensitive)
        for f in cur.value.fields {
            guard let o = observed.value.fields.first(where: { settings.caseSensitive ? $0.name == f.name : $0.name.lowercased() == f.name.lowercased() })
            else { continue }
            if merge.value.field(f.name).map({ !SchemaEvolution.holds($0.schema, o.schema) }) ?? false, Self.sawValues(sample, o.name) {
                logger.warning("\(file): column '\(o.name)' looks like \(SchemaEvolution.describe(o.schema)), which the topic's \(SchemaEvolution.describe(f.schema)) field does not hold; values that do not fit are record errors")
            }
        }
        if merge.changes.isEmpty { return Plan(schemas: cur, changes: [], initial: unsaved) }
        return Plan(schemas: try RecordSchemas.with(value: merge.value, key: nil, settings: settings), changes: merge.changes, initial: false)
    }

    private static func sawValues(_ sample: SchemaSample, _ name: String) -> Bool {
        guard let i = sample.names.firstIndex(of: name) else { return false }
        return sample.columns[i].sawValue
    }

    /// What reading one file needs: its schemas, and whether they must be written before its first record goes out.
    struct Plan {
        let schemas: RecordSchemas
        let changes: [SchemaEvolution.Change]
        /// The schemas are not stored yet though nothing changed for this file (the first file, the connector's
        /// inference, a merge with another task's).
        let initial: Bool
        var needsWrite: Bool { initial || !changes.isEmpty }
    }

    /// Makes `plan`'s schemas the topic's, durably, before records carrying them are returned. Merges in whatever
    /// another task wrote meanwhile, so the stored schema holds both.
    func commit(_ plan: Plan, file: String) throws {
        Self.storeLock.lock()
        defer { Self.storeLock.unlock() }
        var value = plan.schemas.value
        if let latest = try Self.load(store, key: stateKey, settings: settings), latest.value != value {
            value = SchemaEvolution.merge(latest.value, value, caseSensitive: settings.caseSensitive).value
        }
        let schemas = value == plan.schemas.value ? plan.schemas : try RecordSchemas.with(value: value, key: nil, settings: settings)
        if let store {
            var state: [String: JSONValue] = ["valueSchema": .string(SchemaJSON.serialize(schemas.value)), "file": .string(file)]
            if let k = schemas.key { state["keySchema"] = .string(SchemaJSON.serialize(k)) }
            do { try store.setState(stateKey, state) } catch {
                throw ConnectError(.connect, "Cannot store the value schema of topic \(settings.topic) (state \(stateKey)): \(error)")
            }
        }
        let old = current
        current = schemas
        unsaved = false
        if plan.changes.isEmpty {
            logger.info("Pinned the value schema of topic \(settings.topic)\(old == nil ? " from \(file)" : ""): \(SchemaJSON.serialize(schemas.value))")
        } else {
            logger.info("Evolved the value schema of topic \(settings.topic) for \(file): \(plan.changes.map(\.description).joined(separator: ", ")); \(old.map { SchemaJSON.serialize($0.value) } ?? "none") → \(SchemaJSON.serialize(schemas.value))")
        }
    }

    /// The schemas stored under `key`, nil when none; a stored schema that no longer parses is a clear error.
    static func load(_ store: (any TaskStateStore)?, key: String, settings s: SpoolDirSettings) throws -> RecordSchemas? {
        guard let state = store?.state(key), let text = state["valueSchema"]?.stringValue else { return nil }
        do {
            let value = try SchemaJSON.parse(text, key: key)
            return try RecordSchemas.with(value: value, key: nil, settings: s)
        } catch {
            throw ConnectError(.config, "The value schema stored for topic \(s.topic) (offset partition {\"sluice.state\":\"\(key)\"}) is unusable: \(error). Reset the connector's offsets to infer it again")
        }
    }
}
