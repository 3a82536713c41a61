import Hummingbird
import Logging
import SluiceAPI

/// Builds the Kafka Connect REST API on Hummingbird.
public enum RestServer {
    /// The router with every route; tests drive it without sockets through HummingbirdTesting.
    /// `adminOnly`: nil serves every path; true only `/admin/...` (KIP-495's admin listener); false all but those.
    public static func router(herder: any Herder, metrics: WorkerMetrics, clusterId: @escaping @Sendable () -> String,
                              bodyLimit: Int = 10 << 20, logger: Logger,
                              authenticator: BasicAuthenticator? = nil, adminOnly: Bool? = nil) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        if let authenticator { router.add(middleware: BasicAuthMiddleware(authenticator: authenticator)) }
        router.add(middleware: RestErrorMiddleware(logger: logger))
        if let adminOnly { router.add(middleware: AdminGate(adminOnly: adminOnly)) }
        AdminRoutes(herder: herder, metrics: metrics, clusterId: clusterId, bodyLimit: bodyLimit).register(on: router)
        ConnectorRoutes(herder: herder, bodyLimit: bodyLimit).register(on: router)
        PluginRoutes(herder: herder, bodyLimit: bodyLimit).register(on: router)
        ConsoleRoutes().register(on: router)
        return router
    }
}
