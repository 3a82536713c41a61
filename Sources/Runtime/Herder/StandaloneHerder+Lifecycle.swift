import Foundation
import Logging
import SluiceAPI

extension StandaloneHerder {
    /// Instantiates and starts a connector, then its tasks. Failures become FAILED status with the trace, never a
    /// crash.
    ///
    /// A STOPPED connector only gets its descriptor (REST shows its type). A PAUSED one runs only if it has task
    /// configs to pause (`pausedWithTasks` or configs kept from before a restart): like Kafka Connect, which
    /// generates task configs only while a connector is STARTED, a connector created PAUSED or paused straight from
    /// STOPPED is PAUSED with no tasks until it is resumed.
    func startConnector(_ name: String, _ rt: ConnectorRuntime, pausedWithTasks: Bool = false) {
        let metrics = worker.metrics
        do {
            let resolved = try worker.resolve(rt.config)
            let (d, instance) = try worker.makeConnector(resolved)
            rt.descriptor = d
            let dormant: RunState? = switch rt.target {
            case .stopped: .stopped
            case .paused where rt.taskConfigs.isEmpty && !pausedWithTasks: .paused
            default: nil
            }
            if let dormant {
                rt.taskConfigs = []
                rt.taskStatus = [:]
                rt.status = InstanceStatus(state: dormant, workerId: worker.workerId)
                metrics.setStatus(connector: name, task: nil, state: dormant)
                return
            }
            var connLogger = logger
            connLogger[metadataKey: "connector"] = .string(name)
            let reader: (any OffsetStorageReader)? = d.type == .source ? StoreOffsetReader(store: worker.offsetStore, connector: name) : nil
            instance.initialize(context: HerderConnectorContext(herder: self, name: name, offsetStorageReader: reader, logger: connLogger))
            try instance.start(resolved)
            rt.instance = instance
            rt.status = InstanceStatus(state: rt.target == .paused ? .paused : .running, workerId: worker.workerId)
            metrics.setStatus(connector: name, task: nil, state: rt.status.state)
            try startTasks(name, rt, instance)
        } catch {
            rt.instance?.stop()
            rt.instance = nil
            rt.status = InstanceStatus(state: .failed, workerId: worker.workerId, trace: WorkerTask.trace(error))
            metrics.setStatus(connector: name, task: nil, state: .failed)
            logger.error("Connector \(name) failed to start: \(error)")
        }
    }

    func startTasks(_ name: String, _ rt: ConnectorRuntime, _ instance: any Connector) throws {
        let maxTasks = Int(rt.config["tasks.max"] ?? "1") ?? 1
        var configs = Worker.reverseTransform(try instance.taskConfigs(maxTasks: maxTasks), raw: rt.config)
        if configs.count > maxTasks {
            if (rt.config["tasks.max.enforce"] ?? "true").lowercased() == "true" {
                throw ConnectError(.connect, "Connector \(name) generated \(configs.count) tasks, more than tasks.max=\(maxTasks)")
            }
            configs = Array(configs.prefix(maxTasks))
        }
        rt.taskConfigs = configs
        rt.taskStatus = [:]
        for i in configs.indices { startTask(name, rt, i) }
    }

    func startTask(_ name: String, _ rt: ConnectorRuntime, _ index: Int) {
        let id = ConnectorTaskId(name, index)
        guard let d = rt.descriptor, let instance = rt.instance, rt.taskConfigs.indices.contains(index) else { return }
        var props = rt.taskConfigs[index]
        // Like Kafka Connect, tasks see the connector's config merged under their own.
        for (k, v) in rt.config where props[k] == nil { props[k] = v }
        do {
            let t = try worker.makeTask(id: id, descriptor: d, connector: instance, connectorConfig: try worker.resolve(rt.config),
                                        taskProps: try worker.resolve(props), initialState: rt.target, listener: self)
            rt.tasks[index] = t
            rt.taskStatus[index] = InstanceStatus(state: .unassigned, workerId: worker.workerId)
            t.start()
        } catch {
            rt.taskStatus[index] = InstanceStatus(state: .failed, workerId: worker.workerId, trace: WorkerTask.trace(error))
            worker.metrics.setStatus(connector: name, task: index, state: .failed)
            logger.error("Task \(id) could not be created: \(error)")
        }
    }

    /// Stops the connector's tasks (all at once, sharing the graceful timeout) and the connector itself. Tasks are
    /// always stopped: `startConnector` starts a fresh set, and old ones left running would be orphans.
    func stopConnector(_ name: String, _ rt: ConnectorRuntime) {
        stopTasks(rt, Array(rt.tasks.keys))
        rt.instance?.stop()
        rt.instance = nil
        rt.status.state = .unassigned
    }

    func stopTasks(_ rt: ConnectorRuntime, _ indices: [Int]) {
        let tasks = indices.compactMap { rt.tasks[$0] }
        for t in tasks { t.stop() }
        let start = nowMs()
        let timeout = worker.config.shutdownTimeoutMs
        for t in tasks {
            if !t.awaitStop(timeoutMs: max(0, timeout - (nowMs() - start))) {
                logger.warning("Task \(t.id) did not stop within task.shutdown.graceful.timeout.ms=\(timeout); abandoning it")
            }
        }
        for i in indices { rt.tasks.removeValue(forKey: i) }
    }

    func restartTaskNow(_ name: String, _ rt: ConnectorRuntime, _ index: Int) {
        stopTasks(rt, [index])
        rt.taskStatus[index] = InstanceStatus(state: .restarting, workerId: worker.workerId)
        startTask(name, rt, index)
        logger.info("Task \(name)-\(index) restarted")
    }

    /// A connector asked for new task configs (a table or file appeared): restart tasks only if they changed.
    func reconfigureTasks(_ name: String) {
        queue.async {
            guard let rt = self.runtimes[name], let instance = rt.instance, rt.target != .stopped else { return }
            do {
                let maxTasks = Int(rt.config["tasks.max"] ?? "1") ?? 1
                let configs = Worker.reverseTransform(try instance.taskConfigs(maxTasks: maxTasks), raw: rt.config)
                if configs == rt.taskConfigs { return }
                self.logger.info("Connector \(name) requested task reconfiguration: \(rt.taskConfigs.count) → \(configs.count) tasks")
                self.stopTasks(rt, Array(rt.tasks.keys))
                rt.taskConfigs = Array(configs.prefix(maxTasks))
                rt.taskStatus = [:]
                for i in rt.taskConfigs.indices { self.startTask(name, rt, i) }
            } catch {
                rt.status = InstanceStatus(state: .failed, workerId: self.worker.workerId, trace: WorkerTask.trace(error))
            }
        }
    }

    func connectorFailed(_ name: String, _ error: any Error) {
        queue.async {
            guard let rt = self.runtimes[name] else { return }
            rt.status = InstanceStatus(state: .failed, workerId: self.worker.workerId, trace: WorkerTask.trace(error))
            self.worker.metrics.setStatus(connector: name, task: nil, state: .failed)
            self.logger.error("Connector \(name) raised an error: \(error)")
        }
    }
}

/// The runtime side of `ConnectorContext` for standalone connectors.
struct HerderConnectorContext: ConnectorContext, @unchecked Sendable {
    weak var herder: StandaloneHerder?
    let name: String
    let offsetStorageReader: (any OffsetStorageReader)?
    let logger: Logger

    init(herder: StandaloneHerder, name: String, offsetStorageReader: (any OffsetStorageReader)?, logger: Logger) {
        self.herder = herder
        self.name = name
        self.offsetStorageReader = offsetStorageReader
        self.logger = logger
    }

    func requestTaskReconfiguration() { herder?.reconfigureTasks(name) }
    func raiseError(_ error: any Error) { herder?.connectorFailed(name, error) }
}
