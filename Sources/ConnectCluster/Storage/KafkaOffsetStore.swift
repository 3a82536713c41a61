import Kafka
import Logging
import SluiceAPI

/// Source offsets in the offsets topic, in Kafka Connect's record format (`KafkaOffsetBackingStore`):
///
///     key   ["<connector>",{partition map}]   compact JSON, keys sorted: byte-identical for the same partition
///     value {offset map}                        compact JSON; null = offset reset (tombstone)
///
/// placed by murmur2 of the key bytes like the Java producer, so compaction keeps the latest offset per source
/// partition and Java and Sluice workers can share the topic.
public final class KafkaOffsetStore: Sendable {
    /// One source partition's offset (nil offset = removed).
    public struct Entry: Sendable, Hashable {
        public var partition: [String: JSONValue]
        public var offset: [String: JSONValue]?
        public init(partition: [String: JSONValue], offset: [String: JSONValue]?) {
            self.partition = partition
            self.offset = offset
        }
    }

    private let log: KafkaBasedLog
    /// Latest offset by key text.
    private let data: Locked<[String: Stored]>

    struct Stored: Sendable {
        var connector: String
        var partition: [String: JSONValue]
        var offset: [String: JSONValue]
    }

    public init(
        topic: String, bootstrapServers: String, clientConfig: [String: String] = [:],
        logger: Logger = Logger(label: "sluice.cluster.offsets")
    ) {
        let data = Locked<[String: Stored]>([:])
        self.data = data
        log = KafkaBasedLog(topic: topic, bootstrapServers: bootstrapServers, clientConfig: clientConfig, logger: logger) { message in
            guard let keyBytes = message.key else { return }
            let key = String(decoding: keyBytes, as: UTF8.self)
            guard let (connector, partition) = Self.decodeKey(key) else {
                logger.warning("skipping offset record with key '\(key)' at \(message.partition)@\(message.offset): not [\"<connector>\",{partition}]")
                return
            }
            let offset = (try? ConnectJSON.parse(message.value, key: key, topic: message.topic))?.flatMap { $0.objectValue?.dictionary }
            data.withLock { map in
                if let offset {
                    map[key] = Stored(connector: connector, partition: partition, offset: offset)
                } else {
                    map[key] = nil
                }
            }
        }
    }

    /// The record key for a source partition: `["<connector>",{partition}]`, compact, keys sorted recursively.
    public static func key(connector: String, partition: [String: JSONValue]) -> String {
        JSONValue.array([.string(connector), ConnectJSON.canonicalObject(partition)]).compactString
    }

    /// Parses a key; nil unless it is a two-element array of a string and an object.
    public static func decodeKey(_ key: String) -> (connector: String, partition: [String: JSONValue])? {
        guard let value = try? JSONReader.parse(key), let items = value.arrayValue, items.count == 2,
              let connector = items[0].stringValue, let partition = items[1].objectValue else { return nil }
        return (connector, partition.dictionary)
    }

    public func start(timeoutMs: Int = 60_000) throws { try log.start(timeoutMs: timeoutMs) }
    public func stop() { log.stop() }
    public func readToEnd(timeoutMs: Int = 30_000) throws { try log.readToEnd(timeoutMs: timeoutMs) }

    public func offset(connector: String, partition: [String: JSONValue]) -> [String: JSONValue]? {
        let key = Self.key(connector: connector, partition: partition)
        return data.withLock { $0[key]?.offset }
    }

    /// Every stored offset of a connector.
    public func offsets(connector: String) -> [Entry] {
        data.withLock { map in
            map.values.filter { $0.connector == connector }.map { Entry(partition: $0.partition, offset: $0.offset) }
        }
    }

    /// Writes offsets and waits until the broker acknowledged all of them; visible to `offset` at once.
    public func write(connector: String, _ entries: [Entry], timeoutMs: Int = 30_000) throws {
        guard !entries.isEmpty else { return }
        let failure = Locked<KafkaError?>(nil)
        for entry in entries {
            let key = Self.key(connector: connector, partition: entry.partition)
            let value = entry.offset.map { ConnectJSON.bytes(ConnectJSON.canonicalObject($0)) }
            try log.send(key: Array(key.utf8), value: value) { result in
                if case .failure(let error) = result { failure.withLock { $0 = $0 ?? error } }
            }
        }
        try log.flush(timeoutMs: timeoutMs)
        if let error = failure.withLock({ $0 }) { throw error }
        data.withLock { map in
            for entry in entries {
                let key = Self.key(connector: connector, partition: entry.partition)
                if let offset = entry.offset {
                    map[key] = Stored(connector: connector, partition: entry.partition, offset: offset)
                } else {
                    map[key] = nil
                }
            }
        }
    }

    /// Resets every offset of a connector (tombstones).
    public func removeAll(connector: String, timeoutMs: Int = 30_000) throws {
        try write(connector: connector, offsets(connector: connector).map { Entry(partition: $0.partition, offset: nil) }, timeoutMs: timeoutMs)
    }
}
