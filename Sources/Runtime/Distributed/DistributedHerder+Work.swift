import ConnectCluster
import Foundation
import SluiceAPI

extension DistributedHerder {
    /// Applies a new assignment: stop what was revoked, start what is newly ours. Runs on the queue.
    func apply(_ a: ConnectAssignment, snapshot s: ClusterConfigSnapshot) {
        leaderUrl = a.leaderUrl
        for name in a.revoked.connectors { stopConnector(name) }
        for id in a.revoked.tasks { stopTask(id) }
        if a.failed {
            // CONFIG_MISMATCH: the leader read a newer config topic than we did; catch up and rejoin.
            requestRejoin()
            return
        }
        // Incremental cooperative protocol: the assignment carries only what is added and what is revoked.
        assigned = assigned.union(a.assigned).subtracting(a.revoked)
        for name in assigned.connectors where connectors[name] == nil { startConnector(name, snapshot: s) }
        for name in connectors.keys where !assigned.connectors.contains(name) { stopConnector(name) }
        for id in tasks.keys where !assigned.tasks.contains(id) { stopTask(id) }
        startAssignedTasks(snapshot: s)
    }

    func revokeAll() {
        for name in Array(connectors.keys) { stopConnector(name) }
        for id in Array(tasks.keys) { stopTask(id) }
        assigned = .empty
    }

    func startConnector(_ name: String, snapshot s: ClusterConfigSnapshot) {
        guard let raw = s.connectorConfigs[name] else { return }
        let target = s.targetState(name)
        do {
            let config = try worker.resolve(raw)
            let (d, instance) = try worker.makeConnector(config)
            if target == .stopped {
                putStatus(connector: name, .stopped)
                // Kafka Connect empties a stopped connector's task configs so no worker runs its tasks.
                if !s.tasks(of: name).isEmpty { try configStore.putTaskConfigs(name, []) }
                return
            }
            var connLogger = logger
            connLogger[metadataKey: "connector"] = .string(name)
            let reader: (any OffsetStorageReader)? = d.type == .source ? StoreOffsetReader(store: worker.offsetStore, connector: name) : nil
            instance.initialize(context: DistributedConnectorContext(herder: self, name: name, offsetStorageReader: reader, logger: connLogger))
            try instance.start(config)
            connectors[name] = (d, instance, raw)
            putStatus(connector: name, target == .paused ? .paused : .running)
            try publishTaskConfigs(name, snapshot: s)
        } catch {
            putStatus(connector: name, .failed, trace: WorkerTask.trace(error))
            logger.error("Connector \(name) failed to start: \(error)")
        }
    }

    /// The worker running a connector computes its task configs and writes them when they changed.
    func publishTaskConfigs(_ name: String, snapshot s: ClusterConfigSnapshot) throws {
        guard let c = connectors[name] else { return }
        let maxTasks = Int(c.config["tasks.max"] ?? "1") ?? 1
        let configs = Worker.reverseTransform(Array(try c.instance.taskConfigs(maxTasks: maxTasks).prefix(maxTasks)), raw: c.config)
        let existing = s.tasks(of: name).compactMap { s.taskConfigs[$0] }
        if existing != configs || s.tasks(of: name).count != configs.count {
            try configStore.putTaskConfigs(name, configs)
            logger.info("Connector \(name) published \(configs.count) task config(s)")
        }
    }

    func stopConnector(_ name: String) {
        guard let c = connectors.removeValue(forKey: name) else { return }
        c.instance.stop()
    }

    func startAssignedTasks(snapshot s: ClusterConfigSnapshot) {
        for id in assigned.tasks where tasks[id] == nil { startTask(id, snapshot: s) }
    }

    func startTask(_ id: ConnectTaskId, snapshot s: ClusterConfigSnapshot) {
        guard let connectorConfig = s.connectorConfigs[id.connector], let taskConfig = s.taskConfigs[id],
              s.targetState(id.connector) != .stopped
        else { return }
        let rid = ConnectorTaskId(id.connector, Int(id.task))
        do {
            let resolvedConnector = try worker.resolve(connectorConfig)
            let (d, instance) = try worker.makeConnector(resolvedConnector)
            var props = taskConfig
            for (k, v) in connectorConfig where props[k] == nil { props[k] = v }
            let initial: TargetState = s.targetState(id.connector) == .paused ? .paused : .started
            let t = try worker.makeTask(id: rid, descriptor: d, connector: instance, connectorConfig: resolvedConnector,
                                        taskProps: try worker.resolve(props), initialState: initial, listener: self)
            tasks[id] = t
            taskConfigsInUse[id] = taskConfig
            putStatus(task: id, .unassigned)
            t.start()
        } catch {
            putStatus(task: id, .failed, trace: WorkerTask.trace(error))
            logger.error("Task \(rid) could not be created: \(error)")
        }
    }

    func stopTask(_ id: ConnectTaskId) {
        guard let t = tasks.removeValue(forKey: id) else { return }
        taskConfigsInUse.removeValue(forKey: id)
        t.stop()
        if !t.awaitStop(timeoutMs: worker.config.shutdownTimeoutMs) {
            logger.warning("Task \(t.id) did not stop within task.shutdown.graceful.timeout.ms; abandoning it")
        }
    }

    func restartTaskNow(_ id: ConnectTaskId) {
        stopTask(id)
        putStatus(task: id, .restarting)
        startTask(id, snapshot: configStore.snapshot())
    }

    func applyTargetState(_ name: String, snapshot s: ClusterConfigSnapshot) {
        let target = s.targetState(name)
        switch target {
        case .stopped:
            if connectors[name] != nil {
                stopConnector(name)
                putStatus(connector: name, .stopped)
                try? configStore.putTaskConfigs(name, [])
            }
            for id in tasks.keys where id.connector == name { stopTask(id) }
            requestRejoin()
        case .paused, .started:
            let state: TargetState = target == .paused ? .paused : .started
            if connectors[name] != nil { putStatus(connector: name, target == .paused ? .paused : .running) }
            for (id, t) in tasks where id.connector == name { t.transition(to: state) }
            // Resuming a stopped connector: it is in the assignment again after a rebalance.
            requestRejoin()
        }
    }

    func handleRestart(_ name: String, includeTasks: Bool, onlyFailed: Bool, snapshot s: ClusterConfigSnapshot) {
        let failedConnector = statusStore.connector(name)?.state == .failed
        if assigned.connectors.contains(name) && (!onlyFailed || failedConnector) {
            stopConnector(name)
            putStatus(connector: name, .restarting)
            startConnector(name, snapshot: s)
        }
        guard includeTasks else { return }
        for id in Array(tasks.keys) where id.connector == name {
            if !onlyFailed || statusStore.task(id)?.state == .failed { restartTaskNow(id) }
        }
    }

    func putStatus(connector name: String, _ state: ConnectStatus.State, trace: String? = nil) {
        worker.metrics.setStatus(connector: name, task: nil, state: RunState(rawValue: state.rawValue) ?? .unassigned)
        do { try statusStore.put(connector: name, ConnectStatus(state: state, trace: trace, workerId: worker.workerId, generation: member.generationId)) } catch {
            logger.warning("Could not write status of connector \(name): \(error)")
        }
    }

    func putStatus(task id: ConnectTaskId, _ state: ConnectStatus.State, trace: String? = nil) {
        worker.metrics.setStatus(connector: id.connector, task: Int(id.task), state: RunState(rawValue: state.rawValue) ?? .unassigned)
        do { try statusStore.put(task: id, ConnectStatus(state: state, trace: trace, workerId: worker.workerId, generation: member.generationId)) } catch {
            logger.warning("Could not write status of task \(id): \(error)")
        }
    }

    // MARK: TaskStatusListener

    func onTaskStatus(_ task: WorkerTask, _ state: RunState, trace: String?) {
        queue.async {
            let id = ConnectTaskId(connector: task.id.connector, task: Int32(task.id.task))
            guard self.tasks[id] === task else { return }
            self.putStatus(task: id, ConnectStatus.State(rawValue: state.rawValue) ?? .unassigned, trace: trace)
            if state == .failed { self.scheduleRestart(id, task) }
            if state == .running { self.restartAttempts[id] = 0 }
        }
    }

    /// Failed tasks come back by themselves with back-off, as in standalone mode.
    func scheduleRestart(_ id: ConnectTaskId, _ failed: WorkerTask) {
        let attempt = (restartAttempts[id] ?? 0) + 1
        let policy = worker.config.restartPolicy
        guard policy.allows(attempt: attempt) else { return }
        restartAttempts[id] = attempt
        let delay = policy.delayMs(attempt: attempt)
        logger.warning("Task \(id) failed; restarting in \(delay) ms (attempt \(attempt))")
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(delay))) {
            guard self.tasks[id] === failed else { return }
            self.restartTaskNow(id)
        }
    }

    /// Stops everything local and leaves the group (graceful shutdown).
    func shutdown() {
        flags.run { _stopping = true }
        queue.sync { revokeAll() }
        member.leave()
        member.close()
    }
}

/// `ConnectorContext` for connectors running in distributed mode.
struct DistributedConnectorContext: ConnectorContext, @unchecked Sendable {
    weak var herder: DistributedHerder?
    let name: String
    let offsetStorageReader: (any OffsetStorageReader)?
    let logger: Logger

    init(herder: DistributedHerder, name: String, offsetStorageReader: (any OffsetStorageReader)?, logger: Logger) {
        self.herder = herder
        self.name = name
        self.offsetStorageReader = offsetStorageReader
        self.logger = logger
    }

    func requestTaskReconfiguration() {
        guard let h = herder else { return }
        let n = name
        h.queue.async {
            do { try h.publishTaskConfigs(n, snapshot: h.configStore.snapshot()) } catch {
                h.logger.error("Connector \(n): task reconfiguration failed: \(error)")
            }
        }
    }

    func raiseError(_ error: any Error) {
        guard let h = herder else { return }
        let n = name
        h.queue.async { h.putStatus(connector: n, .failed, trace: WorkerTask.trace(error)) }
    }
}

import Logging
