import SluiceAPI

/// String-keyed access to schemaless map values (`Map<String, Object>` in Kafka), keeping entry order.
extension Array where Element == MapEntry {
    func value(forKey key: String) -> Value? {
        for e in self { if case .string(let k) = e.key, k == key { return e.value } }
        return nil
    }

    /// Replaces the entry for `key` in place, or appends it.
    mutating func set(_ key: String, _ value: Value) {
        for i in indices {
            if case .string(let k) = self[i].key, k == key {
                self[i].value = value
                return
            }
        }
        append(MapEntry(.string(key), value))
    }

    mutating func removeKey(_ key: String) {
        removeAll { if case .string(let k) = $0.key { return k == key } else { return false } }
    }

    /// The key as a string when it is one (schemaless Connect maps are string-keyed in practice).
    static func keyString(_ entry: MapEntry) -> String? {
        if case .string(let k) = entry.key { return k }
        return nil
    }
}
