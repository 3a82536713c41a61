import Foundation
import Logging
import SluiceAPI

/// The herder of `sluice standalone`: one worker runs every connector and task; configs live in a `ConfigStore`
/// (connectors created over REST survive restarts), offsets in the worker's `OffsetStore`.
///
/// All state is confined to one serial queue: connector and task lifecycle calls may block (a connector connecting to
/// its database, a task taking seconds to stop), so they never run on the Swift concurrency pool. REST's async
/// methods hop onto the queue and back.
public final class StandaloneHerder: Herder, TaskStatusListener, @unchecked Sendable {
    let worker: Worker
    let configStore: any ConfigStore
    let logger: Logger
    let queue = DispatchQueue(label: "sluice.herder")
    var runtimes: [String: ConnectorRuntime] = [:]
    private let readyLock = NSLock()
    private var ready = false

    public var registry: PluginRegistry { worker.registry }
    public var isReady: Bool { readyLock.lock(); defer { readyLock.unlock() }; return ready }

    init(worker: Worker, configStore: any ConfigStore, logger: Logger) {
        self.worker = worker
        self.configStore = configStore
        self.logger = logger
    }

    /// Starts the connectors saved in the config store. Called once before REST reports healthy.
    func startStored() throws {
        let stored = try configStore.load()
        sync {
            for (name, s) in stored.sorted(by: { $0.key < $1.key }) {
                let rt = ConnectorRuntime(config: s.config, target: s.targetState, workerId: worker.workerId)
                runtimes[name] = rt
                // A connector saved PAUSED had tasks before the worker stopped (Kafka keeps their configs in its
                // config topic): they come back paused.
                startConnector(name, rt, pausedWithTasks: s.targetState == .paused)
            }
        }
    }

    func markReady() { readyLock.lock(); ready = true; readyLock.unlock() }

    /// Stops every connector and task (graceful shutdown: tasks flush offsets before exiting).
    func stopAll() {
        sync {
            let deadline = worker.config.shutdownTimeoutMs
            let all = runtimes.values.flatMap { $0.tasks.values }
            for t in all { t.stop() }
            let start = nowMs()
            for t in all { t.awaitStop(timeoutMs: max(0, deadline - (nowMs() - start))) }
            for (name, rt) in runtimes {
                rt.tasks.removeAll()
                rt.instance?.stop()
                rt.instance = nil
                logger.info("Connector \(name) stopped")
            }
        }
    }

    // MARK: queue helpers

    func sync<T>(_ body: () throws -> T) rethrows -> T { try queue.sync(execute: body) }

    func onQueue<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, any Error>) in
            queue.async { cont.resume(with: Result { try body() }) }
        }
    }

    func runtime(_ name: String) throws -> ConnectorRuntime {
        guard let rt = runtimes[name] else { throw RestError.notFound(connector: name) }
        return rt
    }

    // MARK: Herder (REST)

    public func connectors() async -> [String] {
        (try? await onQueue { self.runtimes.keys.sorted() }) ?? []
    }

    public func connectorInfo(_ name: String) async throws -> ConnectorInfo {
        try await onQueue { try self.info(name) }
    }

    func info(_ name: String) throws -> ConnectorInfo {
        let rt = try runtime(name)
        return ConnectorInfo(name: name, config: rt.config, tasks: rt.taskConfigs.indices.map { ConnectorTaskId(name, $0) }, type: rt.type, keyOrder: rt.keyOrder)
    }

    public func connectorConfig(_ name: String) async throws -> [String: String] {
        try await onQueue { try self.runtime(name).config }
    }

    public func putConnectorConfig(_ name: String, _ config: [String: String], allowReplace: Bool, initialState: TargetState?) async throws -> (created: Bool, info: ConnectorInfo) {
        try await putConnectorConfig(name, config, keyOrder: [], allowReplace: allowReplace, initialState: initialState)
    }

    public func putConnectorConfig(_ name: String, _ config: [String: String], keyOrder: [String], allowReplace: Bool, initialState: TargetState?) async throws -> (created: Bool, info: ConnectorInfo) {
        var config = config
        config["name"] = name
        let infos = try await validate(nil, config)
        if infos.errorCount > 0 {
            // Kafka's text, `{connectorType}` included verbatim.
            let messages = infos.configs.flatMap { c in c.info.errors }
            throw RestError.badRequest("Connector configuration is invalid and contains the following \(infos.errorCount) error(s):\n\(messages.joined(separator: "\n"))\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`")
        }
        let cfg = config
        return try await onQueue {
            if let existing = self.runtimes[name] {
                guard allowReplace else { throw RestError.conflict("Connector \(name) already exists") }
                try self.configStore.put(name, StoredConnector(config: cfg, targetState: existing.target))
                self.stopConnector(name, existing)
                existing.config = cfg
                existing.keyOrder = keyOrder
                self.startConnector(name, existing)
                self.logger.info("Connector \(name) reconfigured")
                return (false, try self.info(name))
            }
            let target = initialState ?? .started
            try self.configStore.put(name, StoredConnector(config: cfg, targetState: target))
            let rt = ConnectorRuntime(config: cfg, target: target, workerId: self.worker.workerId)
            rt.keyOrder = keyOrder
            self.runtimes[name] = rt
            self.startConnector(name, rt)
            self.logger.info("Connector \(name) created (\(cfg["connector.class"] ?? ""))")
            return (true, try self.info(name))
        }
    }

    public func deleteConnector(_ name: String) async throws {
        try await onQueue {
            let rt = try self.runtime(name)
            self.stopConnector(name, rt)
            try self.configStore.remove(name)
            self.runtimes.removeValue(forKey: name)
            // Direct pipelines: a deleted sink stops holding its topics' records (Kafka keeps the group).
            try? self.worker.kafka.deleteGroup(props: [:], groupId: "connect-\(name)")
            self.logger.info("Connector \(name) deleted")
        }
    }

    public func connectorStatus(_ name: String) async throws -> ConnectorStateInfo {
        try await onQueue { try self.status(name) }
    }

    func status(_ name: String) throws -> ConnectorStateInfo {
        let rt = try runtime(name)
        let tasks = rt.taskStatus.sorted { $0.key < $1.key }.map { (id: $0.key, status: $0.value) }
        return ConnectorStateInfo(name: name, connector: rt.status, tasks: tasks, type: rt.type)
    }

    public func taskConfigs(_ name: String) async throws -> [(ConnectorTaskId, [String: String])] {
        try await onQueue {
            let rt = try self.runtime(name)
            return rt.taskConfigs.enumerated().map { (ConnectorTaskId(name, $0.offset), $0.element) }
        }
    }

    public func taskStatus(_ id: ConnectorTaskId) async throws -> InstanceStatus {
        try await onQueue {
            let rt = try self.runtime(id.connector)
            guard let s = rt.taskStatus[id.task] else { throw RestError(404, "Unknown task \(id)") }
            return s
        }
    }

    public func restartConnector(_ name: String, includeTasks: Bool, onlyFailed: Bool) async throws -> ConnectorStateInfo? {
        try await onQueue {
            let rt = try self.runtime(name)
            let restartConnector = !onlyFailed || rt.status.state == .failed
            let taskIds = includeTasks ? rt.taskStatus.filter { !onlyFailed || $0.value.state == .failed }.map(\.key) : []
            if !includeTasks && !onlyFailed {
                self.stopConnector(name, rt)
                self.startConnector(name, rt)
                return nil
            }
            var snapshot = try self.status(name)
            if restartConnector { snapshot.connector.state = .restarting }
            for i in snapshot.tasks.indices where taskIds.contains(snapshot.tasks[i].id) {
                snapshot.tasks[i].status.state = .restarting
            }
            if restartConnector {
                self.stopConnector(name, rt)
                self.startConnector(name, rt)
            }
            if !restartConnector || onlyFailed {
                for t in taskIds { self.restartTaskNow(name, rt, t) }
            }
            return snapshot
        }
    }

    public func restartTask(_ id: ConnectorTaskId) async throws {
        try await onQueue {
            let rt = try self.runtime(id.connector)
            guard rt.taskConfigs.indices.contains(id.task) else { throw RestError(404, "Task \(id) not found") }
            rt.restartAttempts[id.task] = 0
            self.restartTaskNow(id.connector, rt, id.task)
        }
    }

    /// PUT /pause, /resume, /stop. Kafka Connect generates task configs only while a connector is STARTED and
    /// deletes them on stop, so pausing a STOPPED connector makes it PAUSED with no tasks (nothing starts), and
    /// resuming anything that has no running instance starts it afresh. A FAILED connector keeps its FAILED status
    /// (Kafka refuses the transition; restart is the way out) but the new target is recorded.
    public func setTargetState(_ name: String, _ state: TargetState) async throws {
        try await onQueue {
            let rt = try self.runtime(name)
            if rt.target == state { return }
            rt.target = state
            try self.configStore.put(name, StoredConnector(config: rt.config, targetState: state))
            let running = rt.instance != nil
            switch state {
            case .stopped:
                self.stopConnector(name, rt)
                rt.taskConfigs = []
                rt.taskStatus = [:]
                rt.status.state = .stopped
                self.worker.metrics.setStatus(connector: name, task: nil, state: .stopped)
            case .paused where !running:
                if rt.status.state != .failed {
                    rt.status.state = .paused
                    self.worker.metrics.setStatus(connector: name, task: nil, state: .paused)
                }
            case .started where !running:
                if rt.status.state != .failed { self.startConnector(name, rt) }
            case .paused, .started:
                rt.status.state = state == .paused ? .paused : .running
                self.worker.metrics.setStatus(connector: name, task: nil, state: rt.status.state)
                for t in rt.tasks.values { t.transition(to: state) }
            }
            self.logger.info("Connector \(name) target state is now \(state.rawValue)")
        }
    }

    public func activeTopics(_ name: String) async throws -> [String] {
        try await onQueue {
            _ = try self.runtime(name)
            return self.worker.activeTopics.topics(name)
        }
    }

    public func resetTopics(_ name: String) async throws {
        try await onQueue {
            _ = try self.runtime(name)
            self.worker.activeTopics.reset(name)
        }
    }

    // MARK: TaskStatusListener

    func onTaskStatus(_ task: WorkerTask, _ state: RunState, trace: String?) {
        queue.async {
            guard let rt = self.runtimes[task.id.connector], rt.tasks[task.id.task] === task else { return }
            let id = task.id
            rt.taskStatus[id.task] = InstanceStatus(state: state, workerId: self.worker.workerId, trace: trace)
            self.worker.metrics.setStatus(connector: id.connector, task: id.task, state: state)
            switch state {
            case .running:
                rt.runningSince[id.task] = nowMs()
            case .failed:
                self.scheduleRestart(id, rt, task)
            default:
                break
            }
        }
    }

    /// Kafka Connect leaves failed tasks FAILED until someone calls restart; Sluice retries with back-off.
    func scheduleRestart(_ id: ConnectorTaskId, _ rt: ConnectorRuntime, _ failed: WorkerTask) {
        if let since = rt.runningSince[id.task], nowMs() - since > 60_000 { rt.restartAttempts[id.task] = 0 }
        let attempt = (rt.restartAttempts[id.task] ?? 0) + 1
        let policy = worker.config.restartPolicy
        guard policy.allows(attempt: attempt) else {
            logger.error("Task \(id) failed; automatic restarts exhausted after \(attempt - 1) attempt(s). Use POST /connectors/\(id.connector)/tasks/\(id.task)/restart")
            return
        }
        rt.restartAttempts[id.task] = attempt
        let delay = policy.delayMs(attempt: attempt)
        logger.warning("Task \(id) failed; restarting in \(delay) ms (attempt \(attempt))")
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(delay))) {
            guard let current = self.runtimes[id.connector], current === rt, rt.tasks[id.task] === failed,
                  rt.taskStatus[id.task]?.state == .failed, rt.target != .stopped
            else { return }
            self.restartTaskNow(id.connector, rt, id.task)
        }
    }
}
