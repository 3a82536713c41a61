import SluiceAPI
import Synchronization

/// Derived schemas keyed by the identity of the schema(s) they were built from, like Kafka's per-transform
/// `schemaUpdateCache`, so a transform builds its output schema once per input schema instead of once per record.
///
/// Entries hold the input schemas strongly, so an identity cannot be reused by another object while cached.
/// The cache is bounded: when full it is emptied (schemas change rarely; a converter minting a new schema
/// instance per record must not grow memory without bound).
final class SchemaCache: Sendable {
    private struct Key: Hashable, Sendable {
        let first: ObjectIdentifier
        let second: ObjectIdentifier?
        let tag: String?
    }
    private struct Entry: Sendable {
        let first: Schema
        let second: Schema?
        let output: Schema
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let limit: Int

    init(limit: Int = 256) { self.limit = limit }

    /// The schema derived from `input` (and optionally a second schema and a tag), building it on a miss.
    func schema(
        for input: Schema, and second: Schema? = nil, tag: String? = nil, build: () throws -> Schema
    ) throws -> Schema {
        let key = Key(first: ObjectIdentifier(input), second: second.map(ObjectIdentifier.init), tag: tag)
        if let hit = entries.withLock({ $0[key] }), hit.first === input, hit.second === second { return hit.output }
        let output = try build()
        entries.withLock { table in
            if table.count >= limit { table.removeAll(keepingCapacity: true) }
            table[key] = Entry(first: input, second: second, output: output)
        }
        return output
    }

    var count: Int { entries.withLock { $0.count } }
}
