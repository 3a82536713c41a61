import SluiceAPI

/// Everything the standalone herder knows about one connector. Mutated only on the herder's queue.
final class ConnectorRuntime: @unchecked Sendable {
    var config: [String: String]
    /// The config's keys as posted, for REST answers.
    var keyOrder: [String] = []
    var target: TargetState
    var descriptor: PluginDescriptor?
    var instance: (any Connector)?
    var status: InstanceStatus
    var taskConfigs: [[String: String]] = []
    var tasks: [Int: WorkerTask] = [:]
    var taskStatus: [Int: InstanceStatus] = [:]
    var restartAttempts: [Int: Int] = [:]
    var runningSince: [Int: Int64] = [:]

    init(config: [String: String], target: TargetState, workerId: String) {
        self.config = config
        self.target = target
        self.status = InstanceStatus(state: .unassigned, workerId: workerId)
    }

    var type: ConnectorType {
        switch descriptor?.type {
        case .source: return .source
        case .sink: return .sink
        default: return .unknown
        }
    }
}
