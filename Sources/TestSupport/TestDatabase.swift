import SQL

/// A database created for one test on a shared test server.
public struct TestDatabase: Sendable {
    /// `jdbc:postgresql://127.0.0.1:PORT/name?user=postgres` or `jdbc:mysql://127.0.0.1:PORT/name?user=root`.
    public var url: String
    public var host: String
    public var port: Int
    public var dbname: String

    public init(url: String, host: String, port: Int, dbname: String) {
        self.url = url
        self.host = host
        self.port = port
        self.dbname = dbname
    }

    /// Opens a connection to this database (one attempt, no backoff).
    public func connect() throws -> any DatabaseConnection {
        try Database.connect(url, attempts: 1, backoffMs: 0)
    }

    /// A name unique to this process and call: `prefix` lower-cased to [a-z0-9_], then a random suffix.
    static func uniqueName(_ prefix: String) -> String {
        let clean = String(prefix.lowercased().map { ($0.isLetter && $0.isASCII) || ($0.isNumber && $0.isASCII) ? $0 : "_" }.prefix(40))
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return (clean.isEmpty ? "t" : clean) + "_" + suffix
    }
}
