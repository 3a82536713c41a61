import ConnectCluster
import Foundation
import Logging
import NIOSSL
import SluiceAPI

/// The herder of `sluice distributed`: workers sharing a `group.id` form a Connect cluster coordinated by Kafka
/// alone. Configs live on the config topic, offsets on the offsets topic, statuses on the status topic; group
/// membership (JoinGroup/SyncGroup/Heartbeat with protocol type `connect`) elects a leader that spreads connectors
/// and tasks with incremental cooperative rebalancing.
///
/// Differences from Kafka Connect, on purpose: any worker may write a connector's config (the config topic has one
/// partition, so writes are ordered; there is no leader forwarding and hence no 409 during rebalances), and the worker
/// that runs a connector writes its task configs.
///
/// State is confined to one serial queue, as in `StandaloneHerder`; the group membership loop runs on its own thread.
public final class DistributedHerder: Herder, TaskStatusListener, @unchecked Sendable {
    let worker: Worker
    let configStore: KafkaConfigStore
    let statusStore: KafkaStatusStore
    let offsets: KafkaOffsetStore
    let member: KafkaGroupMember
    let assignor: IncrementalCooperativeAssignor
    let logger: Logger
    /// This worker's advertised REST URL (`http[s]://host:port`), sent in its group metadata.
    let url: String
    /// Client TLS settings for forwarding to other workers' https listeners (nil when this worker serves http).
    let forwardingTLS: NIOSSLContext?
    let heartbeatIntervalMs: Int
    let queue = DispatchQueue(label: "sluice.distributed-herder")

    // Queue-confined state.
    var assigned = ConnectorsAndTasks.empty
    var connectors: [String: (descriptor: PluginDescriptor, instance: any Connector, config: [String: String])] = [:]
    var tasks: [ConnectTaskId: WorkerTask] = [:]
    var taskConfigsInUse: [ConnectTaskId: [String: String]] = [:]
    var assignorState = IncrementalCooperativeAssignor.State()
    var leaderUrl = ""
    var restartAttempts: [ConnectTaskId: Int] = [:]

    // Shared with the membership thread.
    let flags = NSLockish()
    var _needsRejoin = true
    var _rejoinAtMs: Int64?
    var _stopping = false
    var _ready = false

    public var registry: PluginRegistry { worker.registry }
    public var isReady: Bool { flags.run { _ready } }

    init(worker: Worker, configStore: KafkaConfigStore, statusStore: KafkaStatusStore, offsets: KafkaOffsetStore,
         member: KafkaGroupMember, maxDelayMs: Int32, heartbeatIntervalMs: Int, url: String, forwardingTLS: NIOSSLContext? = nil,
         logger: Logger) {
        self.forwardingTLS = forwardingTLS
        self.worker = worker
        self.configStore = configStore
        self.statusStore = statusStore
        self.offsets = offsets
        self.member = member
        self.assignor = IncrementalCooperativeAssignor(maxDelayMs: maxDelayMs)
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.url = url
        self.logger = logger
    }

    func requestRejoin(atMs: Int64? = nil) {
        flags.run {
            if let atMs { _rejoinAtMs = min(_rejoinAtMs ?? atMs, atMs) } else { _needsRejoin = true }
        }
    }

    func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, any Error>) in
            queue.async { cont.resume(with: Result { try body() }) }
        }
    }

    /// Waits (off the concurrency pool) until this worker has read the config topic to its end.
    func readConfigs() async throws -> ClusterConfigSnapshot {
        let store = configStore
        return try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async {
                c.resume(with: Result { try store.readToEnd(); return store.snapshot() })
            }
        }
    }

    func snapshotOrNotFound(_ name: String) async throws -> ClusterConfigSnapshot {
        try await configOrNotFound(name).snapshot
    }

    /// The config snapshot and the connector's config in it, or 404 when the connector does not exist.
    func configOrNotFound(_ name: String) async throws -> (snapshot: ClusterConfigSnapshot, config: [String: String]) {
        let s = try await readConfigs()
        guard let config = s.connectorConfigs[name] else { throw RestError.notFound(connector: name) }
        return (s, config)
    }

    static func type(of descriptor: PluginDescriptor?) -> ConnectorType {
        switch descriptor?.type {
        case .source: return .source
        case .sink: return .sink
        default: return .unknown
        }
    }

    func connectorType(_ config: [String: String]) -> ConnectorType {
        DistributedHerder.type(of: config["connector.class"].flatMap { registry.find($0) })
    }

    // MARK: Herder (REST): reads come from the topics every worker follows, writes go to the config topic.

    public func connectors() async -> [String] {
        ((try? await readConfigs())?.connectorConfigs.keys.sorted()) ?? []
    }

    public func connectorInfo(_ name: String) async throws -> ConnectorInfo {
        let (s, config) = try await configOrNotFound(name)
        return ConnectorInfo(name: name, config: config, tasks: s.tasks(of: name).map { ConnectorTaskId(name, Int($0.task)) }, type: connectorType(config))
    }

    public func connectorConfig(_ name: String) async throws -> [String: String] {
        try await configOrNotFound(name).config
    }

    public func putConnectorConfig(_ name: String, _ config: [String: String], allowReplace: Bool, initialState: TargetState?) async throws -> (created: Bool, info: ConnectorInfo) {
        var config = config
        config["name"] = name
        let infos = try await validate(nil, config)
        if infos.errorCount > 0 {
            let messages = infos.configs.flatMap { c in c.info.errors.map { "\(c.info.name): \($0)" } }
            let type = config["connector.class"].map { String($0.split(separator: ".").last ?? "") } ?? "unknown"
            throw RestError.badRequest("Connector configuration is invalid and contains the following \(infos.errorCount) error(s):\n\(messages.joined(separator: "\n"))\nYou can also find the above list of errors at the endpoint `/connector-plugins/\(type)/config/validate`")
        }
        let exists = try await readConfigs().connectorConfigs[name] != nil
        if exists && !allowReplace { throw RestError.conflict("Connector \(name) already exists") }
        let target: ConnectTargetState? = exists ? nil : (initialState.map { ConnectTargetState(rawValue: $0.rawValue) ?? .started } ?? .started)
        let store = configStore
        let cfg = config
        try await blocking { try store.putConnectorConfig(name, cfg, targetState: target) }
        return (!exists, try await connectorInfo(name))
    }

    public func deleteConnector(_ name: String) async throws {
        _ = try await snapshotOrNotFound(name)
        let store = configStore
        try await blocking { try store.removeConnector(name) }
        try? statusStore.remove(connector: name)
    }

    public func connectorStatus(_ name: String) async throws -> ConnectorStateInfo {
        let (s, config) = try await configOrNotFound(name)
        let c = statusStore.connector(name)
        let connector = c.map(DistributedHerder.status) ?? InstanceStatus(state: .unassigned, workerId: "")
        let taskIds = Set(s.tasks(of: name))
        let tasks = statusStore.tasks(of: name).filter { taskIds.contains($0.key) }.sorted { $0.key < $1.key }
            .map { (id: Int($0.key.task), status: DistributedHerder.status($0.value)) }
        return ConnectorStateInfo(name: name, connector: connector, tasks: tasks, type: connectorType(config))
    }

    static func status(_ s: ConnectStatus) -> InstanceStatus {
        InstanceStatus(state: RunState(rawValue: s.state.rawValue) ?? .unassigned, workerId: s.workerId, trace: s.trace, generation: Int(s.generation))
    }

    public func taskConfigs(_ name: String) async throws -> [(ConnectorTaskId, [String: String])] {
        let s = try await snapshotOrNotFound(name)
        return s.tasks(of: name).compactMap { id in s.taskConfigs[id].map { (ConnectorTaskId(name, Int(id.task)), $0) } }
    }

    public func taskStatus(_ id: ConnectorTaskId) async throws -> InstanceStatus {
        let s = try await snapshotOrNotFound(id.connector)
        let tid = ConnectTaskId(connector: id.connector, task: Int32(id.task))
        guard s.taskConfigs[tid] != nil else { throw RestError(404, "Unknown task \(id)") }
        return statusStore.task(tid).map(DistributedHerder.status) ?? InstanceStatus(state: .unassigned, workerId: "")
    }

    public func restartConnector(_ name: String, includeTasks: Bool, onlyFailed: Bool) async throws -> ConnectorStateInfo? {
        var status = try await connectorStatus(name)
        let store = configStore
        try await blocking { try store.requestRestart(name, includeTasks: includeTasks, onlyFailed: onlyFailed) }
        if !includeTasks && !onlyFailed { return nil }
        if !onlyFailed || status.connector.state == .failed { status.connector.state = .restarting }
        if includeTasks {
            for i in status.tasks.indices where !onlyFailed || status.tasks[i].status.state == .failed {
                status.tasks[i].status.state = .restarting
            }
        }
        return status
    }

    public func restartTask(_ id: ConnectorTaskId) async throws {
        _ = try await taskStatus(id)
        let tid = ConnectTaskId(connector: id.connector, task: Int32(id.task))
        let local = try await onQueue { () -> Bool in
            guard self.tasks[tid] != nil else { return false }
            self.restartTaskNow(tid)
            return true
        }
        if local { return }
        // Another worker runs it: ask that worker, as Kafka Connect forwards the request.
        guard let owner = statusStore.task(tid)?.workerId, !owner.isEmpty else {
            throw RestError.conflict("Task \(id) is not assigned to any worker yet; try again after the rebalance")
        }
        // Workers of one cluster share their listener scheme (Kafka advertises it the same way, see
        // `rest.advertised.listener`), so the owner is reached with this worker's own.
        let scheme = url.hasPrefix("https://") ? "https" : "http"
        try await RestForwarder.post("\(scheme)://\(owner)/connectors/\(id.connector.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id.connector)/tasks/\(id.task)/restart", tls: forwardingTLS)
    }

    public func setTargetState(_ name: String, _ state: TargetState) async throws {
        _ = try await snapshotOrNotFound(name)
        let store = configStore
        let target = ConnectTargetState(rawValue: state.rawValue) ?? .started
        try await blocking { try store.putTargetState(name, target) }
    }

    public func offsets(_ name: String) async throws -> [(partition: JSONValue, offset: JSONValue)] {
        let config = try await configOrNotFound(name).config
        if connectorType(config) == .sink {
            let topics = (config["topics"] ?? "").split(separator: ",").map { String($0).trimmedWS }.filter { !$0.isEmpty }
            let props = worker.clientProps("consumer.", connector: config, overridePrefix: "consumer.override.")
            let kafka = worker.kafka
            let committed = try await blocking { try kafka.committedOffsets(props: props, groupId: "connect-\(name)", topics: topics) }
            return committed.sorted(by: { $0.key < $1.key }).map { tp, off in
                (.object(["kafka_topic": .string(tp.topic), "kafka_partition": .int(Int64(tp.partition))]), .object(["kafka_offset": .int(off)]))
            }
        }
        let store = offsets
        try await blocking { try store.readToEnd() }
        return offsets.offsets(connector: name).compactMap { e in e.offset.map { (.sortedObject(e.partition), .sortedObject($0)) } }
    }

    public func alterOffsets(_ name: String, _ offsets: [(partition: JSONValue, offset: JSONValue?)]?) async throws {
        let (s, config) = try await configOrNotFound(name)
        guard s.targetState(name) == .stopped else {
            throw RestError.badRequest("Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/\(name)/stop' endpoint")
        }
        if let offsets, offsets.isEmpty { throw RestError.badRequest("The offsets to be modified must not be empty") }
        if connectorType(config) == .sink {
            let props = worker.clientProps("consumer.", connector: config, overridePrefix: "consumer.override.")
            var change: [TopicPartition: Int64?] = [:]
            for o in offsets ?? [] {
                guard let t = o.partition["kafka_topic"]?.stringValue,
                      let p = o.partition["kafka_partition"]?.int64Value.flatMap(Int32.init(exactly:)), p >= 0
                else {
                    throw RestError.badRequest("Sink connector offsets need partitions of the form {\"kafka_topic\": string, \"kafka_partition\": int}")
                }
                change[TopicPartition(t, p)] = o.offset.map { $0["kafka_offset"]?.int64Value ?? 0 } ?? .some(nil)
            }
            if offsets == nil {
                let topics = (config["topics"] ?? "").split(separator: ",").map { String($0).trimmedWS }.filter { !$0.isEmpty }
                for tp in try worker.kafka.committedOffsets(props: props, groupId: "connect-\(name)", topics: topics).keys { change[tp] = .some(nil) }
            }
            let kafka = worker.kafka
            let c = change
            try await blocking { try kafka.alterCommittedOffsets(props: props, groupId: "connect-\(name)", c) }
            return
        }
        let store = worker.offsetStore
        if let offsets {
            let entries = try offsets.map { o -> OffsetEntry in
                guard let p = o.partition.objectValue else { throw RestError.badRequest("Source partitions must be JSON objects") }
                return OffsetEntry(partition: p.dictionary, offset: o.offset?.objectValue?.dictionary)
            }
            try await blocking { try store.write(connector: name, entries) }
        } else {
            try await blocking { try store.removeAll(connector: name) }
        }
    }

    public func validate(_ pluginClass: String?, _ config: [String: String]) async throws -> ConfigInfos {
        let v = ConnectorValidator(registry: registry)
        return try await blocking { try v.validate(pluginClass: pluginClass, config) }
    }

    public func activeTopics(_ name: String) async throws -> [String] {
        _ = try await snapshotOrNotFound(name)
        return worker.activeTopics.topics(name)
    }

    public func resetTopics(_ name: String) async throws {
        _ = try await snapshotOrNotFound(name)
        worker.activeTopics.reset(name)
    }

    /// Runs blocking work (Kafka round trips) off the Swift concurrency pool.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async { c.resume(with: Result { try body() }) }
        }
    }
}
