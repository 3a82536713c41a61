import Foundation
import Testing
import SluiceAPI
import TestSupport
import WorkerTestSupport

/// The bytes each side writes to Kafka for the same input: a FileStreamSource on each worker reads the same file
/// through the same converter and SMT chain into its own topic; the topics' keys, headers and values are compared
/// (topic names normalized). A chain Kafka fails on must fail the Sluice task too.
@Suite(.serialized) struct BytesCompatTests {
    /// Awkward text: non-BMP characters, control characters, quotes, backslashes, non-ASCII, JSON-looking text.
    static let awkward = [
        "plain", "emoji \u{1F389} and \u{1D11E}", "ctl \u{01}\u{1F}\u{7F} tab\there", "quote \" backslash \\ slash /",
        "caf\u{E9} \u{4E2D}\u{6587} \u{2028}", "{\"json\": [1, 2.50, null]}", "  spaces  ", "12345678901234567890",
    ]
    static let numbers = ["42", "-7", "0", "2147483647"]
    static let dates = ["2024-01-02", "1999-12-31"]

    struct Variant {
        var name: String
        var lines: [String]
        var settings: [String: String]
    }

    static let json = "org.apache.kafka.connect.json.JsonConverter"
    static let variants: [Variant] = [
        Variant(name: "json-string", lines: awkward, settings: [:]),
        // Kafka ignores converter settings of a connector that does not name the converter (Sluice applies them).
        Variant(name: "json-schemaless", lines: awkward, settings: ["value.converter.schemas.enable": "false"]),
        Variant(name: "json-schemaless-explicit", lines: awkward, settings: ["value.converter": json, "value.converter.schemas.enable": "false"]),
        Variant(name: "string", lines: awkward, settings: ["value.converter": "org.apache.kafka.connect.storage.StringConverter"]),
        Variant(name: "hoist-insert", lines: awkward, settings: [
            "transforms": "h,i", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "line",
            "transforms.i.type": "org.apache.kafka.connect.transforms.InsertField$Value", "transforms.i.static.field": "src",
            "transforms.i.static.value": "file \u{1F389}", "transforms.i.topic.field": "t",
        ]),
        Variant(name: "hoist-replace-metadata", lines: awkward, settings: [
            "transforms": "h,r,s", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "line",
            "transforms.r.type": "org.apache.kafka.connect.transforms.ReplaceField$Value", "transforms.r.renames": "line:text",
            "transforms.s.type": "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value", "transforms.s.schema.name": "com.example.Line",
            "transforms.s.schema.version": "3",
        ]),
        Variant(name: "value-to-key", lines: awkward, settings: [
            "transforms": "h,k,e", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "line",
            "transforms.k.type": "org.apache.kafka.connect.transforms.ValueToKey", "transforms.k.fields": "line",
            "transforms.e.type": "org.apache.kafka.connect.transforms.ExtractField$Key", "transforms.e.field": "line",
        ]),
        Variant(name: "flatten-mask", lines: awkward, settings: [
            "transforms": "h,o,f,m", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "line",
            "transforms.o.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.o.field": "outer",
            "transforms.f.type": "org.apache.kafka.connect.transforms.Flatten$Value",
            "transforms.m.type": "org.apache.kafka.connect.transforms.MaskField$Value", "transforms.m.fields": "outer.line",
            "transforms.m.replacement": "***",
        ]),
        Variant(name: "headers", lines: awkward, settings: [
            "transforms": "a,b,h,c,d", "transforms.a.type": "org.apache.kafka.connect.transforms.InsertHeader", "transforms.a.header": "h1",
            "transforms.a.value.literal": "v\u{1F389}", "transforms.b.type": "org.apache.kafka.connect.transforms.InsertHeader",
            "transforms.b.header": "h2", "transforms.b.value.literal": "42",
            "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "line",
            "transforms.c.type": "org.apache.kafka.connect.transforms.HeaderFrom$Value", "transforms.c.fields": "line",
            "transforms.c.headers": "copied", "transforms.c.operation": "copy",
            "transforms.d.type": "org.apache.kafka.connect.transforms.DropHeaders", "transforms.d.headers": "h2",
        ]),
        Variant(name: "filter-regexrouter", lines: awkward, settings: [
            "transforms": "f,r", "transforms.f.type": "org.apache.kafka.connect.transforms.Filter", "transforms.f.predicate": "p",
            "transforms.f.negate": "true", "predicates": "p",
            "predicates.p.type": "org.apache.kafka.connect.transforms.predicates.TopicNameMatches", "predicates.p.pattern": "bytes-.*",
            "transforms.r.type": "org.apache.kafka.connect.transforms.RegexRouter", "transforms.r.regex": "(.*)-filter-regexrouter",
            "transforms.r.replacement": "$1-routed",
        ]),
        Variant(name: "cast-long", lines: numbers, settings: [
            "value.converter": "org.apache.kafka.connect.converters.LongConverter",
            "transforms": "c", "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": "int64",
        ]),
        Variant(name: "cast-double", lines: numbers, settings: [
            "value.converter": "org.apache.kafka.connect.converters.DoubleConverter",
            "transforms": "c", "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": "float64",
        ]),
        Variant(name: "cast-json", lines: numbers, settings: [
            "transforms": "h,c", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "n",
            "transforms.c.type": "org.apache.kafka.connect.transforms.Cast$Value", "transforms.c.spec": "n:float32",
        ]),
        Variant(name: "timestamp-converter", lines: dates, settings: [
            "transforms": "h,t", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "d",
            "transforms.t.type": "org.apache.kafka.connect.transforms.TimestampConverter$Value", "transforms.t.field": "d",
            "transforms.t.format": "yyyy-MM-dd", "transforms.t.target.type": "Timestamp",
        ]),
        Variant(name: "set-schema-metadata-schemaless-key", lines: awkward, settings: [
            "transforms": "s", "transforms.s.type": "org.apache.kafka.connect.transforms.SetSchemaMetadata$Key",
            "transforms.s.schema.name": "k",
        ]),
        Variant(name: "set-schema-metadata-schemaless-value", lines: awkward, settings: [
            "value.converter": json, "value.converter.schemas.enable": "false",
            "transforms": "h,s", "transforms.h.type": "org.apache.kafka.connect.transforms.HoistField$Value", "transforms.h.field": "line",
            "transforms.s.type": "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value", "transforms.s.schema.name": "v",
        ]),
    ]

    @Test(.timeLimit(.minutes(5)))
    func bytesMatchKafkaConnect() async throws {
        let (ref, w, c) = try await RestCompatTests.environment()
        defer { ref.stop() }
        do {
            for v in Self.variants { try await compare(v, ref: ref, c: c) }
        } catch {
            await w.shutdown()
            throw error
        }
        await w.shutdown()
        try RestCompatTests.verdict(c.report, "bytes")
    }

    /// Runs one variant on both sides and records one check: task states, then each record's key, headers, value.
    func compare(_ v: Variant, ref: ReferenceConnect, c: CompatRunner) async throws {
        let file = ref.dir.file("bytes-\(v.name).txt")
        try (v.lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        var outcome: [String: String] = [:]
        for (side, tag) in [(c.reference, "ref"), (c.sluice, "sluice")] {
            let topic = "bytes-\(tag)-\(v.name)"
            var config: [String: String] = ["connector.class": "FileStreamSource", "file": file, "topic": topic]
            config.merge(v.settings) { $1 }
            let body = JSONValue.object(["name": .string("bytes-\(v.name)"), "config": .sortedObject(config.mapValues { .string($0) })]).compactString
            let created = try await CompatHTTP.send(CompatRequest("POST", "/connectors", body), base: side.base)
            guard created.status == 201 else {
                outcome[tag] = "create \(created.status): \(created.raw)"
                continue
            }
            // Wait for every record, or for the task to fail.
            let readTopic = v.name == "filter-regexrouter" ? "bytes-\(tag)-routed" : topic
            var state = ""
            var records: [String] = []
            try await waitUntil(timeout: c.timeout, "\(v.name) on \(side.name)") {
                let s = try? await CompatHTTP.send(CompatRequest("GET", "/connectors/bytes-\(v.name)/status"), base: side.base).json
                state = s?["tasks"]?.arrayValue?.first?["state"]?.stringValue ?? ""
                if state == "FAILED" { return true }
                records = Self.consume(ref.bootstrap, readTopic)
                return records.count >= (v.name == "filter-regexrouter" ? 0 : v.lines.count) && state == "RUNNING"
                    && (v.name != "filter-regexrouter" || records.count == v.lines.count)
            }
            let normalized = records.map { $0.replacingOccurrences(of: "bytes-\(tag)-", with: "bytes-<side>-") }
            outcome[tag] = "task \(state)\n" + normalized.joined(separator: "\n")
            _ = try await CompatHTTP.send(CompatRequest("DELETE", "/connectors/bytes-\(v.name)"), base: side.base)
        }
        let r = outcome["ref"] ?? "", s = outcome["sluice"] ?? ""
        c.report.add(CompatResult(id: "bytes: \(v.name)", differences: r == s ? [] : ["records:\n    Kafka:  \(r)\n    Sluice: \(s)"]))
    }

    /// Every record of `topic` as `key | headers | value`, bytes outside printable ASCII as `<XX>` so that escapes
    /// and raw bytes stay apart. kcat prints each record as `keylen:valuelen:headers\n` then the raw key and value.
    static func consume(_ bootstrap: String, _ topic: String) -> [String] {
        guard let dir = try? TemporaryDirectory(prefix: "sluice-kcat") else { return [] }
        let out = dir.file("out")
        guard let pid = try? TestSupport.spawn("/usr/bin/kcat", ["-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-q",
                                                                "-f", "%K:%S:%h\n%k%s"], stdoutPath: out) else { return [] }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        guard status == 0, let data = FileManager.default.contents(atPath: out) else { return [] }
        let bytes = [UInt8](data)
        var records: [String] = []
        var i = 0
        func render(_ b: ArraySlice<UInt8>) -> String {
            b.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : String(format: "<%02X>", $0) }.joined()
        }
        while i < bytes.count {
            guard let nl = bytes[i...].firstIndex(of: 0x0A) else { break }
            let head = String(decoding: bytes[i..<nl], as: UTF8.self)
            let parts = head.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let kl = Int(parts[0]), let vl = Int(parts[1]) else { break }
            var j = nl + 1
            let key = kl < 0 ? "null" : render(bytes[j..<min(bytes.count, j + kl)])
            j += max(0, kl)
            let value = vl < 0 ? "null" : render(bytes[j..<min(bytes.count, j + vl)])
            j += max(0, vl)
            records.append("\(key) | \(parts[2]) | \(value)")
            i = j
        }
        return records
    }
}
