import Foundation
import SchemaRegistry
import SluiceAPI
import Testing
import TestSupport
import WorkerTestSupport

/// Confluent's ProtobufConverter 7.0.16 (in the reference Kafka Connect) and Sluice's, both against Sluice's embedded
/// Schema Registry: the same FileStream input through the same SMTs must register the same `.proto` text (so the
/// same id, schemaType PROTOBUF) and write the same bytes; and each side's sink must read what the other wrote.
@Suite(.serialized) struct ProtobufCompatTests {
    static var confluentInstalled: Bool {
        let home = ProcessInfo.processInfo.environment["SLUICE_REFERENCE_HOME"] ?? "/var/tmp/sluice-reference"
        return ReferenceConnect.isInstalled
            && FileManager.default.fileExists(atPath: home + "/confluent/google-type-extra.jar")
    }

    static let lines = ["hi", "emoji \u{1F389}", "quote \" backslash \\", "caf\u{E9}", "12345"]
    static let variants: [(String, [String: String])] = [
        ("string", [:]),
        ("hoist", ["transforms": "h", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "line"]),
        ("named", [
            "transforms": "h,i,s", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "line",
            "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value", "transforms.i.static.field": "src",
            "transforms.i.static.value": "file",
            "transforms.s.type": "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value", "transforms.s.schema.name": "com.example.Line",
            "transforms.s.schema.version": "3",
        ]),
        ("timestamp", [
            "transforms": "h,t", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "d",
            "transforms.t.type": "org.apache.kafka.connect.transforms.TimestampConverter$Value", "transforms.t.field": "d",
            "transforms.t.format": "yyyy-MM-dd", "transforms.t.target.type": "Timestamp",
        ]),
        ("numbers", [
            "transforms": "h,c,s", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "n",
            "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": "n:int8",
            "transforms.s.type": "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value", "transforms.s.schema.name": "com.example.Small",
        ]),
    ]

    @Test(.timeLimit(.minutes(6)))
    func protobufMatchesConfluent() async throws {
        try #require(Self.confluentInstalled, "Confluent's ProtobufConverter is missing: run scripts/reference.sh setup-confluent")
        let ref = try ReferenceConnect()
        try await ref.start(workerProps: [:])
        defer { ref.stop() }
        let srPort = TestSupport.freePort()
        let w = try await TestWorker(extra: ["bootstrap.servers": ref.bootstrap, "offset.flush.interval.ms": "500",
                                             "schema.registry.listeners": "http://127.0.0.1:\(srPort)"])
        do {
            for (name, smts) in Self.variants { try await compare(name, smts, ref: ref, w: w, srPort: srPort) }
        } catch {
            await w.shutdown()
            throw error
        }
        await w.shutdown()
    }

    func compare(_ name: String, _ smts: [String: String], ref: ReferenceConnect, w: TestWorker, srPort: Int) async throws {
        let input = name == "timestamp" ? ["2024-01-02", "1999-12-31"] : name == "numbers" ? ["1", "-5", "0", "127"] : Self.lines
        let file = ref.dir.file("proto-\(name).txt")
        try (input.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let conv = ["value.converter": ProtobufConverter.className, "value.converter.schema.registry.url": "http://127.0.0.1:\(srPort)",
                    "key.converter": "org.apache.kafka.connect.storage.StringConverter"]
        var records: [String: [String]] = [:]
        for (base, tag) in [(ref.base, "ref"), (w.base, "sluice")] {
            let topic = "proto-\(tag)-\(name)"
            var config = ["connector.class": "FileStreamSource", "file": file, "topic": topic]
            config.merge(smts) { $1 }
            config.merge(conv) { $1 }
            try await create(base, "psrc-\(name)", config)
            try await waitUntil(timeout: 90, "\(name) records on \(tag)") {
                records[tag] = BytesCompatTests.consume(ref.bootstrap, topic)
                return records[tag]?.count == input.count
            }
            _ = try await CompatHTTP.send(CompatRequest("DELETE", "/connectors/psrc-\(name)"), base: base)
        }
        // Same registered text under each side's subject, hence the same id and the same bytes.
        let refSchema = try Self.registry(srPort, "/subjects/proto-ref-\(name)-value/versions/latest")
        let sluiceSchema = try Self.registry(srPort, "/subjects/proto-sluice-\(name)-value/versions/latest")
        #expect(refSchema?["schema"] == sluiceSchema?["schema"], "\(name): registered schema texts differ")
        #expect(refSchema?["schema"] != nil, "\(name): nothing registered")
        #expect(refSchema?["id"] == sluiceSchema?["id"])
        #expect(refSchema?["schemaType"] == .string("PROTOBUF") && sluiceSchema?["schemaType"] == .string("PROTOBUF"))
        #expect(records["ref"] == records["sluice"], "\(name): record bytes differ")

        // Cross reads: each side's FileStreamSink reads the other side's topic; both sinks must print the same lines.
        var printed: [String: [String]] = [:]
        for (base, tag, other) in [(ref.base, "ref", "sluice"), (w.base, "sluice", "ref")] {
            let out = ref.dir.file("proto-sink-\(tag)-\(name).txt")
            var config = ["connector.class": "FileStreamSink", "file": out, "topics": "proto-\(other)-\(name)"]
            config.merge(conv) { $1 }
            try await create(base, "psink-\(name)", config)
            try await waitUntil(timeout: 90, "\(name) sink on \(tag)") {
                let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
                printed[tag] = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
                return printed[tag]?.count == input.count
            }
            _ = try await CompatHTTP.send(CompatRequest("DELETE", "/connectors/psink-\(name)"), base: base)
        }
        #expect(printed["ref"] == printed["sluice"], "\(name): sinks read different values")
        if name == "string" { #expect(printed["sluice"] == input) }
        if name == "numbers" { #expect(printed["sluice"] == ["Struct{n=1}", "Struct{n=-5}", "Struct{n=0}", "Struct{n=127}"]) }
    }

    func create(_ base: String, _ name: String, _ config: [String: String]) async throws {
        let body = JSONValue.object(["name": .string(name), "config": .sortedObject(config.mapValues { .string($0) })]).compactString
        let r = try await CompatHTTP.send(CompatRequest("POST", "/connectors", body), base: base)
        guard r.status == 201 else { throw TestSupportError("create \(name) on \(base): \(r.status) \(r.raw)") }
    }

    static func registry(_ port: Int, _ path: String) throws -> JSONValue? {
        let r = try BlockingHTTPClient.send(method: "GET", url: "http://127.0.0.1:\(port)\(path)", headers: [], body: nil, timeoutMs: 10_000)
        return try? JSONReader.parse(r.body)
    }
}
