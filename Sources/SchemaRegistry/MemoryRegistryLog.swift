import Synchronization

/// A log kept in memory only (tests; a worker without any durable place). Appends are delivered synchronously.
public final class MemoryRegistryLog: RegistryLog {
    private struct State {
        var records: [RegistryRecord] = []
        var deliver: (@Sendable (RegistryRecord) -> Void)?
    }
    private let state = Mutex(State())

    public init(_ records: [RegistryRecord] = []) { state.withLock { $0.records = records } }

    public var records: [RegistryRecord] { state.withLock { $0.records } }

    public func start(_ deliver: @escaping @Sendable (RegistryRecord) -> Void) throws {
        let existing = state.withLock { s in
            s.deliver = deliver
            return s.records
        }
        for r in existing { deliver(r) }
    }

    public func append(_ records: [RegistryRecord]) throws {
        let deliver = state.withLock { s in
            s.records += records
            return s.deliver
        }
        for r in records { deliver?(r) }
    }

    public func sync() throws {}
    public func close() {}
}
