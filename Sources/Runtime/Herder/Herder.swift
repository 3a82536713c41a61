import SluiceAPI

/// What REST asks of the cluster, whatever the mode (`Herder`): standalone answers locally; distributed mode
/// plugs in a Kafka-coordinated implementation behind the same interface.
public protocol Herder: AnyObject, Sendable {
    var registry: PluginRegistry { get }
    var isReady: Bool { get }
    func connectors() async -> [String]
    func connectorInfo(_ name: String) async throws -> ConnectorInfo
    func connectorConfig(_ name: String) async throws -> [String: String]
    /// Creates or replaces; `created` tells which. Throws 409 when it exists and `allowReplace` is false.
    func putConnectorConfig(_ name: String, _ config: [String: String], allowReplace: Bool, initialState: TargetState?) async throws -> (created: Bool, info: ConnectorInfo)
    /// As above, remembering the config's key order (REST shows configs in the order they were posted).
    func putConnectorConfig(_ name: String, _ config: [String: String], keyOrder: [String], allowReplace: Bool, initialState: TargetState?) async throws -> (created: Bool, info: ConnectorInfo)
    func deleteConnector(_ name: String) async throws
    func connectorStatus(_ name: String) async throws -> ConnectorStateInfo
    func taskConfigs(_ name: String) async throws -> [(ConnectorTaskId, [String: String])]
    func taskStatus(_ id: ConnectorTaskId) async throws -> InstanceStatus
    /// Returns nil when only the connector was restarted (REST 204), else the status with RESTARTING instances.
    func restartConnector(_ name: String, includeTasks: Bool, onlyFailed: Bool) async throws -> ConnectorStateInfo?
    func restartTask(_ id: ConnectorTaskId) async throws
    func setTargetState(_ name: String, _ state: TargetState) async throws
    func offsets(_ name: String) async throws -> [(partition: JSONValue, offset: JSONValue)]
    /// nil offsets map = reset every offset.
    func alterOffsets(_ name: String, _ offsets: [(partition: JSONValue, offset: JSONValue?)]?) async throws
    func validate(_ pluginClass: String?, _ config: [String: String]) async throws -> ConfigInfos
    func activeTopics(_ name: String) async throws -> [String]
    func resetTopics(_ name: String) async throws
}

extension Herder {
    /// Herders that do not keep key order show configs sorted.
    public func putConnectorConfig(_ name: String, _ config: [String: String], keyOrder: [String], allowReplace: Bool, initialState: TargetState?) async throws -> (created: Bool, info: ConnectorInfo) {
        try await putConnectorConfig(name, config, allowReplace: allowReplace, initialState: initialState)
    }
}

/// The answer of `config/validate`: per-key definitions, values and errors.
public struct ConfigInfos: Sendable {
    public var name: String
    public var errorCount: Int
    public var groups: [String]
    public var configs: [(key: ConfigKey?, info: ConfigValueInfo)]

    var json: JSONValue {
        .object([
            "name": .string(name),
            "error_count": .int(Int64(errorCount)),
            "groups": .array(groups.map { .string($0) }),
            "configs": .array(configs.map { c in
                var o = JSONObject()
                if let k = c.key { o["definition"] = ConfigInfos.definitionJSON(k) }
                o["value"] = .object([
                    "name": .string(c.info.name),
                    "value": c.info.value.map { .string($0) } ?? .null,
                    "recommended_values": .array(c.info.recommendedValues.map { .string($0) }),
                    "errors": .array(c.info.errors.map { .string($0) }),
                    "visible": .bool(c.info.visible),
                ])
                return .object(o)
            }),
        ])
    }

    static func definitionJSON(_ k: ConfigKey) -> JSONValue {
        let def: JSONValue
        switch k.defaultValue {
        case .required: def = .null
        case .value(let v): def = v.map { .string($0) } ?? .null
        }
        return .object([
            "name": .string(k.name),
            "type": .string(k.type.rawValue),
            "required": .bool(k.isRequired),
            "default_value": def,
            "importance": .string(k.importance.rawValue),
            "documentation": .string(k.documentation),
            "group": k.group.map { .string($0) } ?? .null,
            "width": .string(k.width.rawValue),
            "display_name": .string(k.displayName),
            "dependents": .array(k.dependents.map { .string($0) }),
            "order": .int(Int64(k.orderInGroup)),
        ])
    }
}
