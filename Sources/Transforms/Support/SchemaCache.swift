import SluiceAPI
import Synchronization

/// Derived schemas (or per-schema plans: output schema plus field index maps) keyed by the identity of the
/// schema(s) they were built from, like Kafka's per-transform `schemaUpdateCache`, so a transform does its
/// schema work once per input schema instead of once per record.
///
/// Entries hold the input schemas strongly, so an identity cannot be reused by another object while cached.
/// The most recent entry is checked first without hashing (a task usually sees one schema for long runs).
/// The cache is bounded: when full it is emptied (a converter minting a new schema instance per record must
/// not grow memory without bound).
final class SchemaCache<Output: Sendable>: Sendable {
    private struct Key: Hashable, Sendable {
        let first: ObjectIdentifier
        let second: ObjectIdentifier?
        let tag: Int
    }
    private struct Entry: Sendable {
        let first: Schema
        let second: Schema?
        let tag: Int
        let output: Output
    }
    private struct Table: Sendable {
        /// The most recent hit, compared by identity only (no entry copy, so one retain per hit: the output's).
        /// `lastEntry` keeps its schemas alive, so the identities in `lastKey` cannot be reused meanwhile.
        var lastKey: Key?
        var lastOutput: Output?
        var lastEntry: Entry?
        var entries: [Key: Entry] = [:]

        mutating func remember(_ key: Key, _ entry: Entry) {
            lastKey = key
            lastOutput = entry.output
            lastEntry = entry
        }
    }

    private let table = Mutex(Table())
    private let limit: Int

    init(limit: Int = 256) { self.limit = limit }

    /// The value derived from `input` (and optionally a second schema and a small tag), building it on a miss.
    func value(for input: Schema, and second: Schema? = nil, tag: Int = 0, build: () throws -> Output) throws -> Output {
        let key = Key(first: ObjectIdentifier(input), second: second.map(ObjectIdentifier.init), tag: tag)
        let hit: Output? = table.withLock { t in
            if t.lastKey == key { return t.lastOutput }
            guard let e = t.entries[key] else { return nil }
            t.remember(key, e)
            return e.output
        }
        if let hit { return hit }
        let output = try build()
        let entry = Entry(first: input, second: second, tag: tag, output: output)
        table.withLock { t in
            if t.entries.count >= limit { t.entries.removeAll(keepingCapacity: true) }
            t.entries[key] = entry
            t.remember(key, entry)
        }
        return output
    }

    var count: Int { table.withLock { $0.entries.count } }
}

extension SchemaCache where Output == Schema {
    /// The schema derived from `input`, building it on a miss.
    func schema(for input: Schema, and second: Schema? = nil, tag: Int = 0, build: () throws -> Schema) throws -> Schema {
        try value(for: input, and: second, tag: tag, build: build)
    }
}
