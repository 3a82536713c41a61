import Synchronization

/// Per-topic results of a regex (RegexRouter's new topic, TopicNameMatches' verdict), because a task sees a
/// handful of topics over millions of records and Swift `Regex` matching is far slower than a dictionary lookup.
final class TopicCache<Result: Sendable>: Sendable {
    private let table = Mutex<[String: Result]>([:])
    private let limit: Int

    init(limit: Int = 1024) { self.limit = limit }

    func result(for topic: String, compute: () throws -> Result) rethrows -> Result {
        if let hit = table.withLock({ $0[topic] }) { return hit }
        let r = try compute()
        table.withLock { t in
            if t.count >= limit { t.removeAll(keepingCapacity: true) }
            t[topic] = r
        }
        return r
    }
}
