import SluiceAPI

/// `ConnectorInfo` as REST returns it: name, config, tasks, type.
public struct ConnectorInfo: Sendable {
    public var name: String
    public var config: [String: String]
    public var tasks: [ConnectorTaskId]
    public var type: ConnectorType
    /// The config's keys in the order the user gave them (Kafka keeps it); empty = sorted.
    public var keyOrder: [String] = []

    var configJSON: JSONValue { ConfigOrder.json(config, keyOrder) }

    var json: JSONValue {
        .object([
            "name": .string(name),
            "config": configJSON,
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
