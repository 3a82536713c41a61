/// What the user asked a connector to be (`target-state-<name>` in the config topic).
public enum ConnectTargetState: String, Sendable, Hashable, CaseIterable {
    case started = "STARTED"
    case paused = "PAUSED"
    /// KIP-875. Older workers read only `state`, which says PAUSED for a stopped connector.
    case stopped = "STOPPED"
}
