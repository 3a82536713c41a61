import SluiceAPI

/// What the answer to a `_bulk` says about each item, decided by the original's rules (`ElasticsearchClient`'s
/// failure handling) plus per-item retries of throttled or failed-over items (issue #739: the original fails the
/// task on an item 429).
enum BulkItemVerdict: Equatable, Sendable {
    /// Written (or an accepted no-op: a delete of a missing document, a conflict with an external version).
    case done
    /// 429 / 5xx for this item: send it again after a back-off.
    case retry(String)
    /// The document is bad: dead letter queue, then `behavior.on.malformed.documents`.
    case malformed(String)
    /// Anything else: dead letter queue, then the task fails.
    case failed(String)
    /// A version conflict without external versioning: dead letter queue, processing continues.
    case conflict(String)
}

enum BulkResult {
    /// Quick check of the answer's top level: `"errors":false` appears in the first bytes of both Elasticsearch's
    /// and OpenSearch's answers, so a clean bulk is settled without parsing thousands of items.
    static func hasNoErrors(_ body: [UInt8]) -> Bool {
        let needle = Array("\"errors\":false".utf8)
        let limit = min(body.count, 128)
        guard limit >= needle.count else { return false }
        for i in 0...(limit - needle.count) where body[i] == needle[0] {
            if Array(body[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }

    /// The verdict for every item, in request order; throws when the answer does not match the request.
    static func verdicts(_ body: [UInt8], items: [BulkItemInfo]) throws -> [BulkItemVerdict] {
        let root: JSONValue
        do { root = try JSONReader.parse(body) } catch {
            throw ConnectError(.connect, "Unreadable bulk answer: \(error)")
        }
        guard let answers = root["items"]?.arrayValue, answers.count == items.count else {
            throw ConnectError(.connect,
                "The bulk answer has \(root["items"]?.arrayValue?.count ?? 0) items for \(items.count) requested")
        }
        return zip(answers, items).map { verdict($0, $1) }
    }

    static func verdict(_ answer: JSONValue, _ item: BulkItemInfo) -> BulkItemVerdict {
        guard let result = answer.objectValue?.members.first?.value else { return .failed("empty bulk item answer") }
        let status = Int(result["status"]?.int64Value ?? 0)
        guard let error = result["error"], !error.isNull else {
            return (200..<300).contains(status) || status == 404 ? .done : .failed("status \(status)")
        }
        let message = ElasticsearchErrors.describe(error)
        if message.contains("version_conflict_engine_exception") {
            return item.externallyVersioned || item.isDataStream ? .done : .conflict(message)
        }
        if status == 429 || status >= 500 { return .retry(message) }
        if ElasticsearchErrors.isMalformed(message) { return .malformed(message) }
        return .failed(message)
    }
}
