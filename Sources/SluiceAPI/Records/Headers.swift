/// The ordered header list of a record; keys may repeat, as in Kafka.
///
/// Kept as a shared `base` list followed by the record's own headers: a source whose records carry the same
/// headers record after record (SpoolDir's seven `file.*` headers are the same for every line of a file) hands every
/// record the one base array — one reference-count update — instead of copying seven headers (three references
/// each) into a new array per record and destroying them again downstream. To every reader it is one list.
public struct Headers: Sendable, Hashable, RandomAccessCollection, ExpressibleByArrayLiteral {
    private var base: [Header]
    private var own: [Header]

    public init(_ items: [Header] = []) {
        base = []
        own = items
    }

    /// `base` (shared, not copied) followed by `adding`.
    public init(base: [Header], adding: [Header]) {
        self.base = base
        own = adding
    }

    public init(arrayLiteral elements: Header...) { self.init(elements) }

    /// The headers as one array (allocates when there is a base and own headers; prefer iterating).
    public var items: [Header] { base.isEmpty ? own : own.isEmpty ? base : base + own }

    public var startIndex: Int { 0 }
    public var endIndex: Int { base.count + own.count }
    public var count: Int { base.count + own.count }
    public var isEmpty: Bool { base.isEmpty && own.isEmpty }
    public subscript(i: Int) -> Header { i < base.count ? base[i] : own[i - base.count] }

    /// The last header with `key` (Kafka's `lastWithName`).
    public func last(_ key: String) -> Header? {
        own.last(where: { $0.key == key }) ?? base.last(where: { $0.key == key })
    }

    public mutating func add(_ header: Header) { own.append(header) }
    public mutating func add(_ key: String, _ value: String) { own.append(.string(key, value)) }
    public mutating func add(_ key: String, schema: Schema?, value: Value) {
        own.append(Header(key: key, schema: schema, value: value))
    }
    public mutating func remove(_ key: String) {
        own = items.filter { $0.key != key }
        base = []
    }
    public mutating func removeAll() {
        base = []
        own = []
    }

    public static func == (a: Headers, b: Headers) -> Bool { a.count == b.count && a.elementsEqual(b) }

    public func hash(into h: inout Hasher) {
        h.combine(count)
        for header in self { h.combine(header) }
    }
}
