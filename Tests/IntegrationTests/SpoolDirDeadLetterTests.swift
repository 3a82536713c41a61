import Foundation
import Kafka
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// SpoolDir bad lines and the dead letter queue (issue 7), through a real worker and the embedded Kafka: with
/// `errors.tolerance=all` and a DLQ topic each bad line is parked there (original bytes, file/line/error headers)
/// and the rest of the file still reaches the topic; with the default tolerance the file goes to `error.path`.
@Suite struct SpoolDirDeadLetterTests {
    static let schema = #"{"name":"v","type":"STRUCT","isOptional":false,"fieldSchemas":{"id":{"type":"INT64","isOptional":false},"name":{"type":"STRING","isOptional":true},"qty":{"type":"INT32","isOptional":false}}}"#

    static func config(_ class_: String, spool: String, work: String, topic: String, extra: [String: String]) -> [String: String] {
        [
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.\(class_)",
            "tasks.max": "1", "topic": topic,
            "input.path": spool, "finished.path": work + "/finished", "error.path": work + "/error",
            "input.file.pattern": #"^.*\.(csv|json)$"#, "empty.poll.wait.ms": "100",
            "schema.generation.enabled": "false", "value.schema": schema, "halt.on.error": "true",
        ].merging(extra) { $1 }
    }

    static func header(_ m: KafkaMessage, _ key: String) -> String? {
        m.headers.first { $0.0 == key }?.1.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func badCsvLinesGoToTheDeadLetterQueueAndTheRestIsSent() async throws {
        let w = try await TestWorker(plugins: IT.plugins)
        let spool = w.dir.file("dlq-spool"), work = w.dir.file("dlq-work")
        try IT.mkdirs(spool, work + "/error", work + "/finished")
        // Line 3: qty does not convert; line 5: ragged (2 columns); line 7: ragged (4 columns).
        let csv = "id,name,qty\n1,a,10\n2,b,notanumber\n3,c,30\n4,d\n5,\"e, quoted\",50\n6,f,60,extra\n7,g,70\n"
        try IT.write(csv, to: spool + "/orders.csv")
        let topic = "dlq-csv-\(UUID().uuidString.prefix(6))", dlq = topic + "-dlq"
        let created = try await w.create("dlq-csv", Self.config("SpoolDirCsvSourceConnector", spool: spool, work: work, topic: topic, extra: [
            "csv.first.row.as.header": "true",
            "errors.tolerance": "all", "errors.deadletterqueue.topic.name": dlq,
            "errors.deadletterqueue.context.headers.enable": "true",
        ]))
        #expect(created.status == 201, "create: \(created.raw)")

        let good = try await IT.readTopic(w.bootstrap, topic, count: 4)
        let ids = try good.map { try JSONReader.parse($0.value ?? [])["payload"]?["id"]?.int64Value ?? -1 }.sorted()
        #expect(ids == [1, 3, 5, 7])

        let bad = try await IT.readTopic(w.bootstrap, dlq, count: 3).sorted {
            Int(Self.header($0, "file.line") ?? "") ?? 0 < Int(Self.header($1, "file.line") ?? "") ?? 0
        }
        #expect(bad.count == 3)
        #expect(bad.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["2,b,notanumber", "4,d", "6,f,60,extra"])
        #expect(bad.map { Self.header($0, "file.line") } == ["3", "5", "7"])
        #expect(bad.allSatisfy { Self.header($0, "file.name") == "orders.csv" })
        #expect(bad.allSatisfy { Self.header($0, "file.path") == spool + "/orders.csv" })
        #expect(Self.header(bad[0], "file.column") == "qty")
        #expect(Self.header(bad[0], "file.error")?.contains("notanumber") == true)
        #expect(Self.header(bad[1], "file.error")?.contains("ragged") == true)
        #expect(Self.header(bad[0], "__connect.errors.stage") == "TASK_POLL")
        #expect(Self.header(bad[0], "__connect.errors.topic") == topic)
        #expect(Self.header(bad[0], "__connect.errors.connector.name") == "dlq-csv")

        // The file is finished (every good record acknowledged), not moved to error.path; the task keeps running.
        try await waitUntil(timeout: 20, "orders.csv in finished.path") { IT.files(in: work + "/finished") == ["orders.csv"] }
        #expect(IT.files(in: work + "/error").isEmpty)
        #expect(IT.files(in: spool).isEmpty)
        try await w.waitForState("dlq-csv", "RUNNING")
        #expect(await IT.metric(w.base, "sluice_dlq_records_total") == 3)
        #expect(await IT.metric(w.base, "sluice_records_skipped_total") == 3)
        await w.shutdown()
    }

    @Test func invalidJsonLinesGoToTheDeadLetterQueue() async throws {
        let w = try await TestWorker(plugins: IT.plugins)
        let spool = w.dir.file("dlq-json-spool"), work = w.dir.file("dlq-json-work")
        try IT.mkdirs(spool, work + "/error", work + "/finished")
        let lines = [#"{"id":1,"name":"a","qty":1}"#, #"{"id":2,"name": ,"qty":2}"#, #"{"id":3,"name":"c","qty":3}"#, #"{"id":4,"name":"d","qty":"many"}"#, #"{"id":5,"name":"e","qty":5}"#]
        try IT.write(lines.joined(separator: "\n") + "\n", to: spool + "/orders.json")
        let topic = "dlq-json-\(UUID().uuidString.prefix(6))", dlq = topic + "-dlq"
        _ = try await w.create("dlq-json", Self.config("SpoolDirJsonSourceConnector", spool: spool, work: work, topic: topic, extra: [
            "errors.tolerance": "all", "errors.deadletterqueue.topic.name": dlq,
        ]))
        let good = try await IT.readTopic(w.bootstrap, topic, count: 3)
        let ids = try good.map { try JSONReader.parse($0.value ?? [])["payload"]?["id"]?.int64Value ?? -1 }.sorted()
        #expect(ids == [1, 3, 5])
        let bad = try await IT.readTopic(w.bootstrap, dlq, count: 2).sorted { Self.header($0, "file.line") ?? "" < Self.header($1, "file.line") ?? "" }
        #expect(bad.map { String(decoding: $0.value ?? [], as: UTF8.self) } == [lines[1], lines[3]])
        #expect(bad.map { Self.header($0, "file.line") } == ["2", "4"])
        #expect(Self.header(bad[0], "file.error")?.contains("invalid JSON") == true)
        #expect(Self.header(bad[0], "__connect.errors.stage") == nil, "context headers are off by default")
        try await waitUntil(timeout: 20, "orders.json in finished.path") { IT.files(in: work + "/finished") == ["orders.json"] }
        await w.shutdown()
    }

    @Test func defaultToleranceStillMovesTheFileToErrorPath() async throws {
        let w = try await TestWorker(plugins: IT.plugins)
        let spool = w.dir.file("dlq-none-spool"), work = w.dir.file("dlq-none-work")
        try IT.mkdirs(spool, work + "/error", work + "/finished")
        try IT.write("id,name,qty\n1,a,10\n2,b,notanumber\n3,c,30\n", to: spool + "/orders.csv")
        let topic = "dlq-none-\(UUID().uuidString.prefix(6))", dlq = topic + "-dlq"
        _ = try await w.create("dlq-none", Self.config("SpoolDirCsvSourceConnector", spool: spool, work: work, topic: topic, extra: [
            "csv.first.row.as.header": "true", "halt.on.error": "false", "errors.deadletterqueue.topic.name": dlq,
        ]))
        // The file is moved first and its `.error` explanation written right after: wait for both.
        try await waitUntil(timeout: 20, "orders.csv and orders.csv.error in error.path") {
            let files = IT.files(in: work + "/error")
            return files.contains("orders.csv") && files.contains("orders.csv.error")
        }
        #expect(IT.files(in: work + "/finished").isEmpty)
        let parked = try await IT.readTopic(w.bootstrap, dlq, count: 1, timeoutMs: 2_000)
        #expect(parked.isEmpty, "nothing is dead-lettered with errors.tolerance=none")
        try await w.waitForState("dlq-none", "RUNNING")
        await w.shutdown()
    }
}
