import Foundation
import Hummingbird
import SluiceAPI

/// `/connectors/...`: create, read, update, delete, status, tasks, lifecycle, offsets and topics.
struct ConnectorRoutes<Context: RequestContext>: Sendable {
    let herder: any Herder
    let bodyLimit: Int

    func register(on router: Router<Context>) {
        let g = router.group("connectors")
        g.get { req, _ in try await list(req) }
        g.post { req, _ in try await create(req) }
        g.get(":name") { _, ctx in JSONResponses.json(try await herder.connectorInfo(name(ctx)).json) }
        g.delete(":name") { _, ctx in try await herder.deleteConnector(name(ctx)); return JSONResponses.empty(.noContent) }
        g.get(":name/config") { _, ctx in JSONResponses.json(.stringMap(try await herder.connectorConfig(name(ctx)))) }
        g.put(":name/config") { req, ctx in try await putConfig(req, ctx) }
        g.patch(":name/config") { req, ctx in try await patchConfig(req, ctx) }
        g.get(":name/status") { _, ctx in JSONResponses.json(try await herder.connectorStatus(name(ctx)).json) }
        g.get(":name/tasks") { _, ctx in
            let tasks = try await herder.taskConfigs(name(ctx))
            return JSONResponses.json(.array(tasks.map { .object(["id": $0.0.json, "config": .stringMap($0.1)]) }))
        }
        g.get(":name/tasks/:task/status") { _, ctx in
            JSONResponses.json(try await herder.taskStatus(taskId(ctx)).json(taskId: try taskId(ctx).task))
        }
        g.post(":name/tasks/:task/restart") { _, ctx in
            try await herder.restartTask(taskId(ctx))
            return JSONResponses.empty(.noContent)
        }
        g.post(":name/restart") { req, ctx in
            let q = req.uri.queryParameters
            let includeTasks = q.get("includeTasks")?.lowercased() == "true"
            let onlyFailed = q.get("onlyFailed")?.lowercased() == "true"
            if let state = try await herder.restartConnector(name(ctx), includeTasks: includeTasks, onlyFailed: onlyFailed) {
                return JSONResponses.json(state.json, status: .accepted)
            }
            return JSONResponses.empty(.noContent)
        }
        g.put(":name/pause") { _, ctx in try await herder.setTargetState(name(ctx), .paused); return JSONResponses.empty(.accepted) }
        g.put(":name/resume") { _, ctx in try await herder.setTargetState(name(ctx), .started); return JSONResponses.empty(.accepted) }
        g.put(":name/stop") { _, ctx in try await herder.setTargetState(name(ctx), .stopped); return JSONResponses.empty(.noContent) }
        g.get(":name/offsets") { _, ctx in
            let offsets = try await herder.offsets(name(ctx))
            return JSONResponses.json(.object(["offsets": .array(offsets.map { .object(["partition": $0.partition, "offset": $0.offset]) })]))
        }
        g.patch(":name/offsets") { req, ctx in
            let body = try await JSONResponses.body(req, limit: bodyLimit)
            guard let list = body["offsets"]?.arrayValue else {
                throw RestError.badRequest("Request body must be {\"offsets\":[{\"partition\":{...},\"offset\":{...}}]}")
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
        g.get(":name/topics") { _, ctx in
            let n = try name(ctx)
            let topics = try await herder.activeTopics(n)
            return JSONResponses.json(.object(JSONObject([(n, .object(["topics": .array(topics.map { .string($0) })]))])))
        }
        g.put(":name/topics/reset") { _, ctx in try await herder.resetTopics(name(ctx)); return JSONResponses.empty(.accepted) }
    }

    func name(_ ctx: Context) throws -> String {
        guard let raw = ctx.parameters.get("name") else { throw RestError(404, "HTTP 404 Not Found") }
        return raw.removingPercentEncoding ?? raw
    }

    func taskId(_ ctx: Context) throws -> ConnectorTaskId {
        // Task numbers are 0...Int32.max (the distributed stores keep them as int32): anything else names no task.
        guard let t = ctx.parameters.get("task"), let n = Int32(t), n >= 0 else { throw RestError(404, "Unknown task") }
        return ConnectorTaskId(try name(ctx), Int(n))
    }

    func list(_ req: Request) async throws -> Response {
        let expand = Set(req.uri.queryParameters.getAll("expand").flatMap { $0.split(separator: ",").map { String($0).lowercased() } })
        let names = await herder.connectors()
        if !expand.contains("status") && !expand.contains("info") {
            return JSONResponses.json(.array(names.map { .string($0) }))
        }
        var out = JSONObject()
        for n in names {
            var entry = JSONObject()
            if expand.contains("status"), let s = try? await herder.connectorStatus(n) { entry["status"] = s.json }
            if expand.contains("info"), let i = try? await herder.connectorInfo(n) { entry["info"] = i.json }
            out[n] = .object(entry)
        }
        return JSONResponses.json(.object(out))
    }

    func create(_ req: Request) async throws -> Response {
        let body = try await JSONResponses.body(req, limit: bodyLimit)
        guard body.objectValue != nil else { throw RestError.badRequest("Request body must be a JSON object with \"name\" and \"config\"") }
        var config = try JSONResponses.configMap(body["config"], what: "\"config\"")
        let bodyName = body["name"]?.stringValue ?? config["name"]
        guard let name = bodyName, !name.trimmedWS.isEmpty else {
            throw RestError.badRequest("Connector name is required: give \"name\" in the request body")
        }
        if let cn = config["name"], cn != name {
            throw RestError.badRequest("Connector name configuration (\(cn)) doesn't match connector name in the URL (\(name))")
        }
        config["name"] = name
        var initial: TargetState?
        if let s = body["initial_state"]?.stringValue {
            guard let t = TargetState(restName: s) else {
                throw RestError.badRequest("Invalid initial state \(s): expected RUNNING, PAUSED or STOPPED")
            }
            initial = t
        }
        let result = try await herder.putConnectorConfig(name, config, allowReplace: false, initialState: initial)
        let location = "/connectors/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
        return JSONResponses.json(result.info.json, status: .created, headers: [.location: location])
    }

    func putConfig(_ req: Request, _ ctx: Context) async throws -> Response {
        let n = try name(ctx)
        var config = try JSONResponses.configMap(try await JSONResponses.body(req, limit: bodyLimit), what: "The connector config")
        if let cn = config["name"], cn != n {
            throw RestError.badRequest("Connector name configuration (\(cn)) doesn't match connector name in the URL (\(n))")
        }
        config["name"] = n
        let result = try await herder.putConnectorConfig(n, config, allowReplace: true, initialState: nil)
        return JSONResponses.json(result.info.json, status: result.created ? .created : .ok)
    }

    func patchConfig(_ req: Request, _ ctx: Context) async throws -> Response {
        let n = try name(ctx)
        let body = try await JSONResponses.body(req, limit: bodyLimit)
        guard let patch = body.objectValue else { throw RestError.badRequest("The config patch must be a JSON object") }
        var config = try await herder.connectorConfig(n)
        for m in patch {
            if m.value.isNull { config.removeValue(forKey: m.key) } else if let s = m.value.configString { config[m.key] = s }
        }
        if let cn = config["name"], cn != n {
            throw RestError.badRequest("Connector name configuration (\(cn)) doesn't match connector name in the URL (\(n))")
        }
        let result = try await herder.putConnectorConfig(n, config, allowReplace: true, initialState: nil)
        return JSONResponses.json(result.info.json)
    }
}
