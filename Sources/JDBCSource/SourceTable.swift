import SQL
import SluiceAPI

/// A table assigned to a task, with the topic its rows go to. Travels in the task config (`tables`) as JSON so
/// names with commas, dots or quotes survive unchanged.
struct SourceTable: Sendable, Hashable {
    var name: SQLTableName
    var topic: String

    /// The task config key holding the assignment.
    static let configKey = "tables"

    static func encode(_ tables: [SourceTable]) -> String {
        JSONValue.array(tables.map { t in
            .object(JSONObject([
                ("schema", t.name.schema.map(JSONValue.string) ?? .null), ("name", .string(t.name.name)),
                ("topic", .string(t.topic)),
            ]))
        }).compactString
    }

    static func decode(_ text: String) throws -> [SourceTable] {
        let parsed: JSONValue
        do { parsed = try JSONReader.parse(text) } catch {
            throw ConnectError(.config, "Invalid task configuration '\(configKey)': \(error)")
        }
        guard let items = parsed.arrayValue else {
            throw ConnectError(.config, "Invalid task configuration '\(configKey)': expected a JSON array")
        }
        return try items.map { item in
            guard let name = item["name"]?.stringValue, let topic = item["topic"]?.stringValue else {
                throw ConnectError(.config, "Invalid task configuration '\(configKey)': entry without name/topic")
            }
            return SourceTable(name: SQLTableName(schema: item["schema"]?.stringValue, name), topic: topic)
        }
    }

    /// `min(#tables, maxTasks)` contiguous groups whose sizes differ by at most one (Kafka's
    /// `ConnectorUtils.groupPartitions`), so a given table list always splits the same way.
    static func group(_ tables: [SourceTable], maxTasks: Int) -> [[SourceTable]] {
        let n = min(tables.count, max(1, maxTasks))
        guard n > 0 else { return [] }
        let per = tables.count / n, extra = tables.count % n
        var out: [[SourceTable]] = []
        var start = 0
        for i in 0..<n {
            let size = per + (i < extra ? 1 : 0)
            out.append(Array(tables[start..<start + size]))
            start += size
        }
        return out
    }
}
