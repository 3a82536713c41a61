/// The one error type of the plugin API: an extensible code, a message, whether retrying may help, and the cause.
///
/// Mirrors Kafka Connect's exception family (`ConnectException`, `DataException`, `RetriableException`,
/// `ConfigException`) without freezing it into an enum users must switch over exhaustively.
public struct ConnectError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// General failure (`ConnectException`).
        public static let connect = Code("ConnectException")
        /// A value does not fit its schema or cannot be converted (`DataException`).
        public static let dataException = Code("DataException")
        /// A configuration value is invalid (`ConfigException`).
        public static let config = Code("ConfigException")
        /// Retrying later may succeed (`RetriableException`).
        public static let retriable = Code("RetriableException")
        /// A record cannot be converted by a converter (`SerializationException`).
        public static let serialization = Code("SerializationException")
        /// An unknown or missing plugin class.
        public static let pluginNotFound = Code("PluginNotFound")
        /// An external system (database, file system, broker) failed.
        public static let external = Code("ExternalSystemException")
    }

    public var code: Code
    public var message: String
    public var isRetriable: Bool
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, retriable: Bool? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.isRetriable = retriable ?? (code == .retriable)
        self.underlying = underlying
    }

    /// Java-style class name used in traces and DLQ headers.
    public var className: String {
        switch code {
        case .dataException: return "org.apache.kafka.connect.errors.DataException"
        case .config: return "org.apache.kafka.common.config.ConfigException"
        case .retriable: return "org.apache.kafka.connect.errors.RetriableException"
        default: return "org.apache.kafka.connect.errors.ConnectException"
        }
    }

    public var description: String {
        var s = "\(className): \(message)"
        if let underlying { s += "\nCaused by: \(underlying)" }
        return s
    }

    /// A config error naming the key, in Kafka's wording.
    /// A secret key's value is shown as `[hidden]`, as Kafka's `Password.toString()` does.
    public static func invalidConfig(_ key: String, _ value: String?, _ why: String) -> ConnectError {
        let shown = value.map { Secrets.isSensitive(key) ? Secrets.hidden : $0 } ?? "null"
        return ConnectError(.config, "Invalid value \(shown) for configuration \(key): \(why)")
    }
}
