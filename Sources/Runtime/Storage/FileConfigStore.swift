import Foundation
import Synchronization
import SluiceAPI

/// Standalone connector configs created over REST, kept in a JSON file beside the offsets so they survive a restart
/// (Kafka's standalone mode forgets them; users lose work).
public final class FileConfigStore: ConfigStore {
    let path: String
    let items = Mutex<[String: StoredConnector]>([:])

    public init(path: String) {
        self.path = path
    }

    public func load() throws -> [String: StoredConnector] {
        guard let bytes = DurableFile.read(path) else { return [:] }
        let doc = try JSONReader.parse(bytes)
        var out: [String: StoredConnector] = [:]
        for m in doc["connectors"]?.objectValue ?? JSONObject() {
            var config: [String: String] = [:]
            for c in m.value["config"]?.objectValue ?? JSONObject() { config[c.key] = c.value.configString }
            let state = TargetState(rawValue: m.value["target_state"]?.stringValue ?? "STARTED") ?? .started
            out[m.key] = StoredConnector(config: config, targetState: state)
        }
        items.withLock { $0 = out }
        return out
    }

    public func put(_ name: String, _ connector: StoredConnector) throws {
        let snapshot = items.withLock { $0[name] = connector; return $0 }
        try persist(snapshot)
    }

    public func remove(_ name: String) throws {
        let snapshot = items.withLock { $0.removeValue(forKey: name); return $0 }
        try persist(snapshot)
    }

    func persist(_ all: [String: StoredConnector]) throws {
        var connectors = JSONObject()
        for (name, c) in all.sorted(by: { $0.key < $1.key }) {
            connectors[name] = .object(["config": .stringMap(c.config), "target_state": .string(c.targetState.rawValue)])
        }
        var w = JSONWriter()
        w.write(.object(["version": .int(1), "connectors": .object(connectors)]))
        try DurableFile.write(w.bytes, to: path)
    }
}
