import Kafka
import Logging
import SluiceAPI
import Synchronization

/// Connector configs in the config topic, in Kafka Connect's record format (`KafkaConfigBackingStore`):
///
///     connector-<name>       {"properties":{...}}                      null = connector deleted
///     task-<name>-<n>        {"properties":{...}}
///     commit-<name>          {"tasks":N}                               makes the preceding task records effective
///     target-state-<name>    {"state":"PAUSED","state.v2":"STOPPED"}   null = back to STARTED
///     restart-connector-<name> {"include-tasks":b,"only-failed":b}
///
/// Every worker reads the topic to its end on start and follows it; only the leader writes task configs. Task
/// records take effect only with the commit record after them, so a reader never sees half of a reconfiguration.
public final class KafkaConfigStore: Sendable {
    /// A change observed in the topic (from this worker's writes too), delivered on the log's follower thread.
    public enum Update: Sendable, Hashable {
        case connectorConfig(String)
        case connectorRemoved(String)
        case taskConfigs(String)
        case targetState(String)
        case restartRequested(connector: String, includeTasks: Bool, onlyFailed: Bool)
    }

    public typealias Listener = @Sendable (Update) -> Void

    private let log: KafkaBasedLog
    private let state: Locked<State>
    private let logger: Logger

    struct State {
        var snapshot = ClusterConfigSnapshot()
        /// Task records not yet committed, by connector.
        var deferred: [String: [Int32: [String: String]]] = [:]
    }

    public init(
        topic: String, bootstrapServers: String, clientConfig: [String: String] = [:],
        logger: Logger = Logger(label: "sluice.cluster.config"), listener: @escaping Listener = { _ in }
    ) {
        let state = Locked(State())
        self.state = state
        self.logger = logger
        log = KafkaBasedLog(topic: topic, bootstrapServers: bootstrapServers, clientConfig: clientConfig, logger: logger) { message in
            do {
                let updates = try state.withLock { try Self.apply(message, to: &$0) }
                for update in updates { listener(update) }
            } catch {
                logger.warning("skipping config record at \(message.topic)-\(message.partition)@\(message.offset): \(error)")
                state.withLock { $0.snapshot.offset = max($0.snapshot.offset, message.offset + 1) }
            }
        }
    }

    /// Reads the topic to its end (blocking), then follows it.
    public func start(timeoutMs: Int = 60_000) throws { try log.start(timeoutMs: timeoutMs) }
    public func stop() { log.stop() }
    /// Waits until every record written so far (by any worker) is in `snapshot()`.
    public func readToEnd(timeoutMs: Int = 30_000) throws { try log.readToEnd(timeoutMs: timeoutMs) }
    /// The current view of the topic.
    public func snapshot() -> ClusterConfigSnapshot { state.withLock { $0.snapshot } }

    /// Writes a connector's config (and first its target state, when given), durably.
    public func putConnectorConfig(_ name: String, _ config: [String: String], targetState: ConnectTargetState? = nil) throws {
        if let targetState { try putTargetState(name, targetState) }
        try write("connector-\(name)", .object(["properties": .stringMap(config)]))
    }

    /// Deletes a connector: tombstones for its config and target state.
    public func removeConnector(_ name: String) throws {
        try write("connector-\(name)", nil)
        try write("target-state-\(name)", nil)
    }

    /// Writes a connector's task configs and the commit record that makes them effective (leader only).
    public func putTaskConfigs(_ name: String, _ configs: [[String: String]]) throws {
        for (index, config) in configs.enumerated() {
            try write("task-\(name)-\(index)", .object(["properties": .stringMap(config)]))
        }
        try write("commit-\(name)", .object(["tasks": .int(Int64(configs.count))]))
    }

    /// Records the user's pause/resume/stop.
    public func putTargetState(_ name: String, _ target: ConnectTargetState) throws {
        let legacy: ConnectTargetState = target == .stopped ? .paused : target
        try write("target-state-\(name)", .object(["state": .string(legacy.rawValue), "state.v2": .string(target.rawValue)]))
    }

    /// Asks the worker running the connector to restart it (KIP-745).
    public func requestRestart(_ name: String, includeTasks: Bool, onlyFailed: Bool) throws {
        try write("restart-connector-\(name)", .object(["include-tasks": .bool(includeTasks), "only-failed": .bool(onlyFailed)]))
    }

    private func write(_ key: String, _ value: JSONValue?) throws {
        try log.sendAndWait(key: Array(key.utf8), value: value.map(ConnectJSON.bytes), partition: 0)
    }

    /// Applies one record to the state; returns what changed.
    static func apply(_ message: KafkaMessage, to state: inout State) throws -> [Update] {
        state.snapshot.offset = max(state.snapshot.offset, message.offset + 1)
        guard let keyBytes = message.key else { throw ConnectStoreError(description: "record without key") }
        let key = String(decoding: keyBytes, as: UTF8.self)
        let value = try ConnectJSON.parse(message.value, key: key, topic: message.topic)
        var s = state.snapshot
        defer { state.snapshot = s }
        if let name = key.dropPrefix("connector-") {
            guard let value else {
                s.connectorConfigs[name] = nil
                s.targetStates[name] = nil
                s.taskCounts[name] = nil
                s.inconsistent.remove(name)
                s.taskConfigs = s.taskConfigs.filter { $0.key.connector != name }
                state.deferred[name] = nil
                return [.connectorRemoved(name)]
            }
            guard let properties = ConnectJSON.stringMap(value["properties"]) else {
                throw ConnectStoreError(description: "key '\(key)': expected {\"properties\":{...}}")
            }
            s.connectorConfigs[name] = properties
            return [.connectorConfig(name)]
        }
        if let rest = key.dropPrefix("task-") {
            guard let dash = rest.lastIndex(of: "-"), let index = Int32(rest[rest.index(after: dash)...]) else {
                throw ConnectStoreError(description: "key '\(key)': expected task-<connector>-<n>")
            }
            let name = String(rest[..<dash])
            guard let value else { return [] }
            guard let properties = ConnectJSON.stringMap(value["properties"]) else {
                throw ConnectStoreError(description: "key '\(key)': expected {\"properties\":{...}}")
            }
            state.deferred[name, default: [:]][index] = properties
            return []
        }
        if let name = key.dropPrefix("commit-") {
            guard let count = value?["tasks"]?.int64Value, count >= 0 else {
                throw ConnectStoreError(description: "key '\(key)': expected {\"tasks\":N}")
            }
            let deferred = state.deferred[name] ?? [:]
            state.deferred[name] = nil
            let complete = (0..<Int32(clamping: count)).allSatisfy { deferred[$0] != nil }
            if !complete {
                s.inconsistent.insert(name)
            } else {
                s.inconsistent.remove(name)
                s.taskConfigs = s.taskConfigs.filter { $0.key.connector != name }
                for index in 0..<Int32(clamping: count) {
                    s.taskConfigs[ConnectTaskId(connector: name, task: index)] = deferred[index]
                }
            }
            s.taskCounts[name] = Int(count)
            return [.taskConfigs(name)]
        }
        if let name = key.dropPrefix("target-state-") {
            guard let value else {
                s.targetStates[name] = nil
                return [.targetState(name)]
            }
            let text = value["state.v2"]?.stringValue ?? value["state"]?.stringValue ?? ""
            guard let target = ConnectTargetState(rawValue: text) else {
                throw ConnectStoreError(description: "key '\(key)': unknown target state '\(text)'")
            }
            s.targetStates[name] = target
            return [.targetState(name)]
        }
        if let name = key.dropPrefix("restart-connector-") {
            guard let value else { return [] }
            return [.restartRequested(
                connector: name, includeTasks: value["include-tasks"]?.boolValue ?? false,
                onlyFailed: value["only-failed"]?.boolValue ?? false)]
        }
        return []  // other keys (e.g. session keys of newer Java workers) are not ours to interpret
    }
}

extension String {
    /// The rest after `prefix`, or nil when the string does not start with it.
    func dropPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
