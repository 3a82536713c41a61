/// Debezium's topic naming: `<prefix>.<schema>.<table>` and the fixed auxiliary topics, with characters Kafka does
/// not allow in topic names replaced by `_` (as Debezium's `TopicNamingStrategy` sanitises them).
public struct TopicNames: Sendable, Hashable {
    public var prefix: String

    public init(prefix: String) { self.prefix = prefix }

    public func table(schema: String, table: String) -> String { Self.sanitize("\(prefix).\(schema).\(table)") }
    public var transaction: String { Self.sanitize("\(prefix).transaction") }
    public var heartbeat: String { Self.sanitize("__debezium-heartbeat.\(prefix)") }
    public var message: String { Self.sanitize("\(prefix).message") }

    /// Keeps `[A-Za-z0-9._-]`, replaces anything else by `_`.
    public static func sanitize(_ name: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(name.unicodeScalars.count)
        for u in name.unicodeScalars {
            let ok = (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9") || u == "." || u == "_" || u == "-"
            out.unicodeScalars.append(ok ? u : "_")
        }
        return out
    }
}
