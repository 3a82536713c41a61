import Foundation
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// The REST surface of connect-rest-api.md, driven over HTTP against a real worker.
@Suite(.serialized) struct RestApiTests {
    func fileSource(_ dir: TemporaryDirectory, topic: String) -> [String: String] {
        _ = FileManager.default.createFile(atPath: dir.file("in.txt"), contents: Data("a\nb\n".utf8))
        return ["connector.class": "org.apache.kafka.connect.file.FileStreamSourceConnector", "file": dir.file("in.txt"), "topic": topic, "tasks.max": "1"]
    }

    @Test func rootHealthAndPlugins() async throws {
        let w = try await TestWorker()
        defer { Task { await w.shutdown() } }
        let root = try await w.get("/")
        #expect(root.status == 200)
        #expect(root.body?["version"]?.stringValue != nil)
        #expect(root.body?["kafka_cluster_id"]?.stringValue != nil)
        let health = try await w.get("/health")
        #expect(health.body?["status"]?.stringValue == "healthy")
        let plugins = try await w.get("/connector-plugins")
        let classes = plugins.body?.arrayValue?.compactMap { $0["class"]?.stringValue } ?? []
        #expect(classes.contains("org.apache.kafka.connect.file.FileStreamSourceConnector"))
        #expect(!classes.contains("org.apache.kafka.connect.json.JsonConverter"))
        let all = try await w.get("/connector-plugins?connectorsOnly=false")
        let types = Set(all.body?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? [])
        #expect(types.isSuperset(of: ["source", "sink", "converter", "header_converter", "transformation", "predicate"]))
        // Like Kafka, a converter that also converts headers is listed under both roles.
        let jsonRoles = all.body?.arrayValue?.filter { $0["class"]?.stringValue == "org.apache.kafka.connect.json.JsonConverter" }
            .compactMap { $0["type"]?.stringValue }
        #expect(jsonRoles == ["converter", "header_converter"])
        // The schema-registry converters under Confluent's class names and release.
        for cls in ["io.confluent.connect.avro.AvroConverter", "io.confluent.connect.protobuf.ProtobufConverter"] {
            let entry = all.body?.arrayValue?.first { $0["class"]?.stringValue == cls }
            #expect(entry?["type"]?.stringValue == "converter" && entry?["version"]?.stringValue == "7.0.16", "\(cls)")
        }
        let proto = try await w.get("/connector-plugins/io.confluent.connect.protobuf.ProtobufConverter/config")
        #expect(proto.body?.arrayValue?.contains { $0["name"]?.stringValue == "optional.for.nullables" } == true)
        let cfg = try await w.get("/connector-plugins/FileStreamSource/config")
        #expect(cfg.status == 200)
        #expect(cfg.body?.arrayValue?.contains { $0["name"]?.stringValue == "topic" } == true)
        await w.shutdown()
    }

    @Test func connectorLifecycle() async throws {
        let w = try await TestWorker()
        let config = fileSource(w.dir, topic: "lifecycle")
        let created = try await w.create("src", config)
        #expect(created.status == 201)
        // Kafka's Location is absolute, from the request's Host.
        #expect(created.headers["location"] == "\(w.base)/connectors/src")
        #expect(created.body?["name"]?.stringValue == "src")
        #expect(created.body?["type"]?.stringValue == "source")
        #expect(created.body?["config"]?["topic"]?.stringValue == "lifecycle")

        let dup = try await w.create("src", config)
        #expect(dup.status == 409)
        #expect(dup.body?["error_code"]?.int64Value == 409)
        #expect(dup.body?["message"]?.stringValue == "Connector src already exists")

        try await w.waitForState("src", "RUNNING")
        let list = try await w.get("/connectors")
        #expect(list.body == .array([.string("src")]))
        let expanded = try await w.get("/connectors?expand=status&expand=info")
        #expect(expanded.body?["src"]?["status"]?["connector"]?["state"]?.stringValue == "RUNNING")
        #expect(expanded.body?["src"]?["info"]?["type"]?.stringValue == "source")

        let tasks = try await w.get("/connectors/src/tasks")
        #expect(tasks.body?.arrayValue?.first?["id"] == .object(["connector": .string("src"), "task": .int(0)]))
        let taskStatus = try await w.get("/connectors/src/tasks/0/status")
        #expect(taskStatus.body?["state"]?.stringValue == "RUNNING")
        #expect(taskStatus.body?["id"]?.int64Value == 0)

        #expect(try await w.put("/connectors/src/pause").status == 202)
        try await w.waitForState("src", "PAUSED")
        #expect(try await w.put("/connectors/src/pause").status == 202)
        #expect(try await w.put("/connectors/src/resume").status == 202)
        try await w.waitForState("src", "RUNNING")

        // Offsets can only be changed while STOPPED.
        let early = try await w.request("DELETE", "/connectors/src/offsets")
        #expect(early.status == 400)
        #expect(early.body?["message"]?.stringValue?.hasPrefix("Connectors must be in the STOPPED state") == true)
        #expect(try await w.put("/connectors/src/stop").status == 204)
        try await waitUntil(timeout: 10) { try await w.get("/connectors/src/status").body?["connector"]?["state"]?.stringValue == "STOPPED" }
        let offsets = try await w.get("/connectors/src/offsets")
        #expect(offsets.body?["offsets"]?.arrayValue?.first?["offset"]?["position"]?.int64Value == 4)
        let patched = try await w.patch("/connectors/src/offsets", #"{"offsets":[{"partition":{"filename":"\#(w.dir.file("in.txt"))"},"offset":{"position":2}}]}"#)
        #expect(patched.status == 200)
        #expect(patched.body?["message"]?.stringValue == "The offsets for this connector have been altered successfully")
        #expect(try await w.get("/connectors/src/offsets").body?["offsets"]?.arrayValue?.first?["offset"]?["position"]?.int64Value == 2)
        let emptyPatch = try await w.patch("/connectors/src/offsets", #"{"offsets":[]}"#)
        #expect(emptyPatch.status == 400)
        let reset = try await w.delete("/connectors/src/offsets")
        #expect(reset.body?["message"]?.stringValue == "The offsets for this connector have been reset successfully")
        #expect(try await w.get("/connectors/src/offsets").body?["offsets"]?.arrayValue?.isEmpty == true)
        #expect(try await w.put("/connectors/src/resume").status == 202)
        try await w.waitForState("src", "RUNNING")

        // Update: PUT returns 200 for an existing connector; PATCH merges and null removes.
        var updated = config
        updated["batch.size"] = "100"
        let put = try await w.put("/connectors/src/config", JSONValue.stringMap(updated).compactString)
        #expect(put.status == 200)
        let patch = try await w.patch("/connectors/src/config", #"{"batch.size":null,"tasks.max":"1"}"#)
        #expect(patch.status == 200)
        #expect(try await w.get("/connectors/src/config").body?["batch.size"] == nil)

        let restart = try await w.post("/connectors/src/restart")
        #expect(restart.status == 204)
        let restartAll = try await w.post("/connectors/src/restart?includeTasks=true")
        #expect(restartAll.status == 202)
        #expect(restartAll.body?["connector"]?["state"]?.stringValue == "RESTARTING")
        #expect(try await w.post("/connectors/src/tasks/0/restart").status == 204)
        try await w.waitForState("src", "RUNNING")

        #expect(try await w.delete("/connectors/src").status == 204)
        let gone = try await w.get("/connectors/src")
        #expect(gone.status == 404)
        #expect(gone.body?["message"]?.stringValue == "Connector src not found")
        await w.shutdown()
    }

    @Test func badRequests() async throws {
        let w = try await TestWorker()
        // Kafka answers 500 for these (scripts test the class); Sluice keeps it with a readable message.
        let malformed = try await w.post("/connectors", "{\"name\": \"x\", \"config\": {")
        #expect(malformed.status == 500)
        #expect(malformed.body?["error_code"]?.int64Value == 500)
        #expect(malformed.body?["message"]?.stringValue?.hasPrefix("Cannot deserialize the request body as JSON") == true)
        let notObject = try await w.post("/connectors", "[1,2]")
        #expect(notObject.status == 500)
        let unknownClass = try await w.create("u", ["connector.class": "com.example.Nope"])
        #expect(unknownClass.status == 500)
        #expect(unknownClass.body?["message"]?.stringValue?.contains("com.example.Nope") == true)
        let missing = try await w.create("m", ["connector.class": "FileStreamSink"])
        #expect(missing.status == 400)
        #expect(missing.body?["message"]?.stringValue?.contains("Must configure one of topics or topics.regex") == true)
        let badType = try await w.create("t", ["connector.class": "FileStreamSink", "topics": "x", "tasks.max": "many"])
        #expect(badType.status == 400)
        #expect(badType.body?["message"]?.stringValue?.contains("tasks.max") == true)
        let mismatch = try await w.put("/connectors/a/config", #"{"name":"b","connector.class":"FileStreamSink","topics":"x"}"#)
        #expect(mismatch.status == 400)
        let unknownRoute = try await w.get("/nope")
        #expect(unknownRoute.status == 404)
        #expect(unknownRoute.body?["error_code"]?.int64Value == 404)
        #expect(try await w.get("/connectors/none/status").status == 404)
        #expect(try await w.put("/connectors/none/pause").status == 404)
        #expect(try await w.get("/connectors/none/tasks/0/status").status == 404)
        #expect(try await w.delete("/connectors/none").status == 404)
        // Numbers in connector JSON are accepted as strings, like the seed SpoolDir example.
        let numeric = try await w.post("/connectors", #"{"name":"n","config":{"connector.class":"FileStreamSink","topics":"x","tasks.max":1,"file":"\#(w.dir.file("o.txt"))"}}"#)
        #expect(numeric.status == 201)
        #expect(numeric.body?["config"]?["tasks.max"]?.stringValue == "1")
        await w.shutdown()
    }

    @Test func validateEndpoint() async throws {
        let w = try await TestWorker()
        let ok = try await w.put("/connector-plugins/FileStreamSinkConnector/config/validate",
                                 #"{"connector.class":"org.apache.kafka.connect.file.FileStreamSinkConnector","topics":"t","name":"v"}"#)
        #expect(ok.status == 200)
        #expect(ok.body?["error_count"]?.int64Value == 0)
        #expect(ok.body?["name"]?.stringValue == "org.apache.kafka.connect.file.FileStreamSinkConnector")
        #expect(ok.body?["groups"]?.arrayValue?.first?.stringValue == "Common")
        let bad = try await w.put("/connector-plugins/FileStreamSinkConnector/config/validate",
                                  #"{"connector.class":"org.apache.kafka.connect.file.FileStreamSinkConnector","name":"v","transforms":"x","transforms.x.type":"NoSuchTransform"}"#)
        #expect(bad.body?["error_count"]?.int64Value == 2)
        let errs = bad.body?["configs"]?.arrayValue?.filter { !($0["value"]?["errors"]?.arrayValue?.isEmpty ?? true) }.compactMap { $0["value"]?["name"]?.stringValue } ?? []
        #expect(errs.contains("topics"))
        #expect(errs.contains("transforms.x.type"))
        let mismatch = try await w.put("/connector-plugins/FileStreamSource/config/validate",
                                       #"{"connector.class":"org.apache.kafka.connect.file.FileStreamSinkConnector","topics":"t"}"#)
        #expect(mismatch.status == 400)
        await w.shutdown()
    }

    @Test func metricsAndLoggers() async throws {
        let w = try await TestWorker()
        _ = try await w.create("m", fileSource(w.dir, topic: "metrics"))
        try await w.waitForState("m", "RUNNING")
        try await waitUntil(timeout: 10) { try await w.get("/metrics").raw.contains("sluice_source_records_written_total{connector=\"m\",task=\"0\"} 2") }
        let metrics = try await w.get("/metrics").raw
        #expect(metrics.contains("sluice_task_status{connector=\"m\",task=\"0\",state=\"RUNNING\"} 1"))
        let loggers = try await w.get("/admin/loggers")
        #expect(loggers.body?["root"]?["level"]?.stringValue != nil)
        let set = try await w.put("/admin/loggers/sluice.worker", #"{"level":"DEBUG"}"#)
        #expect(set.status == 200)
        #expect(set.body?.arrayValue?.contains(.string("sluice.worker")) == true)
        let bad = try await w.put("/admin/loggers/sluice.worker", #"{"level":"LOUD"}"#)
        // Kafka 3.9 answers an unknown level with 404 "invalid log level 'LOUD'."; a missing level is a 400.
        #expect(bad.status == 404)
        #expect(bad.body?["message"]?.stringValue == "invalid log level 'LOUD'.")
        #expect(try await w.put("/admin/loggers/sluice.worker", "{}").status == 400)
        let one = try await w.get("/admin/loggers/sluice.worker")
        #expect(one.body?["level"]?.stringValue == "DEBUG")
        #expect(one.body?["last_modified"]?.int64Value != nil)
        #expect(try await w.get("/admin/loggers/never.set").status == 404)
        _ = try await w.put("/admin/loggers/sluice.worker", #"{"level":"INFO"}"#)
        await w.shutdown()
    }
}
