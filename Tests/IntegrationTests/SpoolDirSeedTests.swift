import Foundation
import Kafka
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// The seed example of the SpoolDir spec, POSTed as written (only the paths point at temp dirs), against a real
/// worker with the embedded Kafka: typed JsonConverter envelopes in the topic, 3 RUNNING tasks, the file finished.
@Suite struct SpoolDirSeedTests {
    static let header = "id,customer,amount,created_at,active,note,qty"
    static let rows = 40
    static let baseMillis: Int64 = 1_709_287_200_000  // 2024-03-01T10:00:00Z

    static func millis(_ i: Int) -> Int64 { baseMillis + Int64(i) * 61_001 }
    static func cents(_ i: Int) -> Int64 { Int64(i) * 1_013 + 5 }

    /// One CSV line: int64 id, text, decimal with 2 fraction digits, ISO timestamp (millis), boolean, a quoted
    /// field with commas and escaped quotes, a small int32.
    static func line(_ i: Int) -> String {
        let ts = ISO8601DateFormatter()
        ts.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let when = ts.string(from: Date(timeIntervalSince1970: Double(millis(i)) / 1000))
        let c = cents(i)
        let amount = "\(c / 100).\(c % 100 < 10 ? "0" : "")\(c % 100)"
        return "\(9_000_000_000 + i),Customer \(i),\(amount),\(when),\(i % 2 == 0),\"note \(i), with \"\"quotes\"\", and commas\",\(i % 7)"
    }

    static func note(_ i: Int) -> String { "note \(i), with \"quotes\", and commas" }

    /// Kafka's Decimal bytes: the unscaled value as minimal big-endian two's complement, base64.
    static func decimalBase64(_ unscaled: Int64) -> String {
        var bytes = withUnsafeBytes(of: unscaled.bigEndian) { Array($0) }
        while bytes.count > 1 && ((bytes[0] == 0 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0)) {
            bytes.removeFirst()
        }
        return Data(bytes).base64EncodedString()
    }

    @Test func seedExampleIngestsTypedRecords() async throws {
        let w = try await TestWorker(plugins: IT.plugins)
        let spool = w.dir.file("spool-test-dir"), work = w.dir.file("spooldir-test-dir")
        try IT.mkdirs(spool, work + "/error", work + "/finished")
        let csv = ([Self.header] + (1...Self.rows).map(Self.line)).joined(separator: "\n") + "\n"
        try IT.write(csv, to: spool + "/orders.csv")

        let seed = """
            {
              "name": "csv_spooldir_source",
              "config": {
                "tasks.max": "3",
                "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
                "input.path": "/home/ubuntu/spool-test-dir",
                "input.file.pattern": "^.*\\\\.csv$",
                "error.path": "/home/ubuntu/spooldir-test-dir/error",
                "finished.path": "/home/ubuntu/spooldir-test-dir/finished",
                "empty.poll.wait.ms": 30000,
                "halt.on.error": "false",
                "topic": "spooldir-topic",
                "csv.first.row.as.header": "true",
                "schema.generation.enabled": "true"
              }
            }
            """
            .replacingOccurrences(of: "/home/ubuntu/spooldir-test-dir", with: work)
            .replacingOccurrences(of: "/home/ubuntu/spool-test-dir", with: spool)
        let created = try await w.post("/connectors", seed)
        #expect(created.status == 201, "create: \(created.raw)")
        try await w.waitForState("csv_spooldir_source", "RUNNING", tasks: 3, timeout: 30)
        let status = try await w.get("/connectors/csv_spooldir_source/status").body
        #expect(status?["tasks"]?.arrayValue?.count == 3)

        let messages = try await IT.readTopic(w.bootstrap, "spooldir-topic", count: Self.rows)
        #expect(messages.count == Self.rows)
        var byId: [Int64: JSONValue] = [:]
        var schema: JSONValue?
        for m in messages {
            let envelope = try JSONReader.parse(m.value ?? [])
            schema = envelope["schema"]
            let payload = try #require(envelope["payload"])
            byId[payload["id"]?.int64Value ?? -1] = payload
        }

        // The inferred schema is typed, field by field, in the header's order.
        let s = try #require(schema)
        #expect(s["type"]?.stringValue == "struct")
        let fields = s["fields"]?.arrayValue ?? []
        #expect(fields.map { $0["field"]?.stringValue ?? "?" } == Self.header.split(separator: ",").map(String.init))
        func field(_ name: String) -> JSONValue? { fields.first { $0["field"]?.stringValue == name } }
        #expect(field("id")?["type"]?.stringValue == "int64")
        #expect(field("customer")?["type"]?.stringValue == "string")
        #expect(field("amount")?["type"]?.stringValue == "bytes")
        #expect(field("amount")?["name"]?.stringValue == "org.apache.kafka.connect.data.Decimal")
        #expect(field("amount")?["parameters"]?["scale"]?.stringValue == "2")
        #expect(field("created_at")?["type"]?.stringValue == "int64")
        #expect(field("created_at")?["name"]?.stringValue == "org.apache.kafka.connect.data.Timestamp")
        #expect(field("active")?["type"]?.stringValue == "boolean")
        #expect(field("note")?["type"]?.stringValue == "string")
        #expect(field("qty")?["type"]?.stringValue == "int32")
        #expect(fields.allSatisfy { $0["optional"]?.boolValue == false }, "no column has an empty value")

        // Every row arrived once with its values converted exactly.
        #expect(byId.count == Self.rows)
        for i in 1...Self.rows {
            let p = byId[9_000_000_000 + Int64(i)]
            #expect(p?["customer"]?.stringValue == "Customer \(i)")
            #expect(p?["amount"]?.stringValue == Self.decimalBase64(Self.cents(i)), "amount of row \(i)")
            #expect(p?["created_at"]?.int64Value == Self.millis(i), "created_at of row \(i)")
            #expect(p?["active"]?.boolValue == (i % 2 == 0))
            #expect(p?["note"]?.stringValue == Self.note(i))
            #expect(p?["qty"]?.int64Value == Int64(i % 7))
        }

        // The file is moved to finished.path once every record is acknowledged.
        try await waitUntil(timeout: 30, "orders.csv in finished.path") { IT.files(in: work + "/finished") == ["orders.csv"] }
        #expect(IT.files(in: spool).isEmpty, "input dir still holds \(IT.files(in: spool))")
        #expect(IT.files(in: work + "/error").isEmpty)
        await w.shutdown()
    }
}
