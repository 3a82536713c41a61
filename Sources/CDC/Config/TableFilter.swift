/// Debezium's `schema.*`, `table.*` and `column.*` include/exclude lists: comma-separated regular expressions that
/// must match the whole identifier (`schema`, `schema.table`, `schema.table.column`). Include lists win over exclude
/// lists when both are given, as Debezium rejects that combination anyway.
public struct TableFilter: Sendable {
    public var schemaInclude: [String]
    public var schemaExclude: [String]
    public var tableInclude: [String]
    public var tableExclude: [String]
    public var columnInclude: [String]
    public var columnExclude: [String]
    /// Schemas never captured unless explicitly included.
    static let systemSchemas: Set<String> = ["pg_catalog", "information_schema"]

    public init(schemaInclude: [String] = [], schemaExclude: [String] = [], tableInclude: [String] = [],
                tableExclude: [String] = [], columnInclude: [String] = [], columnExclude: [String] = []) {
        self.schemaInclude = schemaInclude
        self.schemaExclude = schemaExclude
        self.tableInclude = tableInclude
        self.tableExclude = tableExclude
        self.columnInclude = columnInclude
        self.columnExclude = columnExclude
    }

    static func matches(_ patterns: [String], _ text: String) -> Bool {
        for p in patterns {
            guard let r = try? Regex(p) else { continue }
            if (try? r.wholeMatch(in: text)) != nil { return true }
        }
        return false
    }

    public func includesTable(_ id: TableId) -> Bool {
        if !schemaInclude.isEmpty {
            if !Self.matches(schemaInclude, id.schema) { return false }
        } else if Self.systemSchemas.contains(id.schema) || Self.matches(schemaExclude, id.schema) {
            return false
        }
        let full = "\(id.schema).\(id.table)"
        if !tableInclude.isEmpty { return Self.matches(tableInclude, full) }
        return !Self.matches(tableExclude, full)
    }

    public func includesColumn(_ id: TableId, _ column: String) -> Bool {
        let full = "\(id.schema).\(id.table).\(column)"
        if !columnInclude.isEmpty { return Self.matches(columnInclude, full) }
        return !Self.matches(columnExclude, full)
    }

    /// `message.key.columns`: `<fully-qualified table regex>:<col>,<col>;...` → key columns for `id`, if any.
    public static func keyColumns(_ spec: String?, for id: TableId) -> [String]? {
        guard let spec, !spec.isEmpty else { return nil }
        for entry in spec.split(separator: ";") {
            guard let colon = entry.lastIndex(of: ":") else { continue }
            let pattern = String(entry[..<colon]).trimmingSpaces
            let cols = entry[entry.index(after: colon)...].split(separator: ",").map { String($0).trimmingSpaces }
            if matches([pattern], "\(id.schema).\(id.table)") { return cols }
        }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
