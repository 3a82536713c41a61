import SluiceAPI

/// The one error type of the database layer: what failed, the database's own codes, and whether retrying may help.
///
/// `isRetriable` is what the sink's `max.retries` and the source's `connection.attempts` loops look at: lost
/// connections, deadlocks, serialization failures and "too many connections" are worth retrying; syntax errors,
/// constraint violations and type mismatches are not.
public struct SQLError: Error, Sendable, CustomStringConvertible {
    /// An extensible category (not a frozen enum) so callers can match the cases they care about.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The URL could not be parsed or names an unsupported database.
        public static let invalidURL = Code("invalidURL")
        /// Connecting failed (server down, refused, authentication).
        public static let connectionFailed = Code("connectionFailed")
        /// An established connection broke.
        public static let connectionLost = Code("connectionLost")
        /// The database rejected a statement.
        public static let statementFailed = Code("statementFailed")
        /// A result value could not be decoded into an `SQLValue`.
        public static let decoding = Code("decoding")
        /// The caller misused the API (wrong parameter count, closed connection, busy cursor).
        public static let misuse = Code("misuse")
        /// A value has no binary COPY form for its column's type (the caller copies that table as text instead).
        public static let binaryUnsupported = Code("binaryUnsupported")
    }

    public var code: Code
    public var message: String
    /// The SQLSTATE when the database reported one (PostgreSQL, MariaDB).
    public var sqlState: String?
    /// The vendor error number (MariaDB errno, SQLite result code).
    public var vendorCode: Int?
    public var isRetriable: Bool

    public init(
        _ code: Code, _ message: String, sqlState: String? = nil, vendorCode: Int? = nil, retriable: Bool = false
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.vendorCode = vendorCode
        self.isRetriable = retriable
    }

    public var description: String {
        var s = message
        if let sqlState { s += " (SQLSTATE \(sqlState))" }
        if let vendorCode { s += " (code \(vendorCode))" }
        return s
    }

    /// The same failure as the plugin API's error, for connectors that throw `ConnectError`.
    public var connectError: ConnectError {
        ConnectError(isRetriable ? .retriable : .external, description, retriable: isRetriable, underlying: self)
    }

    /// Whether a SQLSTATE means "try again": connection exceptions (08), serialization failure, deadlock,
    /// insufficient resources (53), operator intervention (57P0x: shutdown, crash).
    public static func isRetriable(sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || sqlState == "40001" || sqlState == "40P01" || sqlState.hasPrefix("53")
            || sqlState.hasPrefix("57P0")
    }
}
