import SluiceAPI

/// The compiled form of a schema JsonConverter reuses per record: the schema JSON bytes (outgoing) and the plan.
struct CachedSchema: Sendable {
    let schema: Schema?
    let plan: JsonSchemaPlan?
    /// The schema JSON text for the envelope (outgoing direction only).
    let json: [UInt8]
}

/// Outgoing direction: schema JSON text per Schema, so serialization never rebuilds it (Kafka's `fromConnectSchemaCache`).
///
/// Looked up by identity first (records of one source share one Schema instance), then structurally, so equal
/// schemas built per record still hit. Bounded by `schemas.cache.size`, evicting the least recently used entry.
struct SchemaJSONCache {
    final class Entry {
        let value: CachedSchema
        var lastUse: UInt64
        init(_ value: CachedSchema, _ lastUse: UInt64) {
            self.value = value
            self.lastUse = lastUse
        }
    }

    let capacity: Int
    private var entries: [Schema: Entry] = [:]
    private var last: (schema: Schema, entry: Entry)?
    private var clock: UInt64 = 0

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { entries.count }

    mutating func get(_ schema: Schema) -> CachedSchema? {
        clock &+= 1
        if let last, last.schema === schema {
            last.entry.lastUse = clock
            return last.entry.value
        }
        guard let e = entries[schema] else { return nil }
        e.lastUse = clock
        last = (schema, e)
        return e.value
    }

    mutating func put(_ schema: Schema, _ value: CachedSchema) {
        guard capacity > 0 else { return }
        clock &+= 1
        if entries.count >= capacity, entries[schema] == nil, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            entries[oldest.key] = nil
            if last?.schema == oldest.key { last = nil }
        }
        let e = Entry(value, clock)
        entries[schema] = e
        last = (schema, e)
    }
}

/// Incoming direction: parsed schemas keyed by the exact bytes of the envelope's `schema` member (Kafka keys its
/// `toConnectSchemaCache` by the parsed JSON node; raw bytes give the same hits for one producer without parsing).
struct SchemaBytesCache {
    final class Entry {
        let key: [UInt8]
        let value: CachedSchema
        var lastUse: UInt64
        init(_ key: [UInt8], _ value: CachedSchema, _ lastUse: UInt64) {
            self.key = key
            self.value = value
            self.lastUse = lastUse
        }
    }

    let capacity: Int
    private var buckets: [Int: [Entry]] = [:]
    private(set) var count = 0
    private var last: Entry?
    private var clock: UInt64 = 0

    init(capacity: Int) { self.capacity = capacity }

    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var h = Hasher()
        h.combine(bytes: UnsafeRawBufferPointer(key))
        return h.finalize()
    }

    static func same(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBufferPointer { ab in
            ab.count == 0 || memcmpEqual(ab.baseAddress!, b.baseAddress!, ab.count)
        }
    }

    @inline(__always)
    static func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        // Compare 8 bytes at a time; schema JSON is hundreds of bytes.
        while i + 8 <= n {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    mutating func get(_ key: UnsafeBufferPointer<UInt8>) -> CachedSchema? {
        clock &+= 1
        if let last, SchemaBytesCache.same(last.key, key) {
            last.lastUse = clock
            return last.value
        }
        guard let bucket = buckets[SchemaBytesCache.hash(key)] else { return nil }
        for e in bucket where SchemaBytesCache.same(e.key, key) {
            e.lastUse = clock
            last = e
            return e.value
        }
        return nil
    }

    /// The most recent entry if its key is a prefix of `bytes`, with the key length. Schema keys are complete JSON
    /// objects (self-delimiting), so a prefix match means the member is exactly that schema: no scanning needed.
    mutating func lastMatchingPrefix(_ bytes: UnsafeBufferPointer<UInt8>) -> (CachedSchema, Int)? {
        guard let last, last.key.count <= bytes.count, last.key.first == UInt8(ascii: "{") else { return nil }
        let n = last.key.count
        let same = last.key.withUnsafeBufferPointer { kb in SchemaBytesCache.memcmpEqual(kb.baseAddress!, bytes.baseAddress!, n) }
        guard same else { return nil }
        clock &+= 1
        last.lastUse = clock
        return (last.value, n)
    }

    mutating func put(_ key: UnsafeBufferPointer<UInt8>, _ value: CachedSchema) {
        guard capacity > 0 else { return }
        clock &+= 1
        if count >= capacity { evictOldest() }
        let e = Entry(Array(key), value, clock)
        buckets[SchemaBytesCache.hash(key), default: []].append(e)
        count += 1
        last = e
    }

    private mutating func evictOldest() {
        var oldest: (hash: Int, index: Int, use: UInt64)?
        for (h, bucket) in buckets {
            for (i, e) in bucket.enumerated() where oldest == nil || e.lastUse < oldest!.use {
                oldest = (h, i, e.lastUse)
            }
        }
        guard let o = oldest else { return }
        let removed = buckets[o.hash]!.remove(at: o.index)
        if buckets[o.hash]!.isEmpty { buckets[o.hash] = nil }
        if last === removed { last = nil }
        count -= 1
    }
}
