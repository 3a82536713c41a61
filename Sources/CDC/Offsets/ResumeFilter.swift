/// On restart, decides which streamed changes were already delivered (their position is at or before the stored
/// offset) so each change is emitted once after a clean stop and at least once after a crash.
public struct ResumeFilter: Sendable, Hashable {
    public var stored: StreamPosition?

    public init(stored: StreamPosition?) { self.stored = stored }

    /// Whole transactions committed before the stored one were delivered (used to skip without decoding rows).
    public func skipsTransaction(commitLSN: LSN) -> Bool {
        guard let stored else { return false }
        return commitLSN < stored.commitLSN
    }

    public func skips(_ position: StreamPosition) -> Bool {
        guard let stored else { return false }
        return position <= stored
    }
}
