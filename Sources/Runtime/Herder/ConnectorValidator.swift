import Foundation
import SluiceAPI

/// Validates a connector config the way `AbstractHerder.validateConnectorConfig` does: common keys, the connector's
/// own keys, converters, and each transform and predicate with its prefixed keys. Pure: no connector is started.
struct ConnectorValidator: Sendable {
    let registry: PluginRegistry

    func validate(pluginClass: String?, _ config: [String: String]) throws -> ConfigInfos {
        guard let cls = config["connector.class"], !cls.trimmedWS.isEmpty else {
            throw RestError.badRequest("Connector config \(ConnectorValidator.render(config)) contains no connector type")
        }
        let d: PluginDescriptor
        guard let found = registry.find(cls), found.type == .source || found.type == .sink else {
            // Kafka's text and status (500); its list names the connectors installed.
            let list = registry.plugins.filter { $0.type == .source || $0.type == .sink }.sorted { $0.className < $1.className }.map {
                "PluginDesc{klass=class \($0.className), name='\($0.className)', version='\($0.version)', encodedVersion=\($0.version), type=\($0.type.rawValue), typeName='\($0.type.rawValue)', location='classpath'}"
            }
            throw RestError(500, "Failed to find any class that implements Connector and which name matches \(cls), available connectors are: \(list.joined(separator: ", "))")
        }
        d = found
        if let pluginClass {
            let strip = { (s: String) -> String in s.hasSuffix("Connector") ? String(s.dropLast("Connector".count)) : s }
            let simple = String(d.className.split(separator: ".").last ?? "")
            if !(strip(d.className).hasSuffix(strip(pluginClass)) || strip(simple) == strip(pluginClass) || d.className == pluginClass) {
                throw RestError.badRequest("Connector class name \(cls) does not match plugin name \(pluginClass) in URL")
            }
        }
        let common = ConnectorConfig.definition(for: d.type)
        var configs: [(key: ConfigKey?, info: ConfigValueInfo)] = []
        for info in common.validate(config) { configs.append((common.key(info.name), info)) }

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

        for (key, types) in [("key.converter", Set<PluginType>([.converter])), ("value.converter", [.converter]), ("header.converter", [.headerConverter, .converter])] {
            if let c = config[key], !c.isEmpty, registry.find(c) == nil || !types.contains(registry.find(c)!.type),
               let i = configs.firstIndex(where: { $0.info.name == key }) {
                configs[i].info.errors.append("Class \(c) could not be found or is not a \(types.contains(.headerConverter) ? "HeaderConverter" : "Converter").")
            }
        }
        configs += validatePlugins(config, listKey: "transforms", kind: .transformation)
        configs += validatePlugins(config, listKey: "predicates", kind: .predicate)
        if let aliases = config["transforms"] {
            let preds = Set(TransformationChain.list(config["predicates"]))
            for alias in TransformationChain.list(aliases) {
                if let p = config["transforms.\(alias).predicate"], !p.isEmpty, !preds.contains(p) {
                    var info = ConfigValueInfo(name: "transforms.\(alias).predicate", value: p, parsed: .null, errors: [], recommendedValues: [])
                    info.errors.append("Invalid value \(p) for configuration transforms.\(alias).predicate: predicate \(p) is not listed in `predicates`")
                    configs.append((nil, info))
                }
            }
        }
        var groups: [String] = []
        for c in configs { if let g = c.key?.group, !groups.contains(g) { groups.append(g) } }
        let errorCount = configs.reduce(0) { $0 + ($1.info.errors.isEmpty ? 0 : 1) }
        return ConfigInfos(name: d.className, errorCount: errorCount, groups: groups, configs: configs)
    }

    /// Validates `transforms.<alias>.*` or `predicates.<alias>.*` against each plugin's definition.
    func validatePlugins(_ config: [String: String], listKey: String, kind: PluginType) -> [(key: ConfigKey?, info: ConfigValueInfo)] {
        var out: [(key: ConfigKey?, info: ConfigValueInfo)] = []
        for alias in TransformationChain.list(config[listKey]) {
            let typeKey = "\(listKey).\(alias).type"
            var typeInfo = ConfigValueInfo(name: typeKey, value: config[typeKey], parsed: .null, errors: [], recommendedValues: registry.ofType(kind).map(\.className))
            let typeDef = ConfigKey(typeKey, .className, default: .required, importance: .high, doc: "Class for the '\(alias)' \(kind.rawValue).", group: "\(listKey == "transforms" ? "Transforms" : "Predicates"): \(alias)", orderInGroup: 0)
            guard let cls = config[typeKey], !cls.isEmpty else {
                typeInfo.errors.append("Missing required configuration \"\(typeKey)\" which has no default value.")
                out.append((typeDef, typeInfo))
                continue
            }
            guard let d = registry.find(cls), d.type == kind else {
                typeInfo.errors.append("Invalid value \(cls) for configuration \(typeKey): Class \(cls) could not be found.")
                out.append((typeDef, typeInfo))
                continue
            }
            out.append((typeDef, typeInfo))
            let prefix = "\(listKey).\(alias)."
            var props = TransformationChain.prefixed(config, prefix)
            props.removeValue(forKey: "type")
            props.removeValue(forKey: "predicate")
            props.removeValue(forKey: "negate")
            for info in d.configDef.validate(props) {
                var i = info
                i.name = prefix + info.name
                out.append((d.configDef.key(info.name).map { ConnectorValidator.prefixedKey($0, prefix, alias, listKey) }, i))
            }
            // Instantiating catches what the definition cannot express (bad regex, bad spec syntax).
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

    static func prefixedKey(_ k: ConfigKey, _ prefix: String, _ alias: String, _ listKey: String) -> ConfigKey {
        ConfigKey(prefix + k.name, k.type, default: k.defaultValue, validator: k.validator, importance: k.importance,
                  doc: k.documentation, group: "\(listKey == "transforms" ? "Transforms" : "Predicates"): \(alias)",
                  orderInGroup: k.orderInGroup, width: k.width, displayName: k.displayName)
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
