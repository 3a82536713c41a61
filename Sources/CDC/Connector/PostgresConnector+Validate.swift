import SQL
import SluiceAPI

extension PostgresConnector {
    /// The key checks, then (when they pass) the server, so `PUT /connector-plugins/.../config/validate` reports
    /// what would otherwise only fail at task start: an unreachable server (on `database.hostname`), wal_level not
    /// logical (`database.hostname`), a user without REPLICATION (`database.user`), a missing signal table
    /// (`signal.data.collection`). Each message names the fix.
    public func validate(_ props: [String: String]) -> [ConfigValueInfo] {
        var results = configDef.validate(props)
        guard results.allSatisfy({ $0.errors.isEmpty }) else { return results }
        func fail(_ key: String, _ message: String) { results.addError(key, message, value: props[key]) }
        let cfg: PostgresConnectorConfig
        do { cfg = try PostgresConnectorConfig(props) } catch {
            fail("topic.prefix", "\(error)")
            return results
        }
        let p = cfg.parsed
        let host = p.string("database.hostname") ?? "localhost", port = p.int("database.port")
        let conn: any DatabaseConnection
        do {
            let url = try JDBCURL("jdbc:postgresql://\(host):\(port)/\(cfg.database)", user: p.string("database.user"),
                                  password: p.password("database.password"))
            conn = try Database.connect(url: url, attempts: 1, backoffMs: 0)
        } catch {
            fail("database.hostname", "Unable to connect to PostgreSQL at \(host):\(port), database \(cfg.database): \(error)")
            return results
        }
        defer { conn.close() }
        do {
            if let problem = try ReplicationSetup.walLevelProblem(conn) { fail("database.hostname", problem) }
            if let problem = try ReplicationSetup.replicationPrivilegeProblem(conn) { fail("database.user", problem) }
            if let signal = cfg.signalTable, try PgCatalog(connection: conn).relation(signal) == nil {
                fail("signal.data.collection", "signal table \(signal) does not exist: create it (CREATE TABLE \(signal) "
                    + "(id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))) or unset signal.data.collection")
            }
        } catch {
            fail("database.hostname", "Could not read the server's settings: \(error)")
        }
        return results
    }
}
