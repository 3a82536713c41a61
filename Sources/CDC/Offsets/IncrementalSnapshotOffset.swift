import SluiceAPI

/// An incremental snapshot's progress as stored in every source offset while it runs, under Debezium's keys, so a
/// restarted task continues after the last chunk instead of starting over.
///
/// `incremental_snapshot_collections` has Debezium's exact form (a JSON string of
/// `[{"incremental_snapshot_collections_id": ..., "..._additional_condition": ..., "..._surrogate_key": null}]`).
/// Debezium stores the two keys as hex-encoded Java serialization; Sluice stores them as a JSON array of the key
/// columns' text values (e.g. `["42"]`), which PostgreSQL casts back to the column types. A key Sluice cannot read
/// (an offset written by Debezium) restarts that table's snapshot from its first row: duplicates, never a gap.
public struct IncrementalSnapshotOffset: Sendable, Hashable {
    public static let collectionsKey = "incremental_snapshot_collections"
    public static let primaryKeyKey = "incremental_snapshot_primary_key"
    public static let maximumKeyKey = "incremental_snapshot_maximum_key"
    static let idKey = "incremental_snapshot_collections_id"
    static let conditionKey = "incremental_snapshot_collections_additional_condition"
    static let surrogateKey = "incremental_snapshot_collections_surrogate_key"

    /// A table still to snapshot (the first one is in progress) with its optional SQL filter.
    public struct Collection: Sendable, Hashable {
        public var id: String
        public var condition: String?
        public init(id: String, condition: String? = nil) {
            self.id = id
            self.condition = condition
        }
    }

    public var collections: [Collection]
    /// Key of the last row read or sent from the first collection (exclusive lower bound of the next chunk).
    public var primaryKey: [String]?
    /// The first collection's largest key when its snapshot began (rows inserted later are streamed anyway).
    public var maximumKey: [String]?
    /// True when a stored key was present but not in Sluice's form.
    public var unreadableKey = false

    public init(collections: [Collection], primaryKey: [String]? = nil, maximumKey: [String]? = nil) {
        self.collections = collections
        self.primaryKey = primaryKey
        self.maximumKey = maximumKey
    }

    /// Adds this progress to an offset map.
    public func write(into o: inout [String: JSONValue]) {
        let list = JSONValue.array(collections.map { c in
            .object(JSONObject([(Self.idKey, .string(c.id)), (Self.conditionKey, c.condition.map { .string($0) } ?? .null),
                                (Self.surrogateKey, .null)]))
        })
        o[Self.collectionsKey] = .string(list.compactString)
        if let primaryKey { o[Self.primaryKeyKey] = .string(Self.encode(primaryKey)) }
        if let maximumKey { o[Self.maximumKeyKey] = .string(Self.encode(maximumKey)) }
    }

    /// Reads the progress from a stored offset; nil when no incremental snapshot was running.
    public init?(json o: [String: JSONValue]) {
        guard let text = o[Self.collectionsKey]?.stringValue, let list = try? JSONReader.parse(text).arrayValue else { return nil }
        let collections = list.compactMap { item -> Collection? in
            guard let id = item[Self.idKey]?.stringValue else { return nil }
            // Debezium reads a missing or empty condition as none.
            let condition = item[Self.conditionKey]?.stringValue
            return Collection(id: id, condition: condition?.isEmpty == false ? condition : nil)
        }
        guard !collections.isEmpty else { return nil }
        self.init(collections: collections)
        let pk = o[Self.primaryKeyKey]?.stringValue, max = o[Self.maximumKeyKey]?.stringValue
        primaryKey = pk.flatMap(Self.decode)
        maximumKey = max.flatMap(Self.decode)
        if (pk != nil && primaryKey == nil) || (max != nil && maximumKey == nil) {
            unreadableKey = true
            primaryKey = nil
            maximumKey = nil
        }
    }

    static func encode(_ key: [String]) -> String { JSONValue.array(key.map { .string($0) }).compactString }

    static func decode(_ text: String) -> [String]? {
        guard let items = (try? JSONReader.parse(text))?.arrayValue else { return nil }
        let out = items.compactMap(\.stringValue)
        return out.count == items.count && !out.isEmpty ? out : nil
    }
}
