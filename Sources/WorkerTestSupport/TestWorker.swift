import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Plugins
import Runtime
import ServiceLifecycle
import SluiceAPI
import TestSupport

/// A real standalone worker in this process: embedded Kafka, file offsets in a temp dir, REST on a free port.
/// Tests talk to it only over HTTP, like a user with curl.
public final class TestWorker: @unchecked Sendable {
    public let dir: TemporaryDirectory
    public let worker: StandaloneWorker
    public let group: ServiceGroup
    let runTask: Task<Void, any Error>
    public var base: String { "http://127.0.0.1:\(worker.port)" }
    public var bootstrap: String { worker.bootstrapServers }

    public init(extra: [String: String] = [:], plugins: [PluginDescriptor] = BuiltinPlugins.all, dir: TemporaryDirectory? = nil) async throws {
        self.dir = try dir ?? TemporaryDirectory(prefix: "sluice-worker")
        var props = [
            "bootstrap.servers": "embedded",
            "key.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "offset.storage.file.filename": self.dir.file("connect.offsets"),
            "offset.flush.interval.ms": "500",
            "listeners": "http://127.0.0.1:0",
            "task.restart.backoff.initial.ms": "200",
            "task.shutdown.graceful.timeout.ms": "3000",
        ]
        props.merge(extra) { $1 }
        var logger = Logger(label: "sluice.test")
        logger.logLevel = .warning
        worker = try StandaloneWorker(workerProps: props, connectorConfigs: [], plugins: plugins, logger: logger)
        group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: logger))
        let g = group
        runTask = Task { try await g.run() }
        try await waitUntil(timeout: 20) { (try? await self.get("/health").status) == 200 }
    }

    public func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = try? await runTask.value
    }

    public struct Reply {
        public var status: Int
        public var body: JSONValue?
        public var raw: String
        public var headers: [String: String]
    }

    public func request(_ method: String, _ path: String, body: String? = nil) async throws -> Reply {
        var req = URLRequest(url: URL(string: base + path)!)
        req.httpMethod = method
        req.timeoutInterval = 60
        if let body {
            req.httpBody = Data(body.utf8)
            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, resp) = try await URLSession.shared.data(for: req)
        let http = resp as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        let text = String(decoding: data, as: UTF8.self)
        return Reply(status: http.statusCode, body: data.isEmpty ? nil : try? JSONReader.parse([UInt8](data)), raw: text, headers: headers)
    }

    public func get(_ path: String) async throws -> Reply { try await request("GET", path) }
    public func post(_ path: String, _ body: String? = nil) async throws -> Reply { try await request("POST", path, body: body) }
    public func put(_ path: String, _ body: String? = nil) async throws -> Reply { try await request("PUT", path, body: body) }
    public func delete(_ path: String) async throws -> Reply { try await request("DELETE", path) }
    public func patch(_ path: String, _ body: String) async throws -> Reply { try await request("PATCH", path, body: body) }

    /// Creates a connector from a JSON config object and returns the reply.
    @discardableResult
    public func create(_ name: String, _ config: [String: String]) async throws -> Reply {
        try await post("/connectors", JSONValue.object(["name": .string(name), "config": .stringMap(config)]).compactString)
    }

    /// Waits until `connector` has written to `topic` (KIP-558 active topics), i.e. its source created the topic.
    ///
    /// Call it before a sink subscribes to or a reader looks up a topic that a source creates with explicit settings
    /// (`topic.creation.*`): otherwise the embedded broker may auto-create the topic first, with its default of 4
    /// partitions, and records lose their order.
    public func waitForActiveTopic(_ connector: String, _ topic: String, timeout: Double = 20) async throws {
        try await waitUntil(timeout: timeout, "\(connector) wrote to \(topic)") {
            let active = try? await self.get("/connectors/\(connector)/topics")
            return active?.body?[connector]?["topics"]?.arrayValue?.contains(.string(topic)) == true
        }
    }

    /// Waits until connector and all its tasks report `state` (and at least `tasks` tasks exist).
    public func waitForState(_ name: String, _ state: String, tasks: Int = 1, timeout: Double = 20) async throws {
        try await waitUntil(timeout: timeout) {
            guard let s = try? await self.get("/connectors/\(name)/status").body else { return false }
            let ts = s["tasks"]?.arrayValue ?? []
            return s["connector"]?["state"]?.stringValue == state && ts.count >= tasks
                && ts.allSatisfy { $0["state"]?.stringValue == state }
        }
    }
}

public struct TimeoutError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// Polls `condition` until true or the timeout passes (then throws).
public func waitUntil(timeout: Double, _ what: String = "condition", _ condition: @escaping () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw TimeoutError(description: "timed out after \(timeout) s waiting for \(what)")
}
