/// Reads committed source offsets (`connect.storage.OffsetStorageReader`).
public protocol OffsetStorageReader: Sendable {
    func offset(_ partition: [String: JSONValue]) -> [String: JSONValue]?
    func offsets(_ partitions: [[String: JSONValue]]) -> [[String: JSONValue]: [String: JSONValue]]
}

extension OffsetStorageReader {
    public func offsets(_ partitions: [[String: JSONValue]]) -> [[String: JSONValue]: [String: JSONValue]] {
        var out: [[String: JSONValue]: [String: JSONValue]] = [:]
        for p in partitions { if let o = offset(p) { out[p] = o } }
        return out
    }
}
