/// A parsed `connection.url` as users write it for Confluent's JDBC connectors.
///
/// Only the scheme picks the driver; everything else maps onto libpq, MariaDB Connector/C or SQLite parameters.
/// `connection.user`/`connection.password` override URL properties, as in the JDBC drivers.
public struct JDBCURL: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case postgresql, mysql, sqlite
    }

    public var kind: Kind
    /// The URL as given (passwords included), for the caller only; use `description` in messages.
    public var raw: String
    public var host: String
    public var port: Int
    /// Database name (PostgreSQL/MySQL) or file path (SQLite; `:memory:` for an in-memory database).
    public var database: String
    /// Query-string properties (`sslmode`, `connectTimeout`...), minus user and password.
    public var properties: [String: String]
    public var user: String?
    public var password: String?

    /// Parses `jdbc:postgresql://host[:port]/db[?k=v&...]`, `jdbc:mysql://...`, `jdbc:mariadb://...`,
    /// `jdbc:sqlite:/path/file.db` and `jdbc:sqlite::memory:`, then applies `user`/`password` overrides.
    public init(_ url: String, user: String? = nil, password: String? = nil) throws(SQLError) {
        raw = url
        properties = [:]
        var rest: Substring
        if url.hasPrefix("jdbc:sqlite:") {
            kind = .sqlite
            host = ""
            port = 0
            rest = url.dropFirst("jdbc:sqlite:".count)
            if let q = rest.firstIndex(of: "?") {
                properties = JDBCURL.parseQuery(rest[rest.index(after: q)...])
                rest = rest[..<q]
            }
            if rest.hasPrefix("file:") { rest = rest.dropFirst(5) }
            guard !rest.isEmpty else {
                throw SQLError(.invalidURL, "connection.url '\(url)' names no SQLite file (use jdbc:sqlite:/path/file.db)")
            }
            database = String(rest)
        } else {
            let schemes: [(String, Kind, Int)] = [
                ("jdbc:postgresql://", .postgresql, 5432), ("jdbc:mysql://", .mysql, 3306),
                ("jdbc:mariadb://", .mysql, 3306),
            ]
            guard let (prefix, k, defaultPort) = schemes.first(where: { url.hasPrefix($0.0) }) else {
                throw SQLError(
                    .invalidURL,
                    "connection.url '\(JDBCURL.redact(url))' is not supported: expected jdbc:postgresql://, jdbc:mysql://, "
                        + "jdbc:mariadb:// or jdbc:sqlite:")
            }
            kind = k
            rest = url.dropFirst(prefix.count)
            if let q = rest.firstIndex(of: "?") {
                properties = JDBCURL.parseQuery(rest[rest.index(after: q)...])
                rest = rest[..<q]
            }
            let hostPort: Substring
            if let slash = rest.firstIndex(of: "/") {
                hostPort = rest[..<slash]
                database = String(rest[rest.index(after: slash)...])
            } else {
                hostPort = rest
                database = ""
            }
            var hp = hostPort
            if let at = hp.lastIndex(of: "@") {  // user:password@host, accepted by some drivers
                let cred = hp[..<at]
                if let colon = cred.firstIndex(of: ":") {
                    properties["user"] = String(cred[..<colon])
                    properties["password"] = String(cred[cred.index(after: colon)...])
                } else {
                    properties["user"] = String(cred)
                }
                hp = hp[hp.index(after: at)...]
            }
            if let first = hp.split(separator: ",").first { hp = first }  // failover lists: first host
            if hp.hasPrefix("["), let close = hp.firstIndex(of: "]") {  // [ipv6]:port
                host = String(hp[hp.index(after: hp.startIndex)..<close])
                let after = hp[hp.index(after: close)...]
                port = after.hasPrefix(":") ? Int(after.dropFirst()) ?? -1 : defaultPort
            } else if let colon = hp.lastIndex(of: ":") {
                host = String(hp[..<colon])
                port = Int(hp[hp.index(after: colon)...]) ?? -1
            } else {
                host = String(hp)
                port = defaultPort
            }
            guard port > 0, port < 65536 else {
                throw SQLError(.invalidURL, "connection.url '\(JDBCURL.redact(url))' has an invalid port")
            }
            if host.isEmpty { host = "localhost" }
        }
        self.user = user ?? properties["user"]
        self.password = password ?? properties["password"]
        properties["user"] = nil
        properties["password"] = nil
    }

    /// `host:port/database` (or the SQLite path): what error messages name, never the password.
    public var description: String {
        switch kind {
        case .sqlite: return "sqlite:\(database)"
        case .postgresql, .mysql: return "\(kind.rawValue)://\(host):\(port)/\(database)"
        }
    }

    /// `host:port`, as connection errors name it.
    public var endpoint: String { kind == .sqlite ? database : "\(host):\(port)" }

    static func parseQuery(_ q: Substring) -> [String: String] {
        var out: [String: String] = [:]
        for pair in q.split(whereSeparator: { $0 == "&" || $0 == ";" }) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = percentDecode(kv[0])
            out[key] = kv.count > 1 ? percentDecode(kv[1]) : ""
        }
        return out
    }

    static func percentDecode(_ s: Substring) -> String {
        guard s.contains("%") || s.contains("+") else { return String(s) }
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let c = it.popFirst() {
            if c == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(c)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The URL with any `password=` value masked, for error messages and logs.
    public static func redact(_ url: String) -> String {
        guard let r = url.range(of: "password=") else { return url }
        let end = url[r.upperBound...].firstIndex(where: { $0 == "&" || $0 == ";" }) ?? url.endIndex
        return url[..<r.upperBound] + "****" + url[end...]
    }
}
