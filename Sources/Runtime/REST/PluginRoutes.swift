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
            let order: [PluginType] = [.sink, .source, .converter, .headerConverter, .transformation, .predicate]
            let plugins = herder.registry.plugins
                .filter { !connectorsOnly || $0.type == .source || $0.type == .sink }
                .sorted { (order.firstIndex(of: $0.type)!, $0.className) < (order.firstIndex(of: $1.type)!, $1.className) }
            return JSONResponses.json(.array(plugins.map {
                .object(["class": .string($0.className), "type": .string($0.type.rawValue), "version": .string($0.version)])
            }))
        }
        g.get(":plugin/config") { _, ctx in
            let name = ctx.parameters.get("plugin") ?? ""
            guard let p = herder.registry.find(name) else {
                throw RestError(404, "Unknown plugin \(name).")
            }
            return JSONResponses.json(.array(p.configDef.keys.map { ConfigInfos.definitionJSON($0) }))
        }
        g.put(":plugin/config/validate") { req, ctx in
            let plugin = ctx.parameters.get("plugin") ?? ""
            let config = try JSONResponses.configMap(try await JSONResponses.body(req, limit: bodyLimit), what: "The connector config")
            let infos = try await herder.validate(plugin, config)
            return JSONResponses.json(infos.json)
        }
    }
}
