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

/// Search offloading as users set it up: PostgreSQL CDC → ExtractNewRecordState + ExtractField$Key → Elasticsearch
/// (document id = the row's key, offsets as external versions, tombstones delete), in a direct-pipeline worker that
/// is `kill -9`ed mid-change and restarted. The index must equal the table: the snapshot, inserts, an update of
/// every row and deletes.
///
/// The restart matters twice: CDC replays from its committed position (replays must not duplicate or resurrect),
/// and the worker's new offsets must be above the old ones, or the index would refuse the updates after the
/// restart as stale versions (`version_conflict_engine_exception`, which the sink rightly ignores).
@Suite struct CDCToElasticsearchTests {
    @Test func cdcMirrorsATableIntoAnIndexAcrossKillNine() async throws {
        let es = try OpenSearchServer()
        let db = try await CDCIT.database("cdc_es")
        try await CDCIT.exec(db, [
            "CREATE TABLE public.items (id integer PRIMARY KEY, v integer NOT NULL, label text)",
            "INSERT INTO public.items SELECT i, i, 'row ' || i FROM generate_series(1, 2000) i",
        ])
        let dir = try TemporaryDirectory(prefix: "sluice-it-cdc-es")
        let port = TestSupport.freePort()
        let slot = "slot_\(db.dbname)"
        let args = [
            try DirectPipelineTests.workerProperties(dir, port: port),
            try DirectPipelineTests.cdcConnector(dir, db, slot: slot),
            try DirectPipelineTests.connector(dir, "search", [
                "connector.class": "io.confluent.connect.elasticsearch.ElasticsearchSinkConnector",
                "connection.url": es.url, "topics": "d.public.items", "behavior.on.null.values": "DELETE",
                "batch.size": "1000",
                "transforms": "unwrap,key",
                "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
                "transforms.unwrap.drop.tombstones": "false",
                "transforms.key.type": "org.apache.kafka.connect.transforms.ExtractField$Key", "transforms.key.field": "id",
            ]),
        ]
        let index = "d.public.items"
        let count = { (try? es.count(index)) ?? 0 }
        var worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        defer { worker.terminate(); worker.waitUntilExit() }
        try await waitUntil(timeout: 60, "the snapshot indexed") { count() == 2000 }
        try await CDCIT.exec(db, (0..<4).map { t in
            "INSERT INTO public.items SELECT i, i, 'row ' || i FROM generate_series(\(2001 + t * 5000), \(2000 + (t + 1) * 5000)) i"
        })
        try await waitUntil(timeout: 120, "the inserts indexed") { count() == 22_000 }
        #expect(try es.document(index, "21999")?["label"] as? String == "row 21999")

        // Every row updated, a tenth deleted; the worker dies while the changes stream.
        let writer = Task.detached {
            try await CDCIT.exec(db, ["UPDATE public.items SET v = v * 2", "DELETE FROM public.items WHERE id % 10 = 0"])
        }
        try await Task.sleep(for: .milliseconds(600))
        ProcessHarness.kill9(worker)
        try await writer.value

        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        try await waitUntil(timeout: 180, "the index equals the table") { count() == 19_800 }
        // A sample of surviving rows must carry the update, deleted ones must be gone.
        var rng = SplitMix64(seed: 16)
        var stale: [String] = []
        for _ in 0..<300 {
            var id = Int(rng.next() % 22_000) + 1
            if id % 10 == 0 { id += 1 }
            if id > 22_000 { id = 21_999 }
            let doc = try es.document(index, "\(id)")
            if doc?["v"] as? Int != id * 2 || doc?["label"] as? String != "row \(id)" { stale.append("\(id): \(String(describing: doc))") }
        }
        #expect(stale.isEmpty, "documents without the update: \(stale.prefix(5))")
        for id in stride(from: 10, through: 22_000, by: 2_190) {
            #expect(try es.document(index, "\(id)") == nil, "deleted row \(id) still indexed")
        }
        // Restarted once more with nothing to replay, the worker's offsets start over: changes to the rows with the
        // highest versions must still be applied (offsets that restarted at 0 would be refused as stale versions).
        let wal = try await CDCIT.currentWAL(db)
        try await waitUntil(timeout: 60, "the slot confirmed every change") { (try await CDCIT.confirmedFlush(db, slot: slot) ?? 0) >= wal }
        ProcessHarness.kill9(worker)
        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        try await waitUntil(timeout: 60, "worker REST up") { await IT.get("http://127.0.0.1:\(port)/health")?.status == 200 }
        try await CDCIT.exec(db, ["UPDATE public.items SET label = 'again' WHERE id > 21000"])
        try await waitUntil(timeout: 60, "post-restart updates indexed") {
            (try? es.document(index, "21001")?["label"] as? String) == "again"
                && (try? es.document(index, "21999")?["label"] as? String) == "again"
        }
        await CDCIT.dropSlot(db, slot)
    }
}
