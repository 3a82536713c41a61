/// A single message transform (`connect.transforms.Transformation`). Returns nil to drop the record.
///
/// Generic over the record type so a transformed `SourceRecord` keeps its source offset and a `SinkRecord`
/// its Kafka coordinates, as `newRecord` does in Kafka Connect.
public protocol Transformation: AnyObject, Sendable {
    func configure(_ configs: [String: String]) throws
    func apply<R: ConnectRecord>(_ record: R) throws -> R?
    func close()
}

extension Transformation {
    public func close() {}
}

/// A condition that decides whether a transform applies (`connect.transforms.predicates.Predicate`).
public protocol Predicate: AnyObject, Sendable {
    func configure(_ configs: [String: String]) throws
    func test<R: ConnectRecord>(_ record: R) -> Bool
}
