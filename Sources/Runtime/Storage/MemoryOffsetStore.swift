import Synchronization
import SluiceAPI

/// Offsets kept in memory only (tests, and connectors that track their own offsets).
public final class MemoryOffsetStore: OffsetStore {
    let state = Mutex<[String: [String: OffsetEntry]]>([:])

    public init() {}

    public func offset(connector: String, partition: [String: JSONValue]) -> [String: JSONValue]? {
        let key = OffsetKey.encode(connector: connector, partition: partition)
        return state.withLock { $0[connector]?[key]?.offset }
    }

    public func offsets(connector: String) -> [OffsetEntry] {
        state.withLock { s in
            (s[connector] ?? [:]).sorted(by: { $0.key < $1.key }).map(\.value)
        }
    }

    public func write(connector: String, _ entries: [OffsetEntry]) throws {
        state.withLock { s in apply(&s, connector: connector, entries) }
    }

    public func removeAll(connector: String) throws {
        _ = state.withLock { $0.removeValue(forKey: connector) }
    }

    func apply(_ s: inout [String: [String: OffsetEntry]], connector: String, _ entries: [OffsetEntry]) {
        var m = s[connector] ?? [:]
        for e in entries {
            let key = OffsetKey.encode(connector: connector, partition: e.partition)
            if e.offset == nil { m.removeValue(forKey: key) } else { m[key] = e }
        }
        s[connector] = m
    }
}
