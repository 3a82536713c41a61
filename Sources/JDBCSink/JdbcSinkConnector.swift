import Foundation
import SQL
import SluiceAPI

/// `io.confluent.connect.jdbc.JdbcSinkConnector`: the same config keys and defaults as Confluent's, over PostgreSQL,
/// MySQL/MariaDB and SQLite chosen from the `connection.url` scheme.
public final class JdbcSinkConnector: SinkConnector, @unchecked Sendable {
    public static let version = "10.8.0"
    private let lock = NSLock()
    private var props: [String: String] = [:]

    public init() {}

    public var configDef: ConfigDef { JDBCSinkConfig.definition }
    public var version: String { Self.version }

    public func start(_ props: [String: String]) throws {
        _ = try JDBCSinkConfig(props)
        lock.withLock { self.props = props }
    }

    /// Every task gets the same config: the runtime spreads topic partitions across them.
    public func taskConfigs(maxTasks: Int) throws -> [[String: String]] {
        let p = lock.withLock { props }
        return Array(repeating: p, count: max(1, maxTasks))
    }

    public func stop() {}

    public func makeTask() -> any SinkTask { JDBCSinkTask() }

    /// The key checks, then (when they pass) one connection attempt, reported on `connection.url`, so a wrong host or
    /// password shows up at validation rather than when the first record arrives.
    public func validate(_ props: [String: String]) -> [ConfigValueInfo] {
        var results = configDef.validate(props)
        guard results.allSatisfy({ $0.errors.isEmpty }), let urlText = props["connection.url"] else { return results }
        do {
            let url = try JDBCURL(urlText, user: props["connection.user"], password: props["connection.password"])
            let c = try Database.connect(url: url, attempts: 1, backoffMs: 0)
            c.close()
        } catch {
            if let i = results.firstIndex(where: { $0.name == "connection.url" }) {
                results[i].errors.append("Could not connect to \(JDBCURL.redact(urlText)): \(error)")
            }
        }
        return results
    }
}
