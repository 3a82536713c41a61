/// Durable state a source task keeps for its connector besides per-partition offsets (a schema it pinned, a
/// high-water mark shared by all files, ...).
///
/// Kafka Connect has no such interface; Sluice keeps the state in the connector's offset store under reserved
/// source partitions (`{"sluice.state": <key>}`), so it lives wherever offsets live (offsets file in standalone,
/// offsets topic in distributed mode), survives restarts and `kill -9`, and is removed with the connector's offsets.
/// All tasks of a connector share the keys: a task that needs one value per key across tasks must merge what it
/// reads before it writes.
public protocol TaskStateStore: Sendable {
    /// The state last written under `key`, nil when none.
    func state(_ key: String) -> [String: JSONValue]?
    /// Stores `value` under `key` (nil removes it); returns only once it is durable.
    func setState(_ key: String, _ value: [String: JSONValue]?) throws
}
