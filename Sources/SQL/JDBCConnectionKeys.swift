import Foundation
import SluiceAPI

/// The keys the JDBC source and sink share — `connection.url`, `connection.user`, `connection.password`,
/// `connection.attempts`, `connection.backoff.ms` — and the `db.timezone` check: one definition, so both connectors
/// accept and reject the same values with the same messages (Confluent declares them in each connector).
public enum JDBCConnectionKeys {
    /// The five connection keys, first in `group` (orders 1–5), with each connector's own wording for the retry keys.
    public static func definitions(group: String, attemptsDoc: String, backoffDoc: String) -> [ConfigKey] {
        [
            ConfigKey("connection.url", .string, default: .required, validator: urlValidator, importance: .high,
                doc: "JDBC connection URL: jdbc:postgresql://host:port/db, jdbc:mysql://..., jdbc:mariadb://..., jdbc:sqlite:/path.",
                group: group, orderInGroup: 1),
            ConfigKey("connection.user", .string, default: .value(nil), importance: .high, doc: "JDBC connection user.",
                group: group, orderInGroup: 2),
            ConfigKey("connection.password", .password, default: .value(nil), importance: .high,
                doc: "JDBC connection password.", group: group, orderInGroup: 3),
            ConfigKey("connection.attempts", .int, default: .value("3"), validator: .range(min: 1), importance: .low,
                doc: attemptsDoc, group: group, orderInGroup: 4),
            ConfigKey("connection.backoff.ms", .long, default: .value("10000"), validator: .range(min: 0), importance: .low,
                doc: backoffDoc, group: group, orderInGroup: 5),
        ]
    }

    /// The parsed connection keys: the URL with user and password applied, attempts ≥ 1, back-off ≥ 0 ms.
    /// Throws a config error on `connection.url` (the password is redacted from the message).
    public static func parse(_ c: ParsedConfig) throws -> (url: JDBCURL, attempts: Int, backoffMs: Int) {
        let url: JDBCURL
        do {
            url = try JDBCURL(c.string("connection.url") ?? "", user: c.string("connection.user"),
                password: c.password("connection.password"))
        } catch {
            throw ConnectError.invalidConfig("connection.url", JDBCURL.redact(c.string("connection.url") ?? ""), "\(error)")
        }
        return (url, max(1, c.int("connection.attempts")), max(0, c.int("connection.backoff.ms")))
    }

    public static let urlValidator = ConfigValidator("jdbc:postgresql://, jdbc:mysql://, jdbc:mariadb:// or jdbc:sqlite:") { key, v in
        guard let s = v.stringValue else { return }
        do { _ = try JDBCURL(s) } catch { throw ConnectError.invalidConfig(key, JDBCURL.redact(s), "\(error)") }
    }

    /// `db.timezone`: UTC spellings or a time zone id the system knows.
    public static let timeZoneValidator = ConfigValidator("valid time zone id") { key, v in
        guard let s = v.stringValue else { return }
        if !isUTC(s) && TimeZone(identifier: s) == nil {
            throw ConnectError.invalidConfig(key, s, "Invalid time zone identifier")
        }
    }

    /// The spellings of UTC that need no time zone conversion.
    public static func isUTC(_ tz: String) -> Bool { ["UTC", "GMT", "Z", "Etc/UTC", "UTC+0", "GMT+0"].contains(tz) }

    /// `db.timezone` as a `TimeZone`, or nil for UTC (values are then written and read without conversion).
    public static func timeZone(_ tz: String) -> TimeZone? { isUTC(tz) ? nil : TimeZone(identifier: tz) }
}
