import Kafka
import Logging
import SluiceAPI

/// Connector and task statuses in the status topic, in Kafka Connect's record format:
/// `status-connector-<name>` / `status-task-<name>-<n>` → `ConnectStatus.json`, null = removed.
///
/// Every worker follows the topic, so any worker answers `GET /connectors/<name>/status` for the whole cluster
/// with the `worker_id` that runs each connector and task. Last write (in topic order) wins.
public final class KafkaStatusStore: Sendable {
    /// A status change observed in the topic, delivered on the log's follower thread.
    public enum Update: Sendable, Hashable {
        case connector(String, ConnectStatus?)
        case task(ConnectTaskId, ConnectStatus?)
    }

    public typealias Listener = @Sendable (Update) -> Void

    private let log: KafkaBasedLog
    private let state: Locked<State>

    struct State {
        var connectors: [String: ConnectStatus] = [:]
        var tasks: [ConnectTaskId: ConnectStatus] = [:]
    }

    public init(
        topic: String, bootstrapServers: String, clientConfig: [String: String] = [:],
        logger: Logger = Logger(label: "sluice.cluster.status"), listener: @escaping Listener = { _ in }
    ) {
        let state = Locked(State())
        self.state = state
        log = KafkaBasedLog(topic: topic, bootstrapServers: bootstrapServers, clientConfig: clientConfig, logger: logger) { message in
            do {
                if let update = try Self.apply(message, to: state) { listener(update) }
            } catch {
                logger.warning("skipping status record at \(message.partition)@\(message.offset): \(error)")
            }
        }
    }

    public func start(timeoutMs: Int = 60_000) throws { try log.start(timeoutMs: timeoutMs) }
    public func stop() { log.stop() }
    public func readToEnd(timeoutMs: Int = 30_000) throws { try log.readToEnd(timeoutMs: timeoutMs) }

    public func connector(_ name: String) -> ConnectStatus? { state.withLock { $0.connectors[name] } }
    public func task(_ id: ConnectTaskId) -> ConnectStatus? { state.withLock { $0.tasks[id] } }
    public func connectors() -> [String: ConnectStatus] { state.withLock { $0.connectors } }
    public func tasks(of connector: String) -> [ConnectTaskId: ConnectStatus] {
        state.withLock { $0.tasks.filter { $0.key.connector == connector } }
    }

    /// Writes a connector's status and waits for the broker's acknowledgement.
    public func put(connector name: String, _ status: ConnectStatus) throws {
        try write("status-connector-\(name)", status)
        state.withLock { $0.connectors[name] = status }
    }

    /// Writes a task's status and waits for the broker's acknowledgement.
    public func put(task id: ConnectTaskId, _ status: ConnectStatus) throws {
        try write("status-task-\(id.connector)-\(id.task)", status)
        state.withLock { $0.tasks[id] = status }
    }

    /// Removes a deleted connector's statuses (tombstones for the connector and every task known for it).
    public func remove(connector name: String) throws {
        for id in tasks(of: name).keys.sorted() {
            try write("status-task-\(id.connector)-\(id.task)", nil)
        }
        try write("status-connector-\(name)", nil)
        state.withLock { s in
            s.connectors[name] = nil
            s.tasks = s.tasks.filter { $0.key.connector != name }
        }
    }

    private func write(_ key: String, _ status: ConnectStatus?) throws {
        try log.sendAndWait(key: Array(key.utf8), value: status.map { ConnectJSON.bytes($0.json) })
    }

    static func apply(_ message: KafkaMessage, to state: Locked<State>) throws -> Update? {
        guard let keyBytes = message.key else { return nil }
        let key = String(decoding: keyBytes, as: UTF8.self)
        let status = try ConnectJSON.parse(message.value, key: key, topic: message.topic).map { try ConnectStatus(json: $0) }
        if let name = key.dropPrefix("status-connector-") {
            state.withLock { $0.connectors[name] = status }
            return .connector(name, status)
        }
        if let rest = key.dropPrefix("status-task-") {
            guard let dash = rest.lastIndex(of: "-"), let index = Int32(rest[rest.index(after: dash)...]) else {
                throw ConnectStoreError(description: "key '\(key)': expected status-task-<connector>-<n>")
            }
            let id = ConnectTaskId(connector: String(rest[..<dash]), task: index)
            state.withLock { $0.tasks[id] = status }
            return .task(id, status)
        }
        return nil  // e.g. status-topic-… (active topics), not tracked here
    }
}
