import Foundation
import Logging

/// Opens connections from a JDBC URL, choosing the driver by scheme and retrying as `connection.attempts` /
/// `connection.backoff.ms` say (Confluent's defaults: 3 attempts, 10 s apart).
public enum Database {
    /// Connects once per attempt; only retriable failures (server unreachable, too many connections) are retried.
    /// The last error names the URL's host:port.
    public static func connect(
        url: JDBCURL, attempts: Int = 3, backoffMs: Int = 10_000, connectTimeoutSeconds: Int = 10,
        logger: Logger = Logger(label: "sluice.sql")
    ) throws -> any DatabaseConnection {
        var attempt = 0
        while true {
            attempt += 1
            do {
                switch url.kind {
                case .postgresql: return try PostgresConnection.open(url, connectTimeoutSeconds: connectTimeoutSeconds)
                case .mysql: return try MariaDBConnection.open(url, connectTimeoutSeconds: connectTimeoutSeconds)
                case .sqlite: return try SQLiteConnection.open(url)
                }
            } catch let error as SQLError {
                guard error.isRetriable, attempt < max(1, attempts) else { throw error }
                logger.warning(
                    "Connecting to \(url) failed (attempt \(attempt) of \(attempts)), retrying in \(backoffMs) ms: \(error)")
                if backoffMs > 0 { Thread.sleep(forTimeInterval: Double(backoffMs) / 1000) }
            }
        }
    }

    /// Parses `urlString` (with `connection.user`/`connection.password` overrides) and connects.
    public static func connect(
        _ urlString: String, user: String? = nil, password: String? = nil, attempts: Int = 3, backoffMs: Int = 10_000,
        logger: Logger = Logger(label: "sluice.sql")
    ) throws -> any DatabaseConnection {
        try connect(url: JDBCURL(urlString, user: user, password: password), attempts: attempts, backoffMs: backoffMs,
            logger: logger)
    }

    /// The dialect for a URL without connecting (for validation and SQL generation in tests).
    public static func dialect(for kind: JDBCURL.Kind) -> any SQLDialect {
        switch kind {
        case .postgresql: return PostgresDialect()
        case .mysql: return MySQLDialect()
        case .sqlite: return SQLiteDialect()
        }
    }
}
