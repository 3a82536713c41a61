import SQL
import SluiceAPI

/// Finds the tables a connector copies: the database's tables of the configured types, narrowed by
/// whitelist/blacklist or include/exclude regex lists, each with its topic.
struct TableDiscovery: Sendable {
    let config: JDBCSourceConfig

    /// The selected tables sorted by name, with topics. A table name found in several schemas gets the schema in
    /// its topic (`prefix` + `schema.table`) so the topics do not collide.
    func discover(on connection: any DatabaseConnection) throws -> [SourceTable] {
        var pattern = config.schemaPattern
        if connection.url.kind == .mysql, pattern == nil { pattern = config.catalogPattern }
        let found = try connection.dialect.tables(on: connection, schemaPattern: pattern, types: config.tableTypes)
        let selected = try found.map(\.name).filter { try isSelected($0) }
            .sorted { ($0.schema ?? "", $0.name) < ($1.schema ?? "", $1.name) }
        var schemasPerName: [String: Set<String>] = [:]
        for t in selected { schemasPerName[t.name, default: []].insert(t.schema ?? "") }
        return selected.map { t in
            let clash = (schemasPerName[t.name]?.count ?? 0) > 1
            return SourceTable(name: t, topic: config.topicPrefix + (clash ? t.description : t.name))
        }
    }

    func isSelected(_ table: SQLTableName) throws -> Bool {
        if !config.whitelist.isEmpty { return config.whitelist.contains { matches($0, table) } }
        if !config.blacklist.isEmpty { return !config.blacklist.contains { matches($0, table) } }
        if !config.includeList.isEmpty, try !config.includeList.contains(where: { try regexMatches($0, table) }) {
            return false
        }
        if try config.excludeList.contains(where: { try regexMatches($0, table) }) { return false }
        return true
    }

    /// A list entry names a table bare (`t`), qualified (`s.t`) or quoted (`"s"."t"`, `` `t` ``).
    func matches(_ entry: String, _ table: SQLTableName) -> Bool {
        let e = SQLTableName(parsing: entry)
        if e.name != table.name { return false }
        guard let s = e.schema, !s.isEmpty else { return true }
        return s == table.schema
    }

    /// Regexes match the whole qualified name (`schema.table`) or the bare table name.
    func regexMatches(_ pattern: String, _ table: SQLTableName) throws -> Bool {
        let regex: Regex<AnyRegexOutput>
        do { regex = try Regex(pattern) } catch {
            throw ConnectError.invalidConfig("table.include.list", pattern, "Not a valid regular expression: \(error)")
        }
        return (try? regex.wholeMatch(in: table.description)) != nil || (try? regex.wholeMatch(in: table.name)) != nil
    }
}
