import Foundation
import Kafka
import Synchronization
import Testing
import SQL
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// `kill -9` of a `sluice standalone` worker during a 200k-record upsert load into PostgreSQL (broker in its own
/// `sluice kafka-embedded` process): after a restart the table has every key exactly once with its latest value.
@Suite struct JDBCSinkCrashTests {
    static let keys = 50_000
    static let versions = 4
    static let partitions = 8

    static let schema = #"{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"int32","optional":false,"field":"version"},{"type":"string","optional":false,"field":"name"}],"optional":false,"name":"upserts"}"#

    /// Produces keys × versions JsonConverter envelopes, version-major, key `id` always to partition id % 8 so the
    /// last record of a key in its partition is its latest version. Returns the acknowledged count.
    static func produce(_ bootstrap: String, topic: String) throws -> Int {
        let acked = Atomic<Int>(0)
        let producer = try KafkaProducer.make(
            config: ["bootstrap.servers": bootstrap, "linger.ms": "20", "compression.type": "lz4", "batch.num.messages": "10000"],
            deliveryHandler: { _, r in if case .success = r { acked.add(1, ordering: .relaxed) } })
        var n: UInt64 = 0
        for v in 1...versions {
            for id in 0..<keys {
                let value = #"{"schema":\#(schema),"payload":{"id":\#(id),"version":\#(v),"name":"n\#(id)-v\#(v)"}}"#
                try producer.produce(topic: topic, partition: Int32(id % partitions), key: nil, value: Array(value.utf8), id: n)
                n += 1
                if n & 1023 == 0 { producer.poll(timeoutMs: 0) }
            }
        }
        _ = producer.flush(timeoutMs: 60_000)
        _ = producer.close(timeoutMs: 5_000)
        return acked.load(ordering: .relaxed)
    }

    @Test func killNineDuringUpsertLoadLeavesEveryKeyOnceWithLatestValue() async throws {
        let total = Self.keys * Self.versions
        let db = try await IT.postgresDatabase("it_jdbc_crash")
        let dir = try TemporaryDirectory(prefix: "sluice-it-jdbccrash")
        let (broker, bootstrap) = try ProcessHarness.startBroker(topics: ["upserts:\(Self.partitions)"])
        defer { broker.terminate(); broker.waitUntilExit() }

        let acked = try await Task.detached { try Self.produce(bootstrap, topic: "upserts") }.value
        #expect(acked == total)
        // The embedded broker drops old batches past 5 MiB per partition: make sure all 200k are still there.
        let stored = try await IT.readTopic(bootstrap, "upserts", count: total, timeoutMs: 60_000).count
        try #require(stored == total, "the broker kept \(stored) of \(total) records")

        let port = TestSupport.freePort()
        let base = "http://127.0.0.1:\(port)"
        try IT.write(IT.properties([
            "bootstrap.servers": bootstrap,
            "key.converter": "org.apache.kafka.connect.storage.StringConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "offset.storage.file.filename": dir.file("connect.offsets"),
            "offset.flush.interval.ms": "500",
            "listeners": "http://127.0.0.1:\(port)",
            // A killed member holds its partitions until the session times out: keep that short for the restart.
            "consumer.session.timeout.ms": "6000",
            "consumer.heartbeat.interval.ms": "1000",
        ]), to: dir.file("worker.properties"))
        try IT.write(IT.properties([
            "name": "pgsink",
            "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector",
            "tasks.max": "1",
            "topics": "upserts",
            "connection.url": db.url,
            "insert.mode": "upsert", "pk.mode": "record_value", "pk.fields": "id", "auto.create": "true",
            "batch.size": "2000",
        ]), to: dir.file("sink.properties"))
        let args = [dir.file("worker.properties"), dir.file("sink.properties")]

        // Whichever worker process is current is stopped when the test ends, even when it fails half-way.
        var worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        defer { worker.terminate(); worker.waitUntilExit() }
        try await waitUntil(timeout: 60, "worker REST up") { await IT.get(base + "/health")?.status == 200 }
        let plugins = await IT.get(base + "/connector-plugins")?.body ?? ""
        try #require(plugins.contains("io.confluent.connect.jdbc.JdbcSinkConnector"),
                     "the sluice binary (\(ProcessHarness.binary)) does not bundle the JDBC sink: \(plugins)")
        try await waitUntil(timeout: 90, "part of the load written") {
            (await IT.metric(base, "sluice_sink_records_put_total") ?? 0) >= 30_000
        }
        ProcessHarness.kill9(worker)
        let latestAtKill = try IT.scalar(db, #"SELECT count(*) FROM "upserts" WHERE "version" = 4"#) ?? 0
        #expect(latestAtKill < Int64(Self.keys), "the load had already finished when the worker was killed")

        worker = try ProcessHarness.startWorker(args, log: dir.file("worker.log"))
        try await waitUntil(timeout: 120, "every key at its latest version") {
            (try? IT.scalar(db, #"SELECT count(*) FROM "upserts" WHERE "version" = \#(Self.versions)"#)) == Int64(Self.keys)
        }
        #expect(try IT.scalar(db, #"SELECT count(*) FROM "upserts""#) == Int64(Self.keys))
        #expect(try IT.scalar(db, #"SELECT count(DISTINCT "id") FROM "upserts""#) == Int64(Self.keys))
        #expect(try IT.scalar(db, #"SELECT count(*) FROM "upserts" WHERE "name" <> 'n' || "id" || '-v4'"#) == 0)
        #expect(try IT.scalar(db, #"SELECT min("id") FROM "upserts""#) == 0)
        #expect(try IT.scalar(db, #"SELECT max("id") FROM "upserts""#) == Int64(Self.keys - 1))
        let pk = try IT.rows(db, "SELECT constraint_type::text FROM information_schema.table_constraints WHERE table_name = 'upserts'")
        #expect(pk.contains(["PRIMARY KEY"]), "auto.create made no primary key: \(pk)")
    }
}
