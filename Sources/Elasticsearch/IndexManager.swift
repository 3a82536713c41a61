import BlockingHTTP
import Logging
import SluiceAPI

/// Creates each index (or data stream) before its first document and, unless the schema is ignored, its mapping from
/// that record's value schema (`ElasticsearchSinkTask.ensureIndexExists` / `checkMapping`). Task thread only.
final class IndexManager {
    private let config: ElasticsearchSinkConfig
    private let client: ElasticsearchClient
    private let logger: Logger
    private var ready = Set<String>()
    private var mapped = Set<String>()

    init(config: ElasticsearchSinkConfig, client: ElasticsearchClient, logger: Logger) {
        self.config = config
        self.client = client
        self.logger = logger
    }

    /// Makes sure `index` exists (and is mapped) for `record`. Throws a `ConnectError` naming the index and topic.
    func ensure(_ index: String, for record: SinkRecord, shouldStop: () -> Bool) throws {
        if !ready.contains(index) {
            try create(index, topic: record.topic, shouldStop: shouldStop)
            ready.insert(index)
        }
        guard !config.isDataStream, !mapped.contains(index), !config.ignoresSchema(record.topic) else { return }
        guard let schema = record.valueSchema, schema.type == .structure, let mapping = MappingBuilder.mapping(for: schema)
        else { return }
        let current = try client.execute(HTTPRequest(method: "GET", path: "/\(Self.escape(index))/_mapping"),
            what: "Reading the mapping of index '\(index)'", shouldStop: shouldStop)
        if current.status == 200, let v = try? JSONReader.parse(current.body),
            let m = v[index]?["mappings"]?.objectValue, m.count > 0
        {
            mapped.insert(index)
            return
        }
        var w = JSONWriter()
        w.write(mapping)
        let r = try client.execute(HTTPRequest(method: "PUT", path: "/\(Self.escape(index))/_mapping",
            headers: [("Content-Type", "application/json")], body: w.bytes),
            what: "Creating the mapping of index '\(index)'", shouldStop: shouldStop)
        guard (200..<300).contains(r.status) else {
            throw ConnectError(.connect,
                "Could not create the mapping of index '\(index)' (topic '\(record.topic)'): HTTP \(r.status): \(ElasticsearchErrors.reason(r.body))")
        }
        logger.info("Created the mapping of index '\(index)' from the schema of topic '\(record.topic)'")
        mapped.insert(index)
    }

    private func create(_ index: String, topic: String, shouldStop: () -> Bool) throws {
        let path = "/\(Self.escape(index))"
        let head = try client.execute(HTTPRequest(method: "HEAD", path: path), what: "Checking index '\(index)'",
            shouldStop: shouldStop)
        // A name with `*` or `,` is an expression to HEAD (200 when it matches nothing): let the create refuse it.
        if head.status == 200 && !index.contains(where: { $0 == "*" || $0 == "," }) { return }
        let create = HTTPRequest(method: "PUT", path: config.isDataStream ? "/_data_stream/\(Self.escape(index))" : path,
            headers: [("Content-Type", "application/json")])
        let r = try client.execute(create, what: "Creating index '\(index)'", shouldStop: shouldStop)
        if (200..<300).contains(r.status) {
            logger.info("Created \(config.isDataStream ? "data stream" : "index") '\(index)' for topic '\(topic)'")
            return
        }
        if ElasticsearchErrors.type(r.body) == "resource_already_exists_exception" { return }
        let what = config.isDataStream ? "data stream" : "index"
        throw ConnectError(.connect,
            "Could not create \(what) '\(index)' for topic '\(topic)': HTTP \(r.status): \(ElasticsearchErrors.reason(r.body))")
    }

    /// Percent-encodes what a path segment cannot hold, so a strange index name reaches the server (which refuses
    /// it with a clear error) instead of changing the request.
    static func escape(_ s: String) -> String {
        var allowed = CharacterSetLite.unreserved
        allowed.insert(contentsOf: "+")
        var out = ""
        for b in s.utf8 {
            if allowed.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

/// The bytes a URL path segment may hold as they are.
struct CharacterSetLite {
    private var bits = [Bool](repeating: false, count: 256)
    static let unreserved: CharacterSetLite = {
        var c = CharacterSetLite()
        c.insert(contentsOf: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return c
    }()
    mutating func insert(contentsOf s: String) { for b in s.utf8 { bits[Int(b)] = true } }
    func contains(_ b: UInt8) -> Bool { bits[Int(b)] }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
