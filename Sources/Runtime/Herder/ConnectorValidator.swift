import Foundation
import SluiceAPI

/// Validates a connector config the way `AbstractHerder.validateConnectorConfig` does: common keys, the connector's
/// own keys, converters, and each transform and predicate with its prefixed keys. Pure: no connector is started.
struct ConnectorValidator: Sendable {
    let registry: PluginRegistry

    func validate(pluginClass: String?, _ config: [String: String]) throws -> ConfigInfos {
        guard let cls = config["connector.class"], !cls.trimmedWS.isEmpty else {
            // Kafka's status and text (the exception class included).
            throw RestError(500, "org.apache.kafka.connect.runtime.rest.errors.BadRequestException: Connector config \(ConnectorValidator.render(config)) contains no connector type")
        }
        guard let d = registry.find(cls), d.type == .source || d.type == .sink else {
            // Kafka's text and status (500); its list names the connectors installed.
            let list = registry.plugins.filter { $0.type == .source || $0.type == .sink }.sorted { $0.className < $1.className }.map {
                "PluginDesc{klass=class \($0.className), name='\($0.className)', version='\($0.version)', encodedVersion=\($0.version), type=\($0.type.rawValue), typeName='\($0.type.rawValue)', location='classpath'}"
            }
            let prefix = pluginClass == nil ? "" : "org.apache.kafka.connect.errors.ConnectException: "
            throw RestError(500, "\(prefix)Failed to find any class that implements Connector and which name matches \(cls), available connectors are: \(list.joined(separator: ", "))")
        }
        if let pluginClass {
            let strip = { (s: String) -> String in s.hasSuffix("Connector") ? String(s.dropLast("Connector".count)) : s }
            let simple = String(d.className.split(separator: ".").last ?? "")
            if !(strip(d.className).hasSuffix(strip(pluginClass)) || strip(simple) == strip(pluginClass) || d.className == pluginClass) {
                throw RestError.badRequest("Included connector type \(cls) does not match request type \(pluginClass)")
            }
        }
        // Kafka's order: the common keys, each transformation's and predicate's keys, then the connector's own.
        let common = ConnectorConfig.definition(for: d.type)
        var configs: [(key: ConfigKey?, info: ConfigValueInfo)] = []
        for info in common.validate(config) { configs.append((common.key(info.name), info)) }
        for (key, types) in [("key.converter", Set<PluginType>([.converter])), ("value.converter", [.converter]), ("header.converter", [.headerConverter, .converter])] {
            if let c = config[key], !c.isEmpty, registry.find(c) == nil || !types.contains(registry.find(c)!.type),
               let i = configs.firstIndex(where: { $0.info.name == key }) {
                configs[i].info.value = nil
                configs[i].info.errors.append("Invalid value \(c) for configuration \(key): Class \(c) could not be found.")
            }
        }
        configs += validatePlugins(config, listKey: "transforms", kind: .transformation)
        configs += validatePlugins(config, listKey: "predicates", kind: .predicate)

        // The connector's own keys (its validate may add live checks such as connecting to a database).
        let instance: any Connector
        switch d.factory {
        case .source(let make): instance = make()
        case .sink(let make): instance = make()
        default: throw RestError.badRequest("\(cls) is not a connector")
        }
        for info in instance.validate(config) where common.key(info.name) == nil {
            configs.append((instance.configDef.key(info.name), info))
        }
        var groups: [String] = []
        for c in configs { if let g = c.key?.group, !groups.contains(g) { groups.append(g) } }
        let errorCount = configs.reduce(0) { $0 + ($1.info.errors.isEmpty ? 0 : 1) }
        // Kafka names the result after the connector.class as given.
        return ConfigInfos(name: cls, errorCount: errorCount, groups: groups, configs: configs)
    }

    /// Kafka's `ConfigDef.sortedConfigs()`: keys without a default first, then by importance (HIGH first), then name
    /// (all plugin keys share the null group and order -1).
    static func sorted(_ keys: [ConfigKey]) -> [ConfigKey] {
        let rank: [ConfigImportance: Int] = [.high: 0, .medium: 1, .low: 2]
        return keys.sorted { a, b in
            if a.orderInGroup != b.orderInGroup { return a.orderInGroup < b.orderInGroup }
            if a.isRequired != b.isRequired { return a.isRequired }
            if a.importance != b.importance { return rank[a.importance]! < rank[b.importance]! }
            return a.name < b.name
        }
    }

    /// A transformation's `negate` and `predicate` keys, which Kafka adds to each transformation's definition.
    static let transformExtras: [ConfigKey] = [
        ConfigKey("negate", .boolean, default: .value("false"), importance: .medium,
                  doc: "Whether the configured predicate should be negated."),
        ConfigKey("predicate", .string, default: .value(nil), importance: .medium,
                  doc: "The alias of a predicate used to determine whether to apply this transformation."),
    ]

    /// Validates `transforms.<alias>.*` or `predicates.<alias>.*` against each plugin's definition, as Kafka's
    /// enriched `ConnectorConfig` does: `type` first (order 0), then the plugin's keys sorted and numbered from 1.
    func validatePlugins(_ config: [String: String], listKey: String, kind: PluginType) -> [(key: ConfigKey?, info: ConfigValueInfo)] {
        var out: [(key: ConfigKey?, info: ConfigValueInfo)] = []
        let isTransform = listKey == "transforms"
        for alias in TransformationChain.list(config[listKey]) {
            let typeKey = "\(listKey).\(alias).type"
            let group = "\(isTransform ? "Transforms" : "Predicates"): \(alias)"
            var typeInfo = ConfigValueInfo(name: typeKey, value: config[typeKey], parsed: .null, errors: [], recommendedValues: registry.ofType(kind).map(\.className).sorted())
            let typeDef = ConfigKey(typeKey, .className, default: .required, importance: .high,
                                    doc: "Class for the '\(alias)' \(isTransform ? "transformation" : "predicate").", group: group, orderInGroup: 0,
                                    width: .long, displayName: "\(isTransform ? "Transformation" : "Predicate") type for \(alias)")
            guard let cls = config[typeKey], !cls.isEmpty else {
                typeInfo.errors.append("Missing required configuration \"\(typeKey)\" which has no default value.")
                out.append((typeDef, typeInfo))
                continue
            }
            guard let d = registry.find(cls), d.type == kind else {
                typeInfo.value = nil
                typeInfo.errors.append("Invalid value \(cls) for configuration \(typeKey): Class \(cls) could not be found.")
                out.append((typeDef, typeInfo))
                continue
            }
            out.append((typeDef, typeInfo))
            let prefix = "\(listKey).\(alias)."
            var props = TransformationChain.prefixed(config, prefix)
            var def = d.configDef
            if isTransform { for k in Self.transformExtras where def.key(k.name) == nil { def.define(k) } }
            let ordered = Self.sorted(def.keys)
            let results = Dictionary(def.validate(props).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for (i, k) in ordered.enumerated() {
                guard var info = results[k.name] else { continue }
                info.name = prefix + info.name
                // Kafka validates the prefixed keys, so a missing one is named in full.
                info.errors = info.errors.map {
                    $0.replacingOccurrences(of: "Missing required configuration \"\(k.name)\"", with: "Missing required configuration \"\(prefix + k.name)\"")
                }
                out.append((ConnectorValidator.prefixedKey(k, prefix, group, order: i + 1), info))
            }
            // Instantiating catches what the definition cannot express (bad regex, bad spec syntax).
            props.removeValue(forKey: "type")
            if isTransform {
                props.removeValue(forKey: "predicate")
                props.removeValue(forKey: "negate")
            }
            if d.configDef.validate(props).allSatisfy({ $0.errors.isEmpty }) {
                do {
                    switch d.factory {
                    case .transformation(let make): try make().configure(props)
                    case .predicate(let make): try make().configure(props)
                    default: break
                    }
                } catch {
                    if let i = out.lastIndex(where: { $0.info.name == typeKey }) {
                        out[i].info.errors.append(ErrorHandler.describe(error))
                    }
                }
            }
        }
        return out
    }

    static func prefixedKey(_ k: ConfigKey, _ prefix: String, _ group: String, order: Int) -> ConfigKey {
        ConfigKey(prefix + k.name, k.type, default: k.defaultValue, validator: k.validator, importance: k.importance,
                  doc: k.documentation, group: group, orderInGroup: order, width: k.width, displayName: k.displayName)
    }

    static func render(_ config: [String: String]) -> String {
        // Java's Map.toString of a HashMap.
        "{" + JavaHashMapOrder.order(config.keys.sorted()).map { "\($0)=\(config[$0] ?? "")" }.joined(separator: ", ") + "}"
    }
}

extension StandaloneHerder {
    public func validate(_ pluginClass: String?, _ config: [String: String]) async throws -> ConfigInfos {
        let v = ConnectorValidator(registry: registry)
        // Connector validate() may connect to external systems: keep it off the concurrency pool and the herder queue.
        return try await withCheckedThrowingContinuation { cont in
            DispatchQueue.global().async { cont.resume(with: Result { try v.validate(pluginClass: pluginClass, config) }) }
        }
    }
}
