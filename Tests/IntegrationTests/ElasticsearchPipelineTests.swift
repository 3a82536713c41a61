import Foundation
import SluiceAPI
import Testing
import TestSupport
import WorkerTestSupport

/// SpoolDir CSV → Elasticsearch sink in a `sluice standalone` process (direct pipeline, `bootstrap.servers=none`),
/// against a real OpenSearch-compatible server: documents counted, the worker `kill -9`ed mid-load and restarted,
/// and every row is a document afterwards (ids are the CSV key, so replays overwrite instead of duplicating).
@Suite struct ElasticsearchPipelineTests {
    @Test func spoolDirIntoElasticsearchSurvivesKillNine() async throws {
        let total = 100_000
        let es = try OpenSearchServer()
        let dir = try TemporaryDirectory(prefix: "sluice-it-es")
        let input = dir.file("input"), finished = dir.file("finished"), errors = dir.file("error")
        try IT.mkdirs(input, finished, errors)
        var csv = "id,name,amount\n"
        for i in 1...total { csv += "\(i),n\(i % 997),\(i % 1000).25\n" }
        try IT.write(csv, to: dir.file("orders.csv.tmp"))
        let port = TestSupport.freePort()
        let base = "http://127.0.0.1:\(port)"
        let args = [
            try DirectPipelineTests.workerProperties(dir, port: port),
            try DirectPipelineTests.connector(dir, "spool", [
                "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
                "input.path": input, "finished.path": finished, "error.path": errors,
                "input.file.pattern": #"^.*\.csv$"#, "topic": "Orders", "csv.first.row.as.header": "true",
                "schema.generation.enabled": "true", "schema.generation.key.fields": "id", "batch.size": "500",
                "empty.poll.wait.ms": "100",
            ]),
            try DirectPipelineTests.connector(dir, "es", [
                "connector.class": "io.confluent.connect.elasticsearch.ElasticsearchSinkConnector",
                "connection.url": es.url, "topics": "Orders", "batch.size": "1000",
                "transforms": "key", "transforms.key.type": "org.apache.kafka.connect.transforms.ExtractField$Key",
                "transforms.key.field": "id",
            ]),
        ]
        var worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        defer { worker.terminate(); worker.waitUntilExit() }
        try await waitUntil(timeout: 60, "worker REST up") { await IT.get(base + "/health")?.status == 200 }
        let count = { (try? es.count("orders")) ?? 0 }
        try FileManager.default.moveItem(atPath: dir.file("orders.csv.tmp"), toPath: input + "/orders.csv")
        try await waitUntil(timeout: 120, "some documents") { count() >= 20_000 }
        let status = await IT.get(base + "/connectors/es/status")
        #expect(status?.body.contains("RUNNING") == true, "sink status: \(status?.body ?? "none")")

        ProcessHarness.kill9(worker)
        let atKill = count()
        #expect(atKill < total, "the file was done before the kill; the test proves nothing")

        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        try await waitUntil(timeout: 180, "every row as a document") { count() >= total }
        #expect(count() == total)
        let doc = try es.document("orders", "777")
        #expect(doc?["name"] as? String == "n777")
        #expect("\(doc?["amount"] ?? "missing")".contains("777.25"), "amount of document 777: \(String(describing: doc))")
        let mapping = try es.request("GET", "/orders/_mapping").body
        #expect(mapping.contains("\"name\""), "mapping created from the schema: \(mapping)")
    }
}
