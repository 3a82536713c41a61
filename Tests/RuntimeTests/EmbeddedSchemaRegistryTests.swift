import Foundation
import SchemaRegistry
import SluiceAPI
import Synchronization
import Testing
import TestSupport
import WorkerTestSupport

/// The worker's embedded Schema Registry over real HTTP: Confluent's REST shapes and error codes, restart (state
/// reloads from its file), and concurrent registrations of one schema getting one id.
@Suite(.serialized) struct EmbeddedSchemaRegistryTests {
    static func call(_ port: Int, _ method: String, _ path: String, _ body: String? = nil) throws -> (Int, JSONValue?, String) {
        let r = try BlockingHTTPClient.send(
            method: method, url: "http://127.0.0.1:\(port)\(path)",
            headers: body == nil ? [] : [("Content-Type", "application/vnd.schemaregistry.v1+json")],
            body: body.map { Array($0.utf8) }, timeoutMs: 30_000)  // generous: CI runs suites in parallel on 2 cores
        return (r.status, try? JSONReader.parse(r.body), String(decoding: r.body, as: UTF8.self))
    }

    static func schemaBody(_ s: String) -> String { JSONValue.object(["schema": .string(s)]).compactString }

    @Test(.timeLimit(.minutes(2))) func restApiAndRestart() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-sr")
        let port = TestSupport.freePort()
        let extra = ["schema.registry.listeners": "http://127.0.0.1:\(port)"]
        var w = try await TestWorker(extra: extra, dir: dir)
        let rec1 = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#
        let rec2 = #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}"#
        do {
            #expect(try Self.call(port, "GET", "/").2 == "{}")
            #expect(try Self.call(port, "POST", "/subjects/t-value/versions", Self.schemaBody("\"string\"")).2 == #"{"id":1}"#)
            #expect(try Self.call(port, "POST", "/subjects/t-value/versions", Self.schemaBody(#"{"type": "string"}"#)).2 == #"{"id":1}"#)
            #expect(try Self.call(port, "POST", "/subjects/r-value/versions", Self.schemaBody(rec1)).2 == #"{"id":2}"#)
            #expect(try Self.call(port, "GET", "/subjects").2 == #"["r-value","t-value"]"#)
            #expect(try Self.call(port, "GET", "/subjects/t-value/versions").2 == "[1]")
            #expect(try Self.call(port, "GET", "/subjects/t-value/versions/latest").2 == #"{"subject":"t-value","version":1,"id":1,"schema":"\"string\""}"#)
            #expect(try Self.call(port, "GET", "/schemas/ids/1").2 == #"{"schema":"\"string\""}"#)
            #expect(try Self.call(port, "POST", "/subjects/t-value", Self.schemaBody("\"string\"")).2 == #"{"subject":"t-value","version":1,"id":1,"schema":"\"string\""}"#)
            #expect(try Self.call(port, "GET", "/config").2 == #"{"compatibilityLevel":"BACKWARD"}"#)
            // Errors: shapes and codes.
            let missing = try Self.call(port, "GET", "/subjects/nope/versions")
            #expect(missing.0 == 404 && missing.1?["error_code"]?.int64Value == 40401)
            #expect(try Self.call(port, "GET", "/schemas/ids/99").1?["error_code"]?.int64Value == 40403)
            #expect(try Self.call(port, "GET", "/subjects/t-value/versions/9").1?["error_code"]?.int64Value == 40402)
            #expect(try Self.call(port, "POST", "/subjects/t-value", Self.schemaBody("\"int\"")).1?["error_code"]?.int64Value == 40403)
            let bad = try Self.call(port, "POST", "/subjects/x/versions", Self.schemaBody(#"{"type":"nope"}"#))
            #expect(bad.0 == 422 && bad.1?["error_code"]?.int64Value == 42201)
            let incompatible = try Self.call(port, "POST", "/subjects/r-value/versions", Self.schemaBody(rec2))
            #expect(incompatible.0 == 409 && incompatible.1?["error_code"]?.int64Value == 409)
            #expect(try Self.call(port, "POST", "/compatibility/subjects/r-value/versions/latest", Self.schemaBody(rec2)).2 == #"{"is_compatible":false}"#)
            #expect(try Self.call(port, "PUT", "/config/r-value", #"{"compatibility":"FORWARD"}"#).2 == #"{"compatibility":"FORWARD"}"#)
            #expect(try Self.call(port, "PUT", "/config", #"{"compatibility":"SIDEWAYS"}"#).1?["error_code"]?.int64Value == 42203)
            #expect(try Self.call(port, "POST", "/subjects/r-value/versions", Self.schemaBody(rec2)).2 == #"{"id":3}"#)

            // Two clients register one new schema at the same time: one id.
            let client = RestSchemaRegistryClient(urls: ["http://127.0.0.1:1", "http://127.0.0.1:\(port)"], userInfo: nil)
            // Plain threads, not tasks: the blocking client must not starve the server's cooperative pool.
            let ids = Mutex(Set<Int>())
            let errors = Mutex(0)
            let threads = (0..<8).map { i in
                Thread {
                    do {
                        let id = try client.register(subject: "c\(i % 2)-value", schema: "\"double\"", schemaType: "AVRO")
                        ids.withLock { _ = $0.insert(id) }
                    } catch { errors.withLock { $0 += 1 } }
                }
            }
            threads.forEach { $0.start() }
            try await waitUntil(timeout: 30, "concurrent registrations") { threads.allSatisfy(\.isFinished) }
            #expect(errors.withLock { $0 } == 0)
            #expect(ids.withLock { $0 } == [4])
        } catch {
            await w.shutdown()
            throw error
        }
        await w.shutdown()

        // Restart on the same directory: the state comes back from the file, ids keep counting.
        w = try await TestWorker(extra: extra, dir: dir)
        let after = Result { () throws -> [String] in
            [try Self.call(port, "GET", "/subjects/r-value/versions").2, try Self.call(port, "GET", "/config/r-value").2,
             try Self.call(port, "POST", "/subjects/n-value/versions", Self.schemaBody("\"float\"")).2]
        }
        await w.shutdown()
        #expect(try after.get() == ["[1,2]", #"{"compatibilityLevel":"FORWARD"}"#, #"{"id":5}"#])
    }
}
