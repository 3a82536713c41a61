import SluiceAPI

/// One bulk item as the processor tracks it: where its lines are in the batch body, how to read its answer, and the
/// offset-tracker entry it settles.
struct BulkItemInfo: Sendable {
    var token: OffsetTracker.Token
    var range: Range<Int>
    /// Where the `_source` line starts (== range.upperBound for a delete, which has none).
    var sourceStart: Int
    /// Sent with `version_type=external`: a version conflict means a newer or the same write is already there.
    var externallyVersioned: Bool
    var isDataStream: Bool
    var topic: String
    var id: String?
}

/// Bulk items ready to send: the NDJSON body and one entry per item, in body order.
struct BulkBatch: Sendable {
    var body: [UInt8] = []
    var items: [BulkItemInfo] = []

    var isEmpty: Bool { items.isEmpty }

    /// A batch of some of this batch's items (for retrying those alone).
    func subset(_ indices: [Int]) -> BulkBatch {
        var b = BulkBatch()
        for i in indices {
            var it = items[i]
            let start = b.body.count
            b.body.append(contentsOf: body[it.range])
            it.sourceStart = start + (it.sourceStart - it.range.lowerBound)
            it.range = start..<b.body.count
            b.items.append(it)
        }
        return b
    }

    /// The `_source` line of item `i` (nil for deletes), for the dead letter queue.
    func source(_ i: Int) -> [UInt8]? {
        let it = items[i]
        guard it.sourceStart < it.range.upperBound else { return nil }
        return Array(body[it.sourceStart..<(it.range.upperBound - 1)])
    }
}
