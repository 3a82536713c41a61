import SluiceAPI

/// `ConnectorInfo` as REST returns it: name, config, tasks, type.
public struct ConnectorInfo: Sendable {
    public var name: String
    public var config: [String: String]
    public var tasks: [ConnectorTaskId]
    public var type: ConnectorType

    var json: JSONValue {
        .object([
            "name": .string(name),
            "config": .stringMap(config),
            "tasks": .array(tasks.map(\.json)),
            "type": .string(type.rawValue),
        ])
    }
}

/// `ConnectorStateInfo`: the connector's status and each task's.
public struct ConnectorStateInfo: Sendable {
    public var name: String
    public var connector: InstanceStatus
    public var tasks: [(id: Int, status: InstanceStatus)]
    public var type: ConnectorType

    var json: JSONValue {
        .object([
            "name": .string(name),
            "connector": connector.json(),
            "tasks": .array(tasks.map { $0.status.json(taskId: $0.id) }),
            "type": .string(type.rawValue),
        ])
    }
}
