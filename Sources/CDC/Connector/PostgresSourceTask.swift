import Logging
import SluiceAPI
import Synchronization

/// The streaming task (phase 2 placeholder while the replication connection is written).
public final class PostgresSourceTask: SourceTask, @unchecked Sendable {
    public init() {}
    public func initialize(context: any SourceTaskContext) {}
    public func start(_ props: [String: String]) throws {
        throw ConnectError(.connect, "PostgresSourceTask: streaming is not implemented yet")
    }
    public func poll() throws -> [SourceRecord] { [] }
    public func stop() {}
}
