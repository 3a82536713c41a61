/// The rows of one incremental-snapshot chunk, in primary-key order, until its window closes (DBLog's buffer).
///
/// A streamed change of a key inside the open window is newer than (or equal to) what the chunk SELECT saw, so the
/// key is evicted and only the streamed event reaches the topic; what remains at window close is emitted as reads.
public struct ChunkBuffer: Sendable {
    public struct Row: Sendable, Hashable {
        /// Primary-key column values as PostgreSQL's output functions print them (the form pgoutput sends).
        public var key: [String]
        public var tuple: TupleData
        public init(key: [String], tuple: TupleData) {
            self.key = key
            self.tuple = tuple
        }
    }

    private var rows: [Row?] = []
    private var index: [[String]: Int] = [:]
    public private(set) var count = 0

    public init() {}

    public init(_ rows: [Row]) {
        for r in rows { append(r) }
    }

    public var isEmpty: Bool { count == 0 }

    /// Adds a row; a repeated key replaces the earlier row in place.
    public mutating func append(_ row: Row) {
        if let i = index[row.key] {
            rows[i] = row
            return
        }
        index[row.key] = rows.count
        rows.append(row)
        count += 1
    }

    /// Drops the row of `key`; true when it was buffered.
    @discardableResult
    public mutating func evict(_ key: [String]) -> Bool {
        guard let i = index.removeValue(forKey: key) else { return false }
        rows[i] = nil
        count -= 1
        return true
    }

    public func contains(_ key: [String]) -> Bool { index[key] != nil }

    /// The remaining rows in key order; the buffer is left empty.
    public mutating func drain() -> [Row] {
        let out = rows.compactMap { $0 }
        removeAll()
        return out
    }

    public mutating func removeAll() {
        rows.removeAll()
        index.removeAll()
        count = 0
    }
}
