/// The ordered header list of a record; keys may repeat, as in Kafka.
public struct Headers: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral {
    public private(set) var items: [Header]

    public init(_ items: [Header] = []) { self.items = items }
    public init(arrayLiteral elements: Header...) { self.items = elements }

    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }
    public func makeIterator() -> IndexingIterator<[Header]> { items.makeIterator() }

    /// The last header with `key` (Kafka's `lastWithName`).
    public func last(_ key: String) -> Header? { items.last(where: { $0.key == key }) }

    public mutating func add(_ header: Header) { items.append(header) }
    public mutating func add(_ key: String, _ value: String) { items.append(.string(key, value)) }
    public mutating func add(_ key: String, schema: Schema?, value: Value) {
        items.append(Header(key: key, schema: schema, value: value))
    }
    public mutating func remove(_ key: String) { items.removeAll(where: { $0.key == key }) }
    public mutating func removeAll() { items.removeAll() }
}
