/// The iteration order of a `java.util.HashMap<String, Long>` filled in a given order: Debezium's transaction END
/// record lists `data_collections` from such a map (`TransactionContext.perTableEventCount`), so consumers see
/// that order, not first-seen order. Buckets by `(h ^ (h >>> 16)) & (capacity - 1)` of `String.hashCode`, capacity
/// 16 doubling past 0.75 load; within a bucket, insertion order (no treeification below 8 entries per bucket).
enum JavaHashMapOrder {
    static func sorted<V>(_ entries: [(String, V)]) -> [(String, V)] {
        var capacity = 16
        while Double(entries.count) > Double(capacity) * 0.75 { capacity *= 2 }
        let indexed = entries.enumerated().map { (i, e) in (bucket: bucket(e.0, capacity), order: i, entry: e) }
        return indexed.sorted { ($0.bucket, $0.order) < ($1.bucket, $1.order) }.map(\.entry)
    }

    /// `String.hashCode()`: s[0]*31^(n-1) + ... over UTF-16 code units, wrapping in 32 bits.
    static func hashCode(_ s: String) -> Int32 {
        var h: Int32 = 0
        for u in s.utf16 { h = h &* 31 &+ Int32(u) }
        return h
    }

    static func bucket(_ s: String, _ capacity: Int) -> Int {
        let h = UInt32(bitPattern: hashCode(s))
        return Int((h ^ (h >> 16)) & UInt32(capacity - 1))
    }
}
