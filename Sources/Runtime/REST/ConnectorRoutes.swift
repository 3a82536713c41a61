import Logging
import Foundation
import Hummingbird
import SluiceAPI

/// `/connectors/...`: create, read, update, delete, status, tasks, lifecycle, offsets and topics.
///
/// Answers match Kafka Connect 3.9's byte for byte where it is not broken (see COMPATIBILITY.md): its texts for an
/// unknown connector differ per endpoint, and some endpoints answer 500 for one — scripts test the status class,
/// so Sluice keeps it while saying what is wrong.
struct ConnectorRoutes<Context: RequestContext>: Sendable {
    let herder: any Herder
    let bodyLimit: Int

    func register(on router: Router<Context>) {
        let g = router.group("connectors")
        g.get { req, _ in try await list(req) }
        g.post { req, ctx in try await create(req, ctx) }
        g.get(":name") { _, ctx in JSONResponses.json(try await herder.connectorInfo(name(ctx)).json) }
        g.delete(":name") { _, ctx in try await herder.deleteConnector(name(ctx)); return JSONResponses.empty(.noContent) }
        g.get(":name/config") { _, ctx in JSONResponses.json(try await herder.connectorInfo(name(ctx)).configJSON) }
        g.put(":name/config") { req, ctx in try await putConfig(req, ctx) }
        g.patch(":name/config") { req, ctx in try await patchConfig(req, ctx) }
        g.get(":name/status") { _, ctx in
            let n = try name(ctx)
            return JSONResponses.json(try await renamingNotFound("No status found for connector \(n)") { try await herder.connectorStatus(n) }.json)
        }
        g.get(":name/tasks") { _, ctx in
            JSONResponses.json(.array(try await taskConfigs(name(ctx)).map { .object(["id": $0.0.json, "config": $0.1]) }))
        }
        g.get(":name/tasks-config") { _, ctx in
            let n = try name(ctx)
            let tasks = try await taskConfigs(n)
            // Kafka: a connector without task configs (STOPPED) is "not found" here.
            if tasks.isEmpty { throw RestError.notFound(connector: n) }
            return JSONResponses.json(.object(JSONObject(tasks.map { ($0.0.description, $0.1) })))
        }
        g.get(":name/tasks/:task/status") { _, ctx in
            let id = try taskId(ctx)
            let s = try await renamingNotFound("No status found for task \(id)", any404: true) { try await herder.taskStatus(id) }
            return JSONResponses.json(s.json(taskId: id.task))
        }
        g.post(":name/tasks/:task/restart") { _, ctx in
            let id = try taskId(ctx)
            // Kafka: 500 "...not a recognizable type" for an unknown connector, 404 "Task c-n not found" for a task.
            try await renamingNotFound("Failed to start task \(id) since it is not a recognizable type (source or sink)", status: 500) {
                do { try await herder.restartTask(id) } catch let e as RestError where e.status == 404 && !Self.isUnknownConnector(e) {
                    throw RestError(404, "Task \(id) not found")
                }
            }
            return JSONResponses.empty(.noContent)
        }
        g.post(":name/restart") { req, ctx in
            let n = try name(ctx)
            let q = req.uri.queryParameters
            let includeTasks = q.get("includeTasks")?.lowercased() == "true"
            let onlyFailed = q.get("onlyFailed")?.lowercased() == "true"
            // Kafka 3.9 answers 500 with a NullPointerException text here; the class stays, the text says why.
            let state = try await renamingNotFound("Connector \(n) not found", status: 500) {
                try await herder.restartConnector(n, includeTasks: includeTasks, onlyFailed: onlyFailed)
            }
            if let state { return JSONResponses.json(state.json, status: .accepted) }
            return JSONResponses.empty(.noContent)
        }
        g.put(":name/pause") { _, ctx in
            let n = try name(ctx)
            try await renamingNotFound("Unknown connector \(n)") { try await herder.setTargetState(n, .paused) }
            return JSONResponses.empty(.accepted)
        }
        g.put(":name/resume") { _, ctx in
            let n = try name(ctx)
            try await renamingNotFound("Unknown connector \(n)") { try await herder.setTargetState(n, .started) }
            return JSONResponses.empty(.accepted)
        }
        g.put(":name/stop") { _, ctx in
            let n = try name(ctx)
            try await renamingNotFound("No connector `\(n)` configured", status: 500) { try await herder.setTargetState(n, .stopped) }
            return JSONResponses.empty(.noContent)
        }
        g.get(":name/offsets") { _, ctx in
            let offsets = try await herder.offsets(name(ctx))
            return JSONResponses.json(.object(["offsets": .array(offsets.map { .object(["partition": $0.partition, "offset": $0.offset]) })]))
        }
        g.patch(":name/offsets") { req, ctx in
            let body = try await JSONResponses.body(req, limit: bodyLimit)
            guard let list = body["offsets"]?.arrayValue, !list.isEmpty else {
                throw RestError.badRequest("Partitions / offsets need to be provided for an alter offsets request")
            }
            let parsed: [(partition: JSONValue, offset: JSONValue?)] = try list.map { item in
                guard let p = item["partition"], p.objectValue != nil else { throw RestError.badRequest("Each offset entry needs a \"partition\" object") }
                let o = item["offset"]
                return (p, (o == nil || o!.isNull) ? nil : o)
            }
            try await herder.alterOffsets(name(ctx), parsed)
            return JSONResponses.json(.object(["message": .string("The offsets for this connector have been altered successfully")]))
        }
        g.delete(":name/offsets") { _, ctx in
            try await herder.alterOffsets(name(ctx), nil)
            return JSONResponses.json(.object(["message": .string("The offsets for this connector have been reset successfully")]))
        }
        // Kafka tracks active topics by name, whether or not the connector exists.
        g.get(":name/topics") { _, ctx in
            let n = try name(ctx)
            var topics: [String] = []
            do { topics = try await herder.activeTopics(n) } catch let e as RestError where Self.isUnknownConnector(e) {}
            return JSONResponses.json(.object(JSONObject([(n, .object(["topics": .array(topics.map { .string($0) })]))])))
        }
        g.put(":name/topics/reset") { _, ctx in
            do { try await herder.resetTopics(name(ctx)) } catch let e as RestError where Self.isUnknownConnector(e) {}
            return JSONResponses.empty(.accepted)
        }
    }

    static func isUnknownConnector(_ e: RestError) -> Bool {
        e.status == 404 && e.message.hasPrefix("Connector ") && e.message.hasSuffix(" not found")
    }

    /// Runs `body`, giving an unknown-connector error the endpoint's own Kafka text (and status).
    func renamingNotFound<T>(_ message: String, status: Int = 404, any404: Bool = false, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as RestError where Self.isUnknownConnector(e) || (any404 && e.status == 404) {
            throw RestError(status, message)
        }
    }

    /// Each task's config as Kafka shows it: with `task.class`, keys in Java HashMap order (Kafka copies task
    /// configs into a HashMap).
    func taskConfigs(_ n: String) async throws -> [(ConnectorTaskId, JSONValue)] {
        let info = try await herder.connectorInfo(n)
        let tasks = try await herder.taskConfigs(n)
        let taskClass = info.config["connector.class"].flatMap { herder.registry.find($0) }.map { Self.taskClassName($0.className) }
        return tasks.map { id, config in
            var config = config
            if let taskClass, config["task.class"] == nil { config["task.class"] = taskClass }
            let inserted = info.keyOrder.filter { config[$0] != nil } + config.keys.filter { !info.keyOrder.contains($0) && $0 != "task.class" }.sorted() + ["task.class"]
            return (id, ConfigOrder.json(config, JavaHashMapOrder.order(inserted.filter { config[$0] != nil })))
        }
    }

    /// The Java task class of a connector class, as its `taskClass()` names it (`...SourceConnector` → `...SourceTask`;
    /// Debezium's `PostgresConnector` → `PostgresConnectorTask`).
    static func taskClassName(_ connector: String) -> String {
        if connector.hasPrefix("io.debezium.") { return connector + "Task" }
        return connector.hasSuffix("Connector") ? String(connector.dropLast("Connector".count)) + "Task" : connector + "Task"
    }

    func name(_ ctx: Context) throws -> String {
        guard let raw = ctx.parameters.get("name") else { throw RestError(404, "HTTP 404 Not Found", routing: true) }
        return raw.removingPercentEncoding ?? raw
    }

    /// A task number that is not an integer does not match Kafka's resource: a routing 404.
    func taskId(_ ctx: Context) throws -> ConnectorTaskId {
        guard let t = ctx.parameters.get("task"), let n = Int(t) else { throw RestError(404, "HTTP 404 Not Found", routing: true) }
        // Task numbers are 0...Int32.max (the distributed stores keep them as int32): anything else names no task.
        guard n >= 0, n <= Int(Int32.max) else { throw RestError(404, "Task \(try name(ctx))-\(t) not found") }
        return ConnectorTaskId(try name(ctx), n)
    }

    func list(_ req: Request) async throws -> Response {
        let values = req.uri.queryParameters.getAll("expand")
        var expand: [String] = []
        for v in values.map({ $0.lowercased() }) where !expand.contains(v) { expand.append(v) }
        let names = await herder.connectors()
        if values.isEmpty {
            return JSONResponses.json(.array(names.map { .string($0) }))
        }
        // Kafka lists the expansions in the order asked; an unknown one gives {}.
        var out = JSONObject()
        for n in names {
            var entry = JSONObject()
            for e in expand {
                if e == "info", let i = try? await herder.connectorInfo(n) { entry["info"] = i.json }
                if e == "status", let s = try? await herder.connectorStatus(n) { entry["status"] = s.json }
            }
            out[n] = .object(entry)
        }
        return JSONResponses.json(.object(out))
    }

    /// Kafka's Location is absolute, built from the request's Host.
    func location(_ req: Request, _ name: String) -> String {
        let host = req.head.authority ?? "localhost"
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/")
        return "http://\(host)/connectors/" + (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)
    }

    func create(_ req: Request, _ ctx: Context) async throws -> Response {
        let body = try await JSONResponses.body(req, limit: bodyLimit)
        guard body.objectValue != nil else {
            throw RestError(500, "Cannot deserialize the request body as a CreateConnectorRequest: expected a JSON object with \"name\" and \"config\"")
        }
        guard body["config"]?.objectValue != nil else {
            throw RestError(500, "The request body has no \"config\" object")
        }
        var config = try JSONResponses.configMap(body["config"], what: "\"config\"")
        var order = JSONResponses.configOrder(body["config"])
        let name = body["name"]?.stringValue ?? ""
        if let cn = config["name"], cn != name {
            throw RestError.badRequest("Connector name configuration (\(cn)) doesn't match connector name in the URL (\(name))")
        }
        if config["name"] == nil { order.append("name") }
        config["name"] = name
        guard !name.trimmedWS.isEmpty else {
            throw RestError.badRequest("Connector configuration is invalid and contains the following 1 error(s):\nInvalid value  for configuration name: String may not be empty\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`")
        }
        var initial: TargetState?
        if let s = body["initial_state"]?.stringValue {
            guard let t = TargetState(restName: s) else {
                // Kafka: 500 (Jackson cannot map the enum); the class stays, the text says what is accepted.
                throw RestError(500, "Invalid initial_state \(s): expected RUNNING, PAUSED or STOPPED")
            }
            initial = t
        }
        let result = try await herder.putConnectorConfig(name, config, keyOrder: order, allowReplace: false, initialState: initial)
        return JSONResponses.json(result.info.json, status: .created, headers: [.location: location(req, name)])
    }

    func putConfig(_ req: Request, _ ctx: Context) async throws -> Response {
        let n = try name(ctx)
        let body = try await JSONResponses.body(req, limit: bodyLimit)
        var config = try JSONResponses.configMap(body, what: "The connector config")
        var order = JSONResponses.configOrder(body)
        if let cn = config["name"], cn != n {
            throw RestError.badRequest("Connector name configuration (\(cn)) doesn't match connector name in the URL (\(n))")
        }
        if config["name"] == nil { order.append("name") }
        config["name"] = n
        let result = try await herder.putConnectorConfig(n, config, keyOrder: order, allowReplace: true, initialState: nil)
        if result.created {
            return JSONResponses.json(result.info.json, status: .created, headers: [.location: location(req, n)])
        }
        return JSONResponses.json(result.info.json)
    }

    /// Kafka patches a HashMap copy of the config, so the result lists keys in HashMap order.
    func patchConfig(_ req: Request, _ ctx: Context) async throws -> Response {
        let n = try name(ctx)
        let body = try await JSONResponses.body(req, limit: bodyLimit)
        guard let patch = body.objectValue else { throw RestError.badRequest("The config patch must be a JSON object") }
        let existing = try await herder.connectorInfo(n)
        var config = existing.config
        let before = ConfigOrder.json(config, existing.keyOrder).objectValue?.keys ?? []
        for m in patch {
            if m.value.isNull { config.removeValue(forKey: m.key) } else if let s = m.value.configString { config[m.key] = s }
        }
        if let cn = config["name"], cn != n {
            throw RestError.badRequest("Connector name configuration (\(cn)) doesn't match connector name in the URL (\(n))")
        }
        let order = JavaHashMapOrder.order((before + patch.keys).filter { config[$0] != nil }, copiedCount: before.count)
        let result = try await herder.putConnectorConfig(n, config, keyOrder: order, allowReplace: true, initialState: nil)
        return JSONResponses.json(result.info.json)
    }
}
