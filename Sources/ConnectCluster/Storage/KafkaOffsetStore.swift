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
    /// Latest offset by key text, and the topic offset of this store's last acknowledged write per key (a record
    /// read back below it is older than what this worker wrote, and must not overwrite it).
    private let data: Locked<Data>

    struct Data: Sendable {
        var offsets: [String: Stored] = [:]
        var acknowledged: [String: Int64] = [:]
    }

    struct Stored: Sendable {
        var connector: String
        var partition: [String: JSONValue]
        var offset: [String: JSONValue]
    }

    public init(
        topic: String, bootstrapServers: String, clientConfig: [String: String] = [:],
        logger: Logger = Logger(label: "sluice.cluster.offsets")
    ) {
        let data = Locked(Data())
        self.data = data
        log = KafkaBasedLog(topic: topic, bootstrapServers: bootstrapServers, clientConfig: clientConfig, logger: logger) { message in
            do {
                try data.withLock { try Self.apply(message, to: &$0) }
            } catch {
                logger.warning("skipping offset record at \(message.partition)@\(message.offset): \(error)")
            }
        }
    }

    /// Applies one consumed record, unless this store already wrote a newer value for the key.
    static func apply(_ message: KafkaMessage, to data: inout Data) throws {
        guard let keyBytes = message.key else { throw ConnectStoreError(description: "offset record without key") }
        let key = String(decoding: keyBytes, as: UTF8.self)
        guard let (connector, partition) = decodeKey(key) else {
            throw ConnectStoreError(description: "offset key '\(key)' is not [\"<connector>\",{partition}]")
        }
        let value = try ConnectJSON.parse(message.value, key: key, topic: message.topic)
        if let value, value.objectValue == nil {
            throw ConnectStoreError(description: "offset for key '\(key)' is not a JSON object: \(value.compactString)")
        }
        if let acknowledged = data.acknowledged[key], message.offset < acknowledged { return }
        data.offsets[key] = value?.objectValue.map { Stored(connector: connector, partition: partition, offset: $0.dictionary) }
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
        return data.withLock { $0.offsets[key]?.offset }
    }

    /// Every stored offset of a connector.
    public func offsets(connector: String) -> [Entry] {
        data.withLock { data in
            data.offsets.values.filter { $0.connector == connector }.map { Entry(partition: $0.partition, offset: $0.offset) }
        }
    }

    /// Writes offsets and waits until the broker acknowledged all of them; visible to `offset` at once.
    public func write(connector: String, _ entries: [Entry], timeoutMs: Int = 30_000) throws {
        guard !entries.isEmpty else { return }
        let reports = Locked<(failure: KafkaError?, offsets: [String: Int64])>((nil, [:]))
        for entry in entries {
            let key = Self.key(connector: connector, partition: entry.partition)
            let value = entry.offset.map { ConnectJSON.bytes(ConnectJSON.canonicalObject($0)) }
            try log.send(key: Array(key.utf8), value: value) { result in
                reports.withLock { r in
                    switch result {
                    case .success(let report): r.offsets[key] = max(r.offsets[key] ?? -1, report.offset)
                    case .failure(let error): r.failure = r.failure ?? error
                    }
                }
            }
        }
        try log.flush(timeoutMs: timeoutMs)
        let (failure, acknowledged) = reports.withLock { ($0.failure, $0.offsets) }
        if let failure { throw failure }
        data.withLock { data in
            for entry in entries {
                let key = Self.key(connector: connector, partition: entry.partition)
                data.offsets[key] = entry.offset.map { Stored(connector: connector, partition: entry.partition, offset: $0) }
                if let offset = acknowledged[key] { data.acknowledged[key] = max(data.acknowledged[key] ?? -1, offset) }
            }
        }
    }

    /// Resets every offset of a connector (tombstones).
    public func removeAll(connector: String, timeoutMs: Int = 30_000) throws {
        try write(connector: connector, offsets(connector: connector).map { Entry(partition: $0.partition, offset: nil) }, timeoutMs: timeoutMs)
    }
}
