import SluiceAPI

/// One row of Debezium's signal table (`signal.data.collection`): `id`, `type`, `data`, read by position from the
/// first three columns as Debezium does, so any column names work.
public struct Signal: Sendable, Hashable {
    /// Debezium's signal types this connector acts on; anything else is logged and ignored.
    public static let executeSnapshot = "execute-snapshot"
    public static let stopSnapshot = "stop-snapshot"
    public static let pauseSnapshot = "pause-snapshot"
    public static let resumeSnapshot = "resume-snapshot"
    public static let windowOpen = "snapshot-window-open"
    public static let windowClose = "snapshot-window-close"
    public static let log = "log"

    public var id: String
    public var type: String
    public var data: String?

    public init(id: String, type: String, data: String?) {
        self.id = id
        self.type = type
        self.data = data
    }

    /// The signal carried by an inserted row, or nil when the row lacks an id or a type (not a signal).
    public init?(tuple: TupleData) {
        guard tuple.columns.count >= 2, let id = tuple.columns[0].string, let type = tuple.columns[1].string else { return nil }
        self.init(id: id, type: type, data: tuple.columns.count > 2 ? tuple.columns[2].string : nil)
    }

    /// What a signal asks for, decoded from `type` and the JSON in `data`.
    public enum Action: Sendable, Hashable {
        /// `execute-snapshot` of type incremental: table names (or regexes) with optional SQL filters per table.
        case executeSnapshot(collections: [String], conditions: [String: String])
        /// `stop-snapshot`: the listed tables, or the whole incremental snapshot when the list is empty.
        case stopSnapshot(collections: [String])
        case pauseSnapshot
        case resumeSnapshot
        /// A chunk's window markers, written by the connector itself; the id is the chunk id without its suffix.
        case windowOpen(chunkID: String)
        case windowClose(chunkID: String)
        /// `log`: write `message` to the connector log.
        case log(message: String)
    }

    /// Decodes the action; throws a message naming the signal id and the problem for malformed or unsupported signals.
    public func action() throws(ConnectError) -> Action {
        switch type {
        case Self.windowOpen:
            return .windowOpen(chunkID: id.hasSuffix("-open") ? String(id.dropLast(5)) : id)
        case Self.windowClose:
            return .windowClose(chunkID: id.hasSuffix("-close") ? String(id.dropLast(6)) : id)
        case Self.pauseSnapshot:
            return .pauseSnapshot
        case Self.resumeSnapshot:
            return .resumeSnapshot
        case Self.log:
            return .log(message: try object()["message"]?.stringValue ?? (data ?? ""))
        case Self.executeSnapshot:
            let o = try object()
            let kind = (o["type"]?.stringValue ?? "incremental").lowercased()
            guard kind == "incremental" else {
                throw problem("snapshot type '\(kind)' is not supported; use \"type\": \"incremental\"")
            }
            let collections = try names(o)
            guard !collections.isEmpty else { throw problem("\"data-collections\" must list at least one table") }
            return .executeSnapshot(collections: collections, conditions: try conditions(o))
        case Self.stopSnapshot:
            let o = try object()
            if let kind = o["type"]?.stringValue, kind.lowercased() != "incremental" {
                throw problem("snapshot type '\(kind)' is not supported; use \"type\": \"incremental\"")
            }
            return .stopSnapshot(collections: try names(o))
        default:
            throw problem("unknown signal type '\(type)'")
        }
    }

    private func problem(_ text: String) -> ConnectError {
        ConnectError(.config, "signal '\(id)' (type \(type)): \(text)")
    }

    private func object() throws(ConnectError) -> JSONObject {
        guard let data, !data.isEmpty else { return JSONObject() }
        let parsed: JSONValue
        do { parsed = try JSONReader.parse(data) } catch { throw problem("data is not valid JSON (\(error.description)): \(data)") }
        guard let o = parsed.objectValue else { throw problem("data must be a JSON object: \(data)") }
        return o
    }

    private func names(_ o: JSONObject) throws(ConnectError) -> [String] {
        guard let v = o["data-collections"], !v.isNull else { return [] }
        guard let items = v.arrayValue else { throw problem("\"data-collections\" must be an array of table names") }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue, !s.isEmpty else { throw problem("\"data-collections\" entries must be non-empty strings") }
            out.append(s)
        }
        return out
    }

    /// `additional-conditions` (`[{"data-collection": "public.t", "filter": "..."}]`) or Debezium 1.x's single
    /// `additional-condition` applying to every listed table (returned under the key `*`).
    private func conditions(_ o: JSONObject) throws(ConnectError) -> [String: String] {
        var out: [String: String] = [:]
        if let single = o["additional-condition"]?.stringValue, !single.isEmpty { out["*"] = single }
        guard let v = o["additional-conditions"], !v.isNull else { return out }
        guard let items = v.arrayValue else { throw problem("\"additional-conditions\" must be an array") }
        for item in items {
            guard let table = item["data-collection"]?.stringValue, let filter = item["filter"]?.stringValue else {
                throw problem("each \"additional-conditions\" entry needs \"data-collection\" and \"filter\" strings")
            }
            if !filter.isEmpty { out[table] = filter }
        }
        return out
    }
}
