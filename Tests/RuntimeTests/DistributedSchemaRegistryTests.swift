import Foundation
import Kafka
import SchemaRegistry
import SluiceAPI
import Synchronization
import Testing
import TestSupport
import WorkerTestSupport

/// Two `sluice distributed` workers, each serving the embedded Schema Registry, on one `sluice kafka-embedded`: both
/// keep the registry in the `_schemas` topic, so registrations through either get one id per schema, and a restarted
/// worker answers with the same ids.
@Suite(.serialized) struct DistributedSchemaRegistryTests {
    static func call(_ port: Int, _ method: String, _ path: String, _ body: String? = nil) throws -> (Int, String) {
        let r = try BlockingHTTPClient.send(
            method: method, url: "http://127.0.0.1:\(port)\(path)",
            headers: body == nil ? [] : [("Content-Type", "application/vnd.schemaregistry.v1+json")],
            body: body.map { Array($0.utf8) }, timeoutMs: 30_000)
        return (r.status, String(decoding: r.body, as: UTF8.self))
    }

    static func schemaBody(_ i: Int) -> String {
        JSONValue.object(["schema": .string(#"{"type":"record","name":"R\#(i)","fields":[{"name":"a","type":"int"}]}"#)]).compactString
    }

    @Test(.timeLimit(.minutes(3))) func workersShareOneRegistry() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-dist-sr")
        let (broker, bootstrap) = try ProcessHarness.startBroker()
        var workers: [Int: Process] = [:]
        defer {
            for p in workers.values where p.isRunning { p.terminate(); p.waitUntilExit() }
            broker.terminate()
            broker.waitUntilExit()
        }
        let registryPorts = [1: TestSupport.freePort(), 2: TestSupport.freePort()]
        func start(_ i: Int) throws {
            let props = dir.file("w\(i).properties")
            try ProcessHarness.distributedWorkerProperties(
                bootstrap: bootstrap, group: "sluice-sr-cluster", port: TestSupport.freePort(), sessionTimeoutMs: 6000,
                extra: ["schema.registry.listeners=http://127.0.0.1:\(registryPorts[i]!)", "schema.compatibility.level=NONE"]
            ).write(toFile: props, atomically: true, encoding: .utf8)
            workers[i] = try ProcessHarness.startDistributedWorker(props, log: dir.file("w\(i).log"))
        }
        for i in 1...2 { try start(i) }
        for i in 1...2 {
            try await waitUntil(timeout: 60, "registry of worker \(i) up") { (try? Self.call(registryPorts[i]!, "GET", "/"))?.0 == 200 }
        }
        // 16 registrations at once, alternating workers: 4 schemas, each under two subjects.
        let answers = Mutex<[(schema: Int, body: String)]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { n in
            let port = registryPorts[n % 2 + 1]!, schema = (n / 2) % 4
            let r = try? Self.call(port, "POST", "/subjects/s\(n % 3)-value/versions", Self.schemaBody(schema))
            answers.withLock { $0.append((schema, r.map { "\($0.0) \($0.1)" } ?? "no answer")) }
        }
        var idOf: [Int: String] = [:]
        for a in answers.withLock({ $0 }) {
            #expect(a.body.hasPrefix("200 {\"id\":"), "\(a.body)")
            if let known = idOf[a.schema] { #expect(known == a.body, "schema \(a.schema): \(known) vs \(a.body)") } else { idOf[a.schema] = a.body }
        }
        #expect(Set(idOf.values).count == 4)
        // Both workers list the same subjects and versions.
        let subjects1 = try Self.call(registryPorts[1]!, "GET", "/subjects").1
        #expect(subjects1 == #"["s0-value","s1-value","s2-value"]"#)
        #expect(try Self.call(registryPorts[2]!, "GET", "/subjects").1 == subjects1)
        for s in 0..<3 {
            #expect(try Self.call(registryPorts[1]!, "GET", "/subjects/s\(s)-value/versions").1 == (try Self.call(registryPorts[2]!, "GET", "/subjects/s\(s)-value/versions").1))
        }
        // Restart worker 1: it replays the topic and answers with the same ids.
        workers[1]?.terminate()
        workers[1]?.waitUntilExit()
        try start(1)
        try await waitUntil(timeout: 60, "registry of worker 1 back") { (try? Self.call(registryPorts[1]!, "GET", "/"))?.0 == 200 }
        for (schema, body) in idOf {
            let again = try Self.call(registryPorts[1]!, "POST", "/subjects/s0-value/versions", Self.schemaBody(schema))
            #expect("\(again.0) \(again.1)" == body)
        }
        #expect(try Self.call(registryPorts[1]!, "GET", "/subjects").1 == subjects1)
        // The state is in the `_schemas` topic, in Confluent's records.
        let records = try TopicReader.read(bootstrapServers: bootstrap, topic: "_schemas", count: 10_000, timeoutMs: 3_000)
        let keys = Set(records.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } })
        #expect(keys.contains(#"{"keytype":"SCHEMA","subject":"s0-value","version":1,"magic":1}"#))
    }
}
