import Foundation
import SluiceAPI
import Testing
import TestSupport

@testable import Elasticsearch

/// The sink against a real (in-memory, OpenSearch 3.x API) server: every write mode, mappings read back, errors.
@Suite(.serialized) struct ElasticsearchSinkTests {
    @Test func insertWithKeysCreatesIndexMappingAndVersionedDocuments() throws {
        let es = try OpenSearchServer()
        let (task, _) = try makeTask(es)
        defer { task.stop() }
        try task.put((0..<50).map { order(offset: Int64($0), id: Int64($0)) })
        try task.flush([:])
        #expect(try es.count("orders") == 50)  // index = topic lowercased
        let mapping = try es.request("GET", "/orders/_mapping").body
        let props = ((json(mapping) as? [String: Any])?["orders"] as? [String: Any]).flatMap {
            ($0["mappings"] as? [String: Any])?["properties"] as? [String: Any]
        }
        #expect((props?["id"] as? [String: Any])?["type"] as? String == "long")
        #expect((props?["day"] as? [String: Any])?["type"] as? String == "date")
        #expect((props?["price"] as? [String: Any])?["type"] as? String == "double")
        let name = props?["name"] as? [String: Any]
        #expect(name?["type"] as? String == "text")
        #expect(((name?["fields"] as? [String: Any])?["keyword"] as? [String: Any])?["ignore_above"] as? Int == 256)
        let doc = try es.document("orders", "k7")
        #expect(doc?["id"] as? Int == 7)
        #expect(doc?["day"] as? String == "2024-01-15")  // the fixed Date: not epoch days
        #expect(doc?["ts"] as? Int == 1_705_312_800_000)
        #expect(doc?["price"] as? Double == 12.34)
        #expect(doc?.keys.contains("note") == true && doc?["note"] is NSNull)
        // The version is the offset.
        let raw = try es.request("GET", "/orders/_doc/k7").body
        #expect((json(raw) as? [String: Any])?["_version"] as? Int == 7)
        // Replays conflict with the external version and are ignored: offsets still advance.
        try task.put((0..<50).map { order(offset: Int64($0), id: Int64($0), name: "replayed") })
        try task.flush([:])
        #expect(try es.document("orders", "k7")?["name"] as? String == "n")
        let safe = try task.preCommit([TopicPartition("Orders", 0): 50])
        #expect(safe[TopicPartition("Orders", 0)] == 50)
    }

    @Test func dateIsSearchableAsADateNotEpochMillis() throws {
        let es = try OpenSearchServer()
        let (task, _) = try makeTask(es)
        defer { task.stop() }
        try task.put([order(offset: 0, id: 1)])
        try task.flush([:])
        let r = try es.request("GET", "/orders/_search", body: #"{"query":{"range":{"day":{"gte":"2024-01-01","lte":"2024-12-31"}}}}"#)
        #expect(r.body.contains("\"k1\""), "a Date of 2024-01-15 must fall in 2024: \(r.body)")
    }

    @Test func keyIgnoreUsesTopicPartitionOffsetAsId() throws {
        let es = try OpenSearchServer()
        let (task, _) = try makeTask(es, ["key.ignore": "true"])
        defer { task.stop() }
        try task.put([order(offset: 42, id: 1, partition: 3)])
        try task.flush([:])
        #expect(try es.document("orders", "Orders+3+42")?["id"] as? Int == 1)
    }

    @Test func upsertMergesDocuments() throws {
        let es = try OpenSearchServer()
        let (task, _) = try makeTask(es, ["write.method": "upsert", "schema.ignore": "true"])
        defer { task.stop() }
        let schema = SchemaBuilder(type: .structure).field("a", .optionalInt32).field("b", .optionalString).build()
        var s1 = Struct(schema: schema); s1[0] = .int32(1); s1[1] = .string("x")
        var s2 = Struct(schema: schema); s2[0] = .int32(2); s2[1] = .null
        try task.put([SinkRecord(topic: "up", partition: 0, keySchema: .string, key: .string("d"), valueSchema: schema, value: .structure(s1), kafkaOffset: 0)])
        try task.flush([:])
        try task.put([SinkRecord(topic: "up", partition: 0, keySchema: .string, key: .string("d"), valueSchema: schema, value: .structure(s2), kafkaOffset: 1)])
        try task.flush([:])
        let doc = try es.document("up", "d")
        #expect(doc?["a"] as? Int == 2)
        #expect(try es.count("up") == 1)
    }

    @Test func nullValuesDeleteIgnoreAndFail() throws {
        let es = try OpenSearchServer()
        let (task, ctx) = try makeTask(es, ["behavior.on.null.values": "delete"])
        defer { task.stop() }
        try task.put([order(offset: 0, id: 1), order(offset: 1, id: 2)])
        try task.flush([:])
        #expect(try es.count("orders") == 2)
        try task.put([SinkRecord(topic: "Orders", partition: 0, keySchema: .string, key: .string("k1"), valueSchema: orderSchema, value: .null, kafkaOffset: 2)])
        // A tombstone without a key cannot delete anything; the original never settled it, stalling commits.
        try task.put([SinkRecord(topic: "Orders", partition: 0, valueSchema: orderSchema, value: .null, kafkaOffset: 3)])
        try task.flush([:])
        #expect(try es.document("orders", "k1") == nil)
        #expect(try es.count("orders") == 1)
        #expect(try task.preCommit([TopicPartition("Orders", 0): 4])[TopicPartition("Orders", 0)] == 4)
        #expect(ctx.reporter.all.contains { $0.error.contains("null key") })

        let (ignoring, _) = try makeTask(es, ["behavior.on.null.values": "ignore"])
        defer { ignoring.stop() }
        try ignoring.put([SinkRecord(topic: "Orders", partition: 0, keySchema: .string, key: .string("k2"), valueSchema: orderSchema, value: .null, kafkaOffset: 9)])
        try ignoring.flush([:])
        #expect(try es.document("orders", "k2") != nil)
        #expect(try ignoring.preCommit([TopicPartition("Orders", 0): 10])[TopicPartition("Orders", 0)] == 10)

        let (failing, _) = try makeTask(es)
        defer { failing.stop() }
        #expect(throws: ConnectError.self) {
            try failing.put([SinkRecord(topic: "Orders", partition: 0, keySchema: .string, key: .string("k2"), valueSchema: orderSchema, value: .null, kafkaOffset: 9)])
        }
    }

    @Test func malformedDocumentsIgnoreWarnAndFail() throws {
        let es = try OpenSearchServer()
        _ = try es.request("PUT", "/strict", body: #"{"mappings":{"properties":{"n":{"type":"long"}}}}"#)
        func bad(_ offset: Int64, _ n: String) -> SinkRecord {
            SinkRecord(topic: "strict", partition: 0, keySchema: .string, key: .string("d\(offset)"), valueSchema: nil,
                value: .map([MapEntry(.string("n"), .string(n))]), kafkaOffset: offset)
        }
        for mode in ["ignore", "warn"] {
            let (task, ctx) = try makeTask(es, ["behavior.on.malformed.documents": mode, "schema.ignore": "true"])
            try task.put([bad(0, "1"), bad(1, "not a number"), bad(2, "3")])
            try task.flush([:])
            #expect(try task.preCommit([TopicPartition("strict", 0): 3])[TopicPartition("strict", 0)] == 3)
            #expect(ctx.reporter.all.count == 1)
            #expect(ctx.reporter.all.first?.value == #"{"n":"not a number"}"#)
            #expect(ctx.reporter.all.first?.error.contains("mapper_parsing_exception") == true)
            task.stop()
        }
        #expect(try es.count("strict") == 2)
        let (task, ctx) = try makeTask(es, ["schema.ignore": "true"])
        defer { task.stop() }
        try task.put([bad(10, "1"), bad(11, "oops")])
        let error = #expect(throws: ConnectError.self) { try task.flush([:]) }
        #expect(error?.message.contains("mapper_parsing_exception") == true)
        #expect(error?.message.contains("DLQ") == true)
        #expect(ctx.reporter.all.count == 1)
        // Offsets stop before the rejected record: it is read again after a restart.
        #expect((try? task.preCommit([TopicPartition("strict", 0): 12])) == nil)
    }

    @Test func anIndexNameTheServerRefusesFailsClearly() throws {
        let es = try OpenSearchServer()
        let (task, _) = try makeTask(es)
        defer { task.stop() }
        let error = #expect(throws: ConnectError.self) { try task.put([order("bad*name", offset: 0, id: 1)]) }
        #expect(error?.message.contains("bad*name") == true)
        #expect(error?.message.contains("invalid_index_name_exception") == true)
        #expect(try task.preCommit([TopicPartition("bad*name", 0): 1]).isEmpty)
    }

    @Test func invalidKeysFailOrAreDropped() throws {
        let es = try OpenSearchServer()
        let structKey = SinkRecord(topic: "k", partition: 0, keySchema: orderSchema, key: order(offset: 0, id: 1).value,
            valueSchema: orderSchema, value: order(offset: 0, id: 1).value, kafkaOffset: 0)
        let (task, _) = try makeTask(es)
        defer { task.stop() }
        let e = #expect(throws: ConnectError.self) { try task.put([structKey]) }
        #expect(e?.message == "STRUCT is not supported as the document id.")
        let (dropping, ctx) = try makeTask(es, ["drop.invalid.message": "true"])
        defer { dropping.stop() }
        try dropping.put([structKey, order("k", offset: 1, id: 2)])
        try dropping.flush([:])
        #expect(try es.count("k") == 1)
        #expect(ctx.reporter.all.count == 1)
        #expect(try dropping.preCommit([TopicPartition("k", 0): 2])[TopicPartition("k", 0)] == 2)
    }

    @Test func validateNamesConnectionURLWhenTheClusterIsUnreachable() throws {
        let port = TestSupport.freePort()
        let c = ElasticsearchSinkConnector()
        let results = c.validate(["connection.url": "http://127.0.0.1:\(port)", "topics": "t"])
        let url = results.first { $0.name == "connection.url" }
        #expect(url?.errors.first?.contains("Could not connect to Elasticsearch") == true)
        let es = try OpenSearchServer()
        let ok = c.validate(["connection.url": es.url, "topics": "t", "connection.username": "u", "connection.password": "secret"])
        #expect(ok.allSatisfy { $0.errors.isEmpty })
        #expect(ok.first { $0.name == "connection.password" }?.value == "[hidden]")
        let bad = c.validate(["connection.url": es.url, "batch.size": "5000"])
        #expect(bad.first { $0.name == "max.buffered.records" }?.errors.isEmpty == false)
    }

    @Test func failoverToTheNextURL() throws {
        let es = try OpenSearchServer()
        let dead = "http://127.0.0.1:\(TestSupport.freePort())"
        let (task, _) = try makeTask(es, ["connection.url": "\(dead),\(es.url)"])
        defer { task.stop() }
        try task.put((0..<10).map { order(offset: Int64($0), id: Int64($0)) })
        try task.flush([:])
        #expect(try es.count("orders") == 10)
    }

    @Test func serverKilledAndRestartedMidLoadTaskRetriesAndContinues() throws {
        let es = try OpenSearchServer()
        let (task, _) = try makeTask(es, ["max.retries": "30", "retry.backoff.ms": "50", "batch.size": "100",
                                          "max.buffered.records": "2000", "max.in.flight.requests": "2"])
        defer { task.stop() }
        try task.put((0..<500).map { order(offset: Int64($0), id: Int64($0)) })
        try task.flush([:])
        es.kill()
        // Records put while the cluster is down are buffered and retried, never acknowledged.
        try task.put((500..<1000).map { order(offset: Int64($0), id: Int64($0)) })
        usleep(300_000)
        #expect(try task.preCommit([TopicPartition("Orders", 0): 1000])[TopicPartition("Orders", 0)] == 500)
        try es.start()  // empty again: the in-memory server lost the first 500
        try task.flush([:])
        #expect(try task.preCommit([TopicPartition("Orders", 0): 1000])[TopicPartition("Orders", 0)] == 1000)
        // Everything not acknowledged before the kill is there after it.
        #expect(try es.count("orders") == 500)
        #expect(try es.document("orders", "k500") != nil)
        #expect(try es.document("orders", "k999") != nil)
    }

    @Test func itemRetriesAreBoundedAndFailTheTask() throws {
        // A cluster down for good: whole-request retries give up after max.retries with a clear error.
        let es = try OpenSearchServer()
        let (task, _) = try makeTask(es, ["max.retries": "2", "retry.backoff.ms": "10"])
        defer { task.stop() }
        try task.put([order(offset: 0, id: 0)])
        try task.flush([:])
        es.kill()
        try task.put([order(offset: 1, id: 1)])
        let error = #expect(throws: ConnectError.self) { try task.flush([:]) }
        #expect(error?.message.contains("max.retries=2") == true)
    }
}
