import Foundation
import SluiceAPI
import Testing
@testable import SpoolDir

@Suite struct FormatTests {
    func gzip(_ path: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        p.arguments = ["-f", path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    @Test func gzipInputIsReadTransparently() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("z.csv", "id,s\n" + (1...5000).map { "\($0),\"row \($0), quoted\"\n" }.joined())
        try gzip(dirs.input + "/z.csv")
        #expect(dirs.files(dirs.input) == ["z.csv.gz"])
        let run = try TaskRun.run(dirs.csvConfig(["input.file.pattern": ".*\\.csv\\.gz"]))
        #expect(run.records.count == 5000)
        #expect(run.records.last?.field("s") == .string("row 5000, quoted"))
        #expect(run.records.first?.headers.last("file.name.without.extension")?.value == .string("z"))
        #expect(dirs.files(dirs.finished) == ["z.csv.gz"])
    }

    @Test func tsvWithSeparatorNine() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.tsv", "id\tname\n1\tA, B\n")
        let run = try TaskRun.run(dirs.csvConfig(["input.file.pattern": ".*\\.tsv", "csv.separator.char": "9"]))
        #expect(run.records.map { $0.field("name") } == [.string("A, B")])
    }

    @Test func headerlessCSVWithExplicitSchemaAndKey() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.csv", "7,2024-05-01,\n8,2024-05-02,3\n")
        var c = dirs.csvConfig(["csv.first.row.as.header": "false", "schema.generation.enabled": "false"])
        c["value.schema"] = #"{"name":"v","type":"STRUCT","isOptional":false,"fieldSchemas":{"id":{"type":"INT64","isOptional":false},"day":{"name":"org.apache.kafka.connect.data.Date","type":"INT32","isOptional":false},"qty":{"type":"INT32","isOptional":true}}}"#
        c["key.schema"] = #"{"name":"k","type":"STRUCT","isOptional":false,"fieldSchemas":{"id":{"type":"INT64","isOptional":false}}}"#
        let run = try TaskRun.run(c)
        #expect(run.records.map { $0.field("qty") } == [.null, .int32(3)])
        #expect(run.records[0].field("day") == .int32(19844))
        #expect(run.records[1].key.structValue?["id"] == .int64(8))
        #expect(run.records[0].keySchema?.name == "k")
    }

    @Test func timestampModes() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.csv", "id,at\n1,2024-01-01T00:00:00Z\n")
        let field = try TaskRun.run(dirs.csvConfig(["timestamp.mode": "FIELD", "timestamp.field": "at"]))
        #expect(field.records[0].timestamp == 1_704_067_200_000)
        try dirs.write("b.csv", "id,at\n1,2024-01-01T00:00:00Z\n")
        let mtime = InputFile.lookup(dirs.input + "/b.csv", relativePath: "b.csv")!.modifiedMs
        let file = try TaskRun.run(dirs.csvConfig(["timestamp.mode": "FILE_TIME"]))
        #expect(file.records[0].timestamp == mtime)
    }

    @Test func jsonLinesAndConcatenatedObjectsWithInference() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.json", """
            {"id": 1, "name": "x", "price": "1.25", "at": "2024-01-01T00:00:00Z", "ok": true}
            {"id": 2, "name": "y", "price": "3", "at": "2024-01-02T00:00:00Z", "ok": false, "extra": {"n": 1}}
            {"id": 3,
             "name": "z\\n{}", "price": null, "at": "2024-01-03T00:00:00Z", "ok": true}{"id": 4, "name": "w", "price": "0.5", "at": "2024-01-04T00:00:00Z", "ok": true}
            """)
        var c = dirs.csvConfig(["input.file.pattern": ".*\\.json"])
        c["csv.first.row.as.header"] = nil
        let run = try TaskRun.run(format: .json, c)
        #expect(run.records.count == 4)
        let s = run.records[0].valueSchema!
        #expect(s.field("id")?.schema == .int32)
        #expect(s.field("price")?.schema == Logical.decimal(scale: 2, optional: true))
        #expect(s.field("at")?.schema == Logical.timestamp)
        #expect(s.field("ok")?.schema == .boolean)
        #expect(s.field("extra")?.schema == .optionalString)
        #expect(run.records[1].field("extra") == .string(#"{"n":1}"#))
        #expect(run.records[2].field("name") == .string("z\n{}"))
        #expect(run.records.map { $0.headers.last("file.offset")?.value } == (1...4).map { .int64($0) })
    }

    @Test func schemalessJSONEmitsMaps() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.json", "{\"a\": 1, \"b\": [true, null], \"c\": {\"d\": 1.5}}\n{\"a\": \"s\"}\n")
        let c: [String: String] = ["topic": "t", "input.path": dirs.input, "error.path": dirs.error, "finished.path": dirs.finished,
                                   "input.file.pattern": ".*\\.json", "empty.poll.wait.ms": "10"]
        let run = try TaskRun.run(format: .schemaLessJson, c)
        #expect(run.records.count == 2)
        #expect(run.records[0].valueSchema == nil)
        #expect(run.records[0].value == .map([
            MapEntry(.string("a"), .int64(1)), MapEntry(.string("b"), .array([.boolean(true), .null])),
            MapEntry(.string("c"), .map([MapEntry(.string("d"), .float64(1.5))])),
        ]))
        #expect(run.records[1].value[mapKey: "a"] == .string("s"))
    }

    @Test func lineDelimitedEmitsEachLine() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.log", "first\r\n\nthird")
        let c: [String: String] = ["topic": "t", "input.path": dirs.input, "error.path": dirs.error, "finished.path": dirs.finished,
                                   "input.file.pattern": ".*\\.log", "empty.poll.wait.ms": "10"]
        let run = try TaskRun.run(format: .lineDelimited, c)
        #expect(run.records.map(\.value) == [.string("first"), .string(""), .string("third")])
        #expect(run.records[0].valueSchema == .string)
    }

    @Test func badJSONGoesToErrorPath() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.json", "{\"id\": 1}\n{\"id\": oops}\n")
        var c = dirs.csvConfig(["input.file.pattern": ".*\\.json"])
        c["value.schema"] = #"{"name":"v","type":"STRUCT","isOptional":false,"fieldSchemas":{"id":{"type":"INT64","isOptional":false}}}"#
        let run = try TaskRun.run(format: .json, c)
        #expect(run.records.count == 1)
        #expect(dirs.files(dirs.error) == ["a.json", "a.json.error"])
        #expect(try String(contentsOfFile: dirs.error + "/a.json.error", encoding: .utf8).contains("line 2"))
    }

    @Test func pluginsListTheFourClassNames() {
        #expect(SpoolDirPlugins.all.map(\.className) == [
            "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirJsonSourceConnector",
            "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirSchemaLessJsonSourceConnector",
            "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirLineDelimitedSourceConnector",
        ])
        let csv = SpoolDirPlugins.all[0].configDef
        for (k, d) in [("batch.size", "1000"), ("empty.poll.wait.ms", "500"), ("halt.on.error", "true"), ("csv.separator.char", "44"),
                       ("csv.escape.char", "92"), ("processing.file.extension", ".PROCESSING"), ("schema.generation.sample.rows", "10000"),
                       ("schema.generation.infer.types", "true"), ("files.sort.attributes", "NameAsc"), ("cleanup.policy", "MOVE")] {
            #expect(csv.key(k)?.defaultValue == .value(d), "\(k)")
        }
    }
}

