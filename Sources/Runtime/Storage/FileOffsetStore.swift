import Foundation
import Synchronization
import SluiceAPI

/// Standalone offsets in `offset.storage.file.filename`.
///
/// Kafka writes a Java-serialized map; we write JSON lines of the same key/value JSON Kafka puts on its offsets
/// topic (`["connector",{partition}]` → `{offset}`), replaced atomically on every write.
public final class FileOffsetStore: OffsetStore {
    let path: String
    let memory = MemoryOffsetStore()
    let writeLock = Mutex<Void>(())

    public init(path: String) throws {
        self.path = path
        if let bytes = DurableFile.read(path) {
            try load(bytes)
        }
    }

    func load(_ bytes: [UInt8]) throws {
        var byConnector: [String: [OffsetEntry]] = [:]
        for line in bytes.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let doc = try JSONReader.parse(Array(line))
            guard let k = doc["key"]?.stringValue, let (connector, partition) = OffsetKey.decode(k) else {
                throw ConnectError(.connect, "Corrupt offsets file \(path): bad line \(String(decoding: line, as: UTF8.self))")
            }
            let offset = doc["value"]?.objectValue?.dictionary
            byConnector[connector, default: []].append(OffsetEntry(partition: partition, offset: offset))
        }
        for (c, entries) in byConnector { try memory.write(connector: c, entries) }
    }

    public func offset(connector: String, partition: [String: JSONValue]) -> [String: JSONValue]? {
        memory.offset(connector: connector, partition: partition)
    }

    public func offsets(connector: String) -> [OffsetEntry] { memory.offsets(connector: connector) }

    public func write(connector: String, _ entries: [OffsetEntry]) throws {
        try writeLock.withLock { _ in
            try memory.write(connector: connector, entries)
            try persist()
        }
    }

    public func removeAll(connector: String) throws {
        try writeLock.withLock { _ in
            try memory.removeAll(connector: connector)
            try persist()
        }
    }

    func persist() throws {
        let all = memory.state.withLock { $0 }
        var w = JSONWriter(capacity: 4096)
        for (_, entries) in all.sorted(by: { $0.key < $1.key }) {
            for (key, entry) in entries.sorted(by: { $0.key < $1.key }) {
                guard let off = entry.offset else { continue }
                w.write(.object(["key": .string(key), "value": .sortedObject(off)]))
                w.raw(UInt8(ascii: "\n"))
            }
        }
        try DurableFile.write(w.bytes, to: path)
    }
}
