import SluiceAPI

/// A connector's stored configuration and what the user asked it to be.
public struct StoredConnector: Sendable, Hashable {
    public var config: [String: String]
    public var targetState: TargetState
    public init(config: [String: String], targetState: TargetState) {
        self.config = config
        self.targetState = targetState
    }
}

/// Where connector configs live (`ConfigBackingStore`): memory, a file beside the offsets (standalone), or the
/// config topic (distributed).
public protocol ConfigStore: AnyObject, Sendable {
    func load() throws -> [String: StoredConnector]
    func put(_ name: String, _ connector: StoredConnector) throws
    func remove(_ name: String) throws
}

/// Configs in memory only.
public final class MemoryConfigStore: ConfigStore, @unchecked Sendable {
    private var items: [String: StoredConnector] = [:]
    private let lock = NSLockish()
    public init() {}
    public func load() throws -> [String: StoredConnector] { lock.run { items } }
    public func put(_ name: String, _ connector: StoredConnector) throws { lock.run { items[name] = connector } }
    public func remove(_ name: String) throws { _ = lock.run { items.removeValue(forKey: name) } }
}
