import Hummingbird
import SluiceAPI

/// `/`, `/health`, `/metrics` and `/admin/loggers`.
struct AdminRoutes<Context: RequestContext>: Sendable {
    let herder: any Herder
    let metrics: WorkerMetrics
    let clusterId: @Sendable () -> String
    let bodyLimit: Int

    func register(on router: Router<Context>) {
        router.get("/") { _, _ in
            JSONResponses.json(.object([
                "version": .string(SluiceVersion.kafkaCompatible),
                "commit": .string(SluiceVersion.commit),
                "kafka_cluster_id": .string(clusterId()),
            ]))
        }
        router.get("health") { _, _ in
            if herder.isReady {
                return JSONResponses.json(.object(["status": .string("healthy"), "message": .string("Worker has completed startup and is ready to handle requests.")]))
            }
            return JSONResponses.json(.object(["status": .string("starting"), "message": .string("Worker is still starting up.")]), status: .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: .init(bytes: metrics.render())))
        }
        router.get("admin/loggers") { _, _ in
            JSONResponses.json(.object(JSONObject(LogLevels.shared.all().map { ($0.name, AdminRoutes.levelJSON($0.level, $0.modified)) })))
        }
        // Kafka answers for loggers log4j knows; Sluice knows `root` and the loggers set through this API.
        router.get("admin/loggers/:logger") { _, ctx in
            let name = ctx.parameters.get("logger") ?? "root"
            guard let l = LogLevels.shared.explicit(name) else { throw RestError(404, "Logger \(name) not found.") }
            return JSONResponses.json(AdminRoutes.levelJSON(l.level, l.modified))
        }
        router.put("admin/loggers/:logger") { req, ctx in
            let name = ctx.parameters.get("logger") ?? "root"
            let body = try await JSONResponses.body(req, limit: bodyLimit)
            guard let level = body["level"]?.stringValue else {
                throw RestError.badRequest("Desired 'level' parameter was not specified in request.")
            }
            // Kafka 3.9 answers 404 for an unknown level.
            guard let l = LogLevels.parse(level) else { throw RestError(404, "invalid log level '\(level)'.") }
            let affected = LogLevels.shared.set(name, l)
            // Kafka ignores an unknown scope (worker scope); cluster scope answers 204 without the affected list.
            if req.uri.queryParameters.get("scope")?.lowercased() == "cluster" { return JSONResponses.empty(.noContent) }
            return JSONResponses.json(.array(affected.map { .string($0) }))
        }
    }

    static func levelJSON(_ l: Logger.Level, _ modified: Int64?) -> JSONValue {
        .object(["level": .string(LogLevels.javaName(l)), "last_modified": modified.map { .int($0) } ?? .null])
    }
}

import Logging
