import CRdKafka

/// The one error type of the Kafka module.
///
/// A struct with an extensible `Code` (librdkafka's numeric error code: negative values are client-local, positive
/// values come from the broker) rather than a frozen enum, so new librdkafka codes never break callers. The runtime
/// decides what to do from `isRetriable` (try the same operation again later) and `isFatal` (the client instance is
/// unusable and must be recreated).
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    /// librdkafka's error code, wrapped so that C enums never appear in public signatures.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The numeric `rd_kafka_resp_err_t` value.
        public let rawValue: Int32

        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// The local producer queue is full (`queue.buffering.max.messages`/`kbytes`).
        public static let queueFull = Code(rawValue: -184)
        /// An operation did not complete within its timeout.
        public static let timedOut = Code(rawValue: -185)
        /// A message could not be delivered within `message.timeout.ms`.
        public static let messageTimedOut = Code(rawValue: -192)
        /// An argument or configuration value is invalid.
        public static let invalidArgument = Code(rawValue: -186)
        /// The operation is not valid in the client's current state (e.g. after `close()`).
        public static let invalidState = Code(rawValue: -172)
        /// The broker does not implement the request (e.g. admin APIs on librdkafka's mock cluster).
        public static let unsupportedFeature = Code(rawValue: -165)
        /// Connection to a broker failed.
        public static let transport = Code(rawValue: -195)
        /// No broker is reachable.
        public static let allBrokersDown = Code(rawValue: -187)
        /// Topic unknown to the client.
        public static let unknownTopic = Code(rawValue: -188)
        /// Partition unknown to the client.
        public static let unknownPartition = Code(rawValue: -190)
        /// The client hit a fatal error (e.g. idempotence sequence gap) and must be recreated.
        public static let fatal = Code(rawValue: -150)
        /// Broker: topic or partition does not exist.
        public static let unknownTopicOrPartition = Code(rawValue: 3)
        /// Broker: topic already exists (tolerated by `KafkaAdmin.createTopic`).
        public static let topicAlreadyExists = Code(rawValue: 36)

        /// librdkafka's symbolic name, e.g. `_QUEUE_FULL`.
        public var name: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue))) }

        public var description: String { "\(name) (\(rawValue))" }
    }

    /// What went wrong, in librdkafka's terms.
    public var code: Code
    /// A human-readable explanation naming the operation and object involved.
    public var message: String
    /// True when retrying the same operation later may succeed (timeouts, full queue, broker unavailable).
    public var isRetriable: Bool
    /// True when the client instance is unusable and must be closed and recreated.
    public var isFatal: Bool

    public init(code: Code, message: String, isRetriable: Bool? = nil, isFatal: Bool = false) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable ?? KafkaError.defaultRetriable(code)
        self.isFatal = isFatal || code == .fatal
    }

    public var description: String { "Kafka error \(code): \(message)" }

    /// Codes librdkafka reports as transient when it gives no explicit retriable flag.
    static func defaultRetriable(_ code: Code) -> Bool {
        switch code.rawValue {
        case -185, -192, -184, -195, -187, -188, -190: return true
        // Broker codes Kafka marks retriable: leader/coordinator moves, not enough replicas, request timeout...
        case 3, 5, 6, 7, 13, 14, 15, 16, 19, 20, 56: return true
        default: return false
        }
    }

    /// Wraps a plain `rd_kafka_resp_err_t`, prefixing `context` (what we were doing) to librdkafka's text.
    init(_ err: rd_kafka_resp_err_t, _ context: String) {
        let code = Code(rawValue: Int32(err.rawValue))
        self.init(code: code, message: "\(context): \(String(cString: rd_kafka_err2str(err)))")
    }

    /// Wraps and destroys an `rd_kafka_error_t`, keeping librdkafka's retriable/fatal flags.
    init(consuming error: OpaquePointer, _ context: String) {
        defer { rd_kafka_error_destroy(error) }
        let code = Code(rawValue: Int32(rd_kafka_error_code(error).rawValue))
        let text = rd_kafka_error_string(error).map { String(cString: $0) } ?? code.name
        self.init(
            code: code,
            message: "\(context): \(text)",
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || KafkaError.defaultRetriable(code),
            isFatal: rd_kafka_error_is_fatal(error) != 0
        )
    }
}
