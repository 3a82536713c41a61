import SluiceAPI

/// The iteration order of a `java.util.HashMap<String, String>`, which Kafka Connect's REST answers show wherever
/// its code copies a config into a `HashMap` (task configs, a PATCHed connector config). Users diff these answers,
/// so Sluice lists keys the same way.
///
/// A HashMap iterates its table by bucket (`spread(hash) & (capacity - 1)`), each bucket in insertion order; resizes
/// keep that relative order. Treeified buckets (8+ collisions) are not modelled.
enum JavaHashMapOrder {
    /// `String.hashCode()` over UTF-16 code units.
    static func hashCode(_ s: String) -> Int32 {
        var h: Int32 = 0
        for u in s.utf16 { h = h &* 31 &+ Int32(u) }
        return h
    }

    /// Keys in the order a HashMap iterates them after inserting `keys` (in this order) into a map made by the copy
    /// constructor from `copiedCount` entries (0 = `new HashMap<>()`).
    static func order(_ keys: [String], copiedCount: Int = 0) -> [String] {
        var capacity = 16
        if copiedCount > 0 {
            let wanted = Int(Float(copiedCount) / 0.75 + 1.0)
            while capacity < wanted { capacity *= 2 }
        }
        var unique: [String] = []
        var seen = Set<String>()
        for k in keys where seen.insert(k).inserted { unique.append(k) }
        while Double(unique.count) > Double(capacity) * 0.75 { capacity *= 2 }
        let mask = UInt32(capacity - 1)
        func bucket(_ k: String) -> UInt32 {
            let h = UInt32(bitPattern: hashCode(k))
            return (h ^ (h >> 16)) & mask
        }
        return unique.enumerated().sorted { (bucket($0.element), $0.offset) < (bucket($1.element), $1.offset) }.map(\.element)
    }
}

/// Connector configs in a given key order (what the user posted, as Kafka keeps it); keys missing from the order
/// follow, sorted.
enum ConfigOrder {
    static func json(_ config: [String: String], _ order: [String]) -> JSONValue {
        var pairs: [(String, JSONValue)] = []
        var seen = Set<String>()
        for k in order where seen.insert(k).inserted { if let v = config[k] { pairs.append((k, .string(v))) } }
        for k in config.keys.sorted() where !seen.contains(k) { pairs.append((k, .string(config[k]!))) }
        return .object(JSONObject(pairs))
    }
}
