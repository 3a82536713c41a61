/// Everything the config topic says, as of `offset`: what the leader assigns from and what workers run.
public struct ClusterConfigSnapshot: Sendable, Hashable {
    /// The config-topic position this snapshot reflects (last record's offset + 1; -1 before anything was read).
    /// Sent as `config-offset` in member metadata and assignments.
    public var offset: Int64 = -1
    public var connectorConfigs: [String: [String: String]] = [:]
    /// Connectors without a target-state record are STARTED.
    public var targetStates: [String: ConnectTargetState] = [:]
    /// Committed task configs only (see `inconsistent`).
    public var taskConfigs: [ConnectTaskId: [String: String]] = [:]
    /// The task count of each connector's last commit record.
    public var taskCounts: [String: Int] = [:]
    /// Connectors whose last commit record did not come with all its task configs: their tasks must be
    /// regenerated (the leader rewrites them), as Kafka Connect does.
    public var inconsistent: Set<String> = []

    public init() {}

    public func targetState(_ connector: String) -> ConnectTargetState { targetStates[connector] ?? .started }

    /// A connector's committed tasks, in order.
    public func tasks(of connector: String) -> [ConnectTaskId] {
        guard let count = taskCounts[connector], connectorConfigs[connector] != nil, !inconsistent.contains(connector) else { return [] }
        return (0..<Int32(clamping: count)).map { ConnectTaskId(connector: connector, task: $0) }
    }

    /// Every connector instance and committed task: the assignor's `configured` input. Stopped connectors have
    /// no tasks (their tasks are not assigned) but keep their connector instance, as in Kafka Connect.
    public var configured: ConnectorsAndTasks {
        var work = ConnectorsAndTasks.empty
        for name in connectorConfigs.keys {
            work.connectors.insert(name)
            if targetState(name) != .stopped { work.tasks.formUnion(tasks(of: name)) }
        }
        return work
    }
}
