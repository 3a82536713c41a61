import Foundation
import JDBCSink
import SQL
import SluiceAPI
import TestSupport
import Testing

/// Config validation naming the key, connection checks in `validate`, retriable failures and db.timezone.
@Suite struct SinkConfigTests {
    func errors(_ props: [String: String], _ key: String) -> [String] {
        JdbcSinkConnector().validate(props).first { $0.name == key }?.errors ?? []
    }

    @Test func invalidKeysAreNamed() throws {
        #expect(errors([:], "connection.url").first?.contains("connection.url") == true)
        let url = "jdbc:sqlite::memory:"
        #expect(errors(["connection.url": url, "insert.mode": "merge"], "insert.mode").first?.contains("insert.mode") == true)
        #expect(errors(["connection.url": url, "pk.mode": "bogus"], "pk.mode").first?.contains("pk.mode") == true)
        #expect(errors(["connection.url": url, "batch.size": "x"], "batch.size").first?.contains("batch.size") == true)
        #expect(errors(["connection.url": url, "db.timezone": "Mars/Olympus"], "db.timezone").first?.contains("db.timezone") == true)
        #expect(!errors(["connection.url": url, "delete.enabled": "true", "pk.mode": "record_value"], "delete.enabled").isEmpty)
        #expect(!errors(["connection.url": url, "insert.mode": "upsert"], "pk.mode").isEmpty)
        #expect(errors(["connection.url": "jdbc:oracle:thin:@x"], "connection.url").first?.contains("connection.url") == true)
        let ok = JdbcSinkConnector().validate(["connection.url": url, "pk.mode": "record_key", "pk.fields": "id",
            "insert.mode": "upsert", "delete.enabled": "true"])
        #expect(ok.allSatisfy { $0.errors.isEmpty })
        let defaults = JDBCSinkPlugins.all[0].configDef
        #expect(defaults.key("batch.size")?.defaultValue == .value("3000"))
        #expect(defaults.key("max.retries")?.defaultValue == .value("10"))
        #expect(defaults.key("retry.backoff.ms")?.defaultValue == .value("3000"))
        #expect(defaults.key("table.name.format")?.defaultValue == .value("${topic}"))
        #expect(JDBCSinkPlugins.all[0].className == "io.confluent.connect.jdbc.JdbcSinkConnector")
        #expect(throws: ConnectError.self) { try JdbcSinkConnector().start(["connection.url": url, "pk.mode": "nope"]) }
    }

    @Test func validateReportsConnectionFailureOnURL() throws {
        let port = TestSupport.freePort()
        let e = errors(["connection.url": "jdbc:postgresql://127.0.0.1:\(port)/none?user=postgres"], "connection.url")
        #expect(e.first?.contains("Could not connect") == true, "\(e)")
        let db = try PostgresServer.shared().createDatabase(prefix: "sink_validate")
        #expect(errors(["connection.url": db.url], "connection.url").isEmpty)
    }

    @Test func databaseDownIsRetriableThenFails() throws {
        let port = TestSupport.freePort()
        let sink = try SinkUnderTest.start([
            "connection.url": "jdbc:postgresql://127.0.0.1:\(port)/none?user=postgres", "connection.attempts": "1",
            "max.retries": "2", "retry.backoff.ms": "250", "auto.create": "true",
        ])
        let schema = SchemaBuilder.struct().field("a", .int32).build()
        let batch = [sinkRecord("down", sinkStruct(schema, ["a": .int32(1)]), schema, offset: 0)]
        for _ in 0..<2 {
            let e = #expect(throws: ConnectError.self) { try sink.put(batch) }
            #expect(e?.isRetriable == true)
        }
        #expect(sink.context.requestedTimeouts == [250, 250])
        let last = #expect(throws: ConnectError.self) { try sink.put(batch) }
        #expect(last?.isRetriable == false && last?.message.contains("after 2 retries") == true, "\(String(describing: last))")
        sink.task.stop()
    }

    @Test func dbTimezoneWritesWallClockTime() throws {
        let db = try PostgresServer.shared().createDatabase(prefix: "sink_tz")
        let schema = SchemaBuilder.struct().field("id", .int32).field("at", Logical.timestamp).build()
        let sink = try SinkUnderTest.start([
            "connection.url": db.url, "auto.create": "true", "db.timezone": "America/New_York",
            "table.name.format": "tz_${topic}",
        ])
        // 2024-01-15T12:00:00Z is 07:00 in New York (EST, UTC-5).
        try sink.put([sinkRecord("t", sinkStruct(schema, ["id": .int32(1), "at": .int64(1_705_320_000_000)]), schema, offset: 0)])
        let rows = try sinkRows(db.url, "SELECT at FROM tz_t")
        let expected: Int64 = (1_705_320_000_000 - 5 * 3_600_000) * 1000
        let stored: Int64 = try #require(timestampMicros(rows[0][0]))
        #expect(stored == expected)
        sink.task.stop()
    }
}
