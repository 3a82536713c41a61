/// A Kafka protocol error code as brokers send it (`int16`), with names for the ones group membership handles.
public struct KafkaProtocolErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let none = Self(rawValue: 0)
    public static let requestTimedOut = Self(rawValue: 7)
    public static let coordinatorLoadInProgress = Self(rawValue: 14)
    public static let coordinatorNotAvailable = Self(rawValue: 15)
    public static let notCoordinator = Self(rawValue: 16)
    public static let illegalGeneration = Self(rawValue: 22)
    public static let inconsistentGroupProtocol = Self(rawValue: 23)
    public static let invalidGroupId = Self(rawValue: 24)
    public static let unknownMemberId = Self(rawValue: 25)
    public static let invalidSessionTimeout = Self(rawValue: 26)
    public static let rebalanceInProgress = Self(rawValue: 27)
    public static let groupAuthorizationFailed = Self(rawValue: 30)
    public static let unsupportedVersion = Self(rawValue: 35)
    public static let unsupportedSaslMechanism = Self(rawValue: 33)
    public static let illegalSaslState = Self(rawValue: 34)
    public static let invalidRequest = Self(rawValue: 42)
    public static let saslAuthenticationFailed = Self(rawValue: 58)
    public static let memberIdRequired = Self(rawValue: 79)
    public static let groupMaxSizeReached = Self(rawValue: 81)
    public static let fencedInstanceId = Self(rawValue: 82)

    private static let names: [Int16: String] = [
        0: "NONE", 7: "REQUEST_TIMED_OUT", 14: "COORDINATOR_LOAD_IN_PROGRESS", 15: "COORDINATOR_NOT_AVAILABLE",
        16: "NOT_COORDINATOR", 22: "ILLEGAL_GENERATION", 23: "INCONSISTENT_GROUP_PROTOCOL", 24: "INVALID_GROUP_ID",
        25: "UNKNOWN_MEMBER_ID", 26: "INVALID_SESSION_TIMEOUT", 27: "REBALANCE_IN_PROGRESS",
        30: "GROUP_AUTHORIZATION_FAILED", 33: "UNSUPPORTED_SASL_MECHANISM", 34: "ILLEGAL_SASL_STATE", 35: "UNSUPPORTED_VERSION", 42: "INVALID_REQUEST", 58: "SASL_AUTHENTICATION_FAILED", 79: "MEMBER_ID_REQUIRED",
        81: "GROUP_MAX_SIZE_REACHED", 82: "FENCED_INSTANCE_ID",
    ]

    /// Kafka's name for the code (`REBALANCE_IN_PROGRESS`), or `ERROR_<n>` for codes not listed here.
    public var name: String { Self.names[rawValue] ?? "ERROR_\(rawValue)" }
    public var description: String { "\(name) (\(rawValue))" }

    /// Whether the coordinator moved or is not ready: look it up again and retry.
    public var needsCoordinatorRediscovery: Bool {
        self == .coordinatorNotAvailable || self == .notCoordinator || self == .coordinatorLoadInProgress
    }
}
