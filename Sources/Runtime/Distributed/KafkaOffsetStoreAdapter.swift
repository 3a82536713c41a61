import ConnectCluster
import SluiceAPI

/// Source offsets on the offsets topic (distributed mode), seen through the worker's `OffsetStore` interface.
final class KafkaOffsetStoreAdapter: OffsetStore {
    let store: KafkaOffsetStore
    init(_ store: KafkaOffsetStore) { self.store = store }

    func offset(connector: String, partition: [String: JSONValue]) -> [String: JSONValue]? {
        store.offset(connector: connector, partition: partition)
    }

    func offsets(connector: String) -> [OffsetEntry] {
        store.offsets(connector: connector).map { OffsetEntry(partition: $0.partition, offset: $0.offset) }
    }

    func write(connector: String, _ entries: [OffsetEntry]) throws {
        try store.write(connector: connector, entries.map { KafkaOffsetStore.Entry(partition: $0.partition, offset: $0.offset) })
    }

    func removeAll(connector: String) throws { try store.removeAll(connector: connector) }
}
