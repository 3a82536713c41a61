import Foundation
import Hummingbird
import Logging
import SchemaRegistry
import TestSupport

@testable import Runtime

/// The embedded registry's real REST routes served over plain http on 127.0.0.1 (a `TLSFront` goes in front for
/// https), optionally behind the worker's basic-auth filter, with its own in-memory state: nothing is published for
/// `schema.registry.url=embedded`, so suites running beside this one are not disturbed.
final class RegistryServer: @unchecked Sendable {
    let port: Int
    let service: SchemaRegistryService
    private let task: Task<Void, any Error>

    /// Starts serving; `users` (name → password) turns basic auth on. Returns once the port accepts connections.
    init(users: [String: String] = [:]) async throws {
        let port = TestSupport.freePort()
        self.port = port
        service = try SchemaRegistryService(log: MemoryRegistryLog())
        let router = Router(context: BasicRequestContext.self)
        if !users.isEmpty {
            router.add(middleware: BasicAuthMiddleware(authenticator: BasicAuthenticator(users: users.mapValues { Array($0.utf8) })))
        }
        SchemaRegistryRoutes<BasicRequestContext>(registry: service).register(on: router)
        var logger = Logger(label: "test.schema-registry")
        logger.logLevel = .critical  // stopping by cancellation logs "errors" that are not
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
                              logger: logger)
        task = Task { try await app.runService() }
        let deadline = Date().addingTimeInterval(30)
        while !TestSupport.canConnect(port) {
            guard Date() < deadline else {
                task.cancel()
                throw TestSupportError("the test registry did not listen on \(port)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    deinit { task.cancel() }
}

/// Runs blocking converter calls on a plain thread, so they never hold one of the cooperative pool's few threads
/// while the registry (served from that pool) answers them.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
        Thread { c.resume(with: Result { try body() }) }.start()
    }
}
