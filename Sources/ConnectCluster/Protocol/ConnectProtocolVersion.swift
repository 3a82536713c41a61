/// Kafka Connect's group sub-protocols, offered in JoinGroup in order of preference; the coordinator picks one all
/// members support. Sluice offers `sessioned` and `compatible` (incremental cooperative); `default` (eager, v0) is
/// decoded for completeness but not offered, because eager rebalancing stops every task on every rebalance.
public enum ConnectProtocolVersion: Int16, Sendable, CaseIterable, Comparable {
    /// Eager rebalancing (Kafka 2.2 and older).
    case eager = 0
    /// Incremental cooperative rebalancing (KIP-415).
    case compatible = 1
    /// Incremental cooperative with session keys for internal REST requests (KIP-507).
    case sessioned = 2

    /// The protocol name sent in JoinGroup.
    public var protocolName: String {
        switch self {
        case .eager: return "default"
        case .compatible: return "compatible"
        case .sessioned: return "sessioned"
        }
    }

    public init?(protocolName: String) {
        guard let match = Self.allCases.first(where: { $0.protocolName == protocolName }) else { return nil }
        self = match
    }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
