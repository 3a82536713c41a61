import Hummingbird
import SluiceAPI

/// `/connector-plugins`: what is installed, each plugin's config definition, and config validation.
struct PluginRoutes<Context: RequestContext>: Sendable {
    let herder: any Herder
    let bodyLimit: Int

    func register(on router: Router<Context>) {
        let g = router.group("connector-plugins")
        g.get { req, _ in
            let connectorsOnly = req.uri.queryParameters.get("connectorsOnly")?.lowercased() != "false"
            // Kafka's order: sinks, sources, transformations, predicates, converters, header converters.
            let order: [PluginType] = [.sink, .source, .transformation, .predicate, .converter, .headerConverter]
            // Every Sluice converter also converts headers (as Kafka's JsonConverter, StringConverter, ... do), and
            // Kafka lists such a class twice: once as `converter`, once as `header_converter`.
            let listed: [(type: PluginType, plugin: PluginDescriptor)] = herder.registry.plugins
                .filter { !connectorsOnly || $0.type == .source || $0.type == .sink }
                .flatMap { p in p.type == .converter ? [(.converter, p), (.headerConverter, p)] : [(p.type, p)] }
                .sorted { (order.firstIndex(of: $0.type)!, $0.plugin.className) < (order.firstIndex(of: $1.type)!, $1.plugin.className) }
            return JSONResponses.json(.array(listed.map {
                .object(["class": .string($0.plugin.className), "type": .string($0.type.rawValue), "version": .string($0.plugin.version)])
            }))
        }
        g.get(":plugin/config") { _, ctx in
            let name = ctx.parameters.get("plugin") ?? ""
            guard let p = herder.registry.find(name) else {
                throw RestError(404, "Unknown plugin \(name).")
            }
            // For a connector Kafka lists its own keys, then the common connector keys.
            var keys = p.configDef.keys
            if p.type == .source || p.type == .sink {
                keys += ConnectorConfig.definition(for: p.type).keys.filter { k in !keys.contains { $0.name == k.name } }
            }
            return JSONResponses.json(.array(keys.map { ConfigInfos.definitionJSON($0) }))
        }
        g.put(":plugin/config/validate") { req, ctx in
            let plugin = ctx.parameters.get("plugin") ?? ""
            let config = try JSONResponses.configMap(try await JSONResponses.body(req, limit: bodyLimit), what: "The connector config")
            let infos = try await herder.validate(plugin, config)
            return JSONResponses.json(infos.json)
        }
    }
}
