import SluiceAPI

/// A source partition and its committed offset, for one connector.
public struct OffsetEntry: Sendable, Hashable {
    public var partition: [String: JSONValue]
    public var offset: [String: JSONValue]?
    public init(partition: [String: JSONValue], offset: [String: JSONValue]?) {
        self.partition = partition
        self.offset = offset
    }
}

/// Where source offsets live (`OffsetBackingStore`): memory, a file (standalone) or a Kafka topic (distributed).
///
/// `write` returns only once the offsets are durable, because source tasks advance external state (a replication
/// slot, a finished file) right after it.
public protocol OffsetStore: AnyObject, Sendable {
    func offset(connector: String, partition: [String: JSONValue]) -> [String: JSONValue]?
    func offsets(connector: String) -> [OffsetEntry]
    /// Writes offsets (nil offset = remove the partition) durably.
    func write(connector: String, _ entries: [OffsetEntry]) throws
    /// Removes every offset of a connector.
    func removeAll(connector: String) throws
}

/// The key Kafka Connect uses for an offset record: `["<connector>",{partition}]` in compact JSON with sorted keys,
/// byte-identical for the same partition so topic compaction and lookups work.
public enum OffsetKey {
    public static func encode(connector: String, partition: [String: JSONValue]) -> String {
        JSONValue.array([.string(connector), .sortedObject(partition)]).compactString
    }

    public static func decode(_ text: String) -> (connector: String, partition: [String: JSONValue])? {
        guard let v = try? JSONReader.parse(text), let a = v.arrayValue, a.count == 2,
            let c = a[0].stringValue, let p = a[1].objectValue
        else { return nil }
        return (c, p.dictionary)
    }
}

/// Reads a connector's offsets from an `OffsetStore` (what source tasks see).
struct StoreOffsetReader: OffsetStorageReader {
    let store: any OffsetStore
    let connector: String
    func offset(_ partition: [String: JSONValue]) -> [String: JSONValue]? {
        store.offset(connector: connector, partition: partition)
    }
}

/// A source task's durable state (`TaskStateStore`) as offsets of reserved partitions `{"sluice.state": <key>}`:
/// written synchronously through the same store, so it is as durable as offsets in both modes.
struct StoreTaskState: TaskStateStore {
    let store: any OffsetStore
    let connector: String

    static func partition(_ key: String) -> [String: JSONValue] { ["sluice.state": .string(key)] }

    func state(_ key: String) -> [String: JSONValue]? {
        store.offset(connector: connector, partition: Self.partition(key))
    }

    func setState(_ key: String, _ value: [String: JSONValue]?) throws {
        try store.write(connector: connector, [OffsetEntry(partition: Self.partition(key), offset: value)])
    }
}
