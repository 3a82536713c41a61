import Foundation
import SluiceAPI
import Testing
@testable import SpoolDir

@Suite struct TaskLifecycleTests {
    let csv = "id,name,amount,at,active\n1,Ann,12.50,2024-01-01T10:00:00Z,true\n2,\"Doe, John\",7,2024-01-02T11:00:00Z,false\n3,Bo,,2024-01-03T12:00:00Z,true\n"

    @Test func seedExampleValidatesAndRunsAsWritten() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("data.csv", csv)
        // The seed config with its mixed number/string values (the REST layer hands numbers over as strings).
        let seed: [String: String] = [
            "tasks.max": "3",
            "connector.class": "com.github.jcustenborder.kafka.connect.spooldir.SpoolDirCsvSourceConnector",
            "input.path": dirs.input, "input.file.pattern": "^.*\\.csv$",
            "error.path": dirs.root + "/spooldir-test-dir/error", "finished.path": dirs.root + "/spooldir-test-dir/finished",
            "empty.poll.wait.ms": "30000", "halt.on.error": "false", "topic": "spooldir-topic",
            "csv.first.row.as.header": "true", "schema.generation.enabled": "true",
        ]
        let connector = SpoolDirSourceConnector(format: .csv)
        let errors = connector.validate(seed).flatMap(\.errors)
        #expect(errors.isEmpty, "\(errors)")
        let run = try TaskRun.run(seed, tasks: 3)
        #expect(run.perTask.count == 3)
        #expect(run.records.count == 3)
        let r = run.records[0]
        #expect(r.topic == "spooldir-topic")
        #expect(r.valueSchema?.field("id")?.schema == .int32)
        #expect(r.valueSchema?.field("amount")?.schema == Logical.decimal(scale: 2, optional: true))
        #expect(r.valueSchema?.field("at")?.schema == Logical.timestamp)
        #expect(r.valueSchema?.field("active")?.schema == .boolean)
        #expect(run.records.map { $0.field("name") } == [.string("Ann"), .string("Doe, John"), .string("Bo")])
        #expect(run.records.map { $0.field("amount") } == [.decimal(ConnectDecimal(unscaled: 1250, scale: 2)), .decimal(ConnectDecimal(unscaled: 700, scale: 2)), .null])
        #expect(r.headers.last("file.name")?.value == .string("data.csv"))
        #expect(r.headers.last("file.offset")?.value == .int64(1))
        #expect(r.sourcePartition == ["fileName": .string("data.csv")])
        #expect(r.sourceOffset["offset"] == .int(1))
        #expect(dirs.files(dirs.root + "/spooldir-test-dir/finished") == ["data.csv"])
        #expect(dirs.files(dirs.input).isEmpty)
    }

    @Test func validationNamesMissingAndUnusableDirectories() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        var c = dirs.csvConfig()
        c["input.path"] = dirs.root + "/nope"
        let connector = SpoolDirSourceConnector(format: .csv)
        let bad = connector.validate(c).filter { !$0.errors.isEmpty }
        #expect(bad.map(\.name) == ["input.path"])
        #expect(bad.first?.errors.first?.contains("does not exist") == true)
        var d = dirs.csvConfig()
        try dirs.write("plainfile", "x", dir: dirs.root)
        d["error.path"] = dirs.root + "/plainfile/error"
        #expect(connector.validate(d).filter { !$0.errors.isEmpty }.map(\.name) == ["error.path"])
        var e = dirs.csvConfig(["schema.generation.enabled": "false"])
        e["value.schema"] = nil
        #expect(connector.validate(e).filter { !$0.errors.isEmpty }.map(\.name) == ["value.schema"])
        var f = dirs.csvConfig(["cleanup.policy": "MOVE"])
        f["finished.path"] = nil
        #expect(connector.validate(f).filter { !$0.errors.isEmpty }.map(\.name) == ["finished.path"])
        #expect(throws: ConnectError.self) { try connector.start(c) }
    }

    @Test(arguments: ["MOVE", "MOVEBYDATE", "DELETE", "NONE"])
    func cleanupPolicies(policy: String) throws {
        let dirs = try SpoolDirs("cleanup\(policy)")
        defer { dirs.remove() }
        try dirs.write("a.csv", csv)
        // An old file: MOVEBYDATE files it under its modification date, not today's.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: dirs.input + "/a.csv")
        let offsets = MemoryOffsets()
        let run = try TaskRun.run(dirs.csvConfig(["cleanup.policy": policy]), offsets: offsets)
        #expect(run.records.count == 3)
        switch policy {
        case "MOVE": #expect(dirs.files(dirs.finished) == ["a.csv"])
        case "MOVEBYDATE": #expect(dirs.files(dirs.finished) == ["2023-11-14/a.csv"])
        case "DELETE": #expect(dirs.files(dirs.finished).isEmpty)
        default: #expect(dirs.files(dirs.finished).isEmpty)
        }
        #expect(dirs.files(dirs.input) == (policy == "NONE" ? ["a.csv"] : []))
        // NONE leaves the file, but a new run resumes after its committed records and sends nothing again.
        if policy == "NONE" { #expect(try TaskRun.run(dirs.csvConfig(["cleanup.policy": policy]), offsets: offsets).records.isEmpty) }
    }

    @Test func badRowGoesToErrorPathAndProcessingContinues() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.csv", "id,n\n1,x\n2,y\n")
        try dirs.write("b.csv", "id,n\n1,x\nnope,y\n")
        try dirs.write("c.csv", "id,n\n1,x\n2,y,extra\n")
        try dirs.write("d.csv", "id,n\n5,z\n")
        var c = dirs.csvConfig()
        c["value.schema"] = #"{"name":"v","type":"STRUCT","isOptional":false,"fieldSchemas":{"id":{"type":"INT32","isOptional":false},"n":{"type":"STRING","isOptional":true}}}"#
        let run = try TaskRun.run(c)
        #expect(run.records.map { $0.field("id") } == [.int32(1), .int32(2), .int32(1), .int32(1), .int32(5)])
        #expect(dirs.files(dirs.error) == ["b.csv", "b.csv.error", "c.csv", "c.csv.error"])
        #expect(dirs.files(dirs.finished) == ["a.csv", "d.csv"])
        let why = try String(contentsOfFile: dirs.error + "/b.csv.error", encoding: .utf8)
        #expect(why.contains("line 3") && why.contains("column 'id'") && why.contains("value 'nope'"))
        let ragged = try String(contentsOfFile: dirs.error + "/c.csv.error", encoding: .utf8)
        #expect(ragged.contains("line 3") && ragged.contains("expected 2 columns but found 3"))
    }

    @Test func haltOnErrorFailsTheTaskNamingFileLineColumnValue() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.csv", "id,amount\n1,2.5\n2,abc\n")
        var c = dirs.csvConfig(["halt.on.error": "true"])
        c["value.schema"] = #"{"name":"v","type":"STRUCT","isOptional":false,"fieldSchemas":{"id":{"type":"INT32","isOptional":false},"amount":{"name":"org.apache.kafka.connect.data.Decimal","type":"BYTES","isOptional":true,"parameters":{"scale":"2"}}}}"#
        #expect {
            _ = try TaskRun.run(c)
        } throws: { e in
            let m = "\(e)"
            return m.contains("a.csv line 3") && m.contains("column 'amount'") && m.contains("value 'abc'")
        }
        // As the original: the file goes to error.path with its explanation, no marker is left behind.
        #expect(dirs.files(dirs.input).isEmpty)
        #expect(dirs.files(dirs.error) == ["a.csv", "a.csv.error"])
    }

    @Test func restartResumesAfterLastCommittedRecordAndRecoversStaleMarker() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("big.csv", "n\n" + (1...250).map { "\($0)\n" }.joined())
        let offsets = MemoryOffsets()
        let c = dirs.csvConfig(["batch.size": "7"])
        let first = try TaskRun.run(c, offsets: offsets, maxRecordsBeforeCrash: 100)
        #expect(first.records.count == 100)
        #expect(dirs.files(dirs.input) == ["big.csv", "big.csv.PROCESSING"])  // the crash left a stale marker
        let second = try TaskRun.run(c, offsets: offsets)
        #expect(second.records.map { $0.field("n") } == (101...250).map { .int32(Int32($0)) })
        #expect(second.records.first?.sourceOffset["offset"] == .int(101))
        #expect(dirs.files(dirs.finished) == ["big.csv"])
        #expect(dirs.files(dirs.input).isEmpty)
    }

    @Test func newFileReusingANameIsNotSkipped() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let offsets = MemoryOffsets()
        try dirs.write("same.csv", "n\n1\n2\n")
        #expect(try TaskRun.run(dirs.csvConfig(["cleanup.policy": "DELETE"]), offsets: offsets).records.count == 2)
        try dirs.write("same.csv", "n\n10\n20\n30\n")
        let again = try TaskRun.run(dirs.csvConfig(["cleanup.policy": "DELETE"]), offsets: offsets)
        #expect(again.records.map { $0.field("n") } == [.int32(10), .int32(20), .int32(30)])
    }

    @Test func threeTasksPartitionFilesByName() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let names = (1...12).map { "f\($0).csv" }
        for (i, n) in names.enumerated() { try dirs.write(n, "n\n\(i)\n") }
        let run = try TaskRun.run(dirs.csvConfig(["tasks.max": "3"]), tasks: 3)
        #expect(run.records.count == 12)
        for (i, mine) in run.perTask.enumerated() {
            for r in mine {
                let name = r.sourcePartition["fileName"]!.stringValue!
                #expect(Int(Int64(FileLister.javaHash(name)).magnitude % 3) == i)
            }
        }
        #expect(Set(run.records.map { $0.sourcePartition["fileName"]!.stringValue! }) == Set(names))
        #expect(run.perTask.filter { !$0.isEmpty }.count >= 2)
        #expect(FileLister.javaHash("f1.csv") == -1_328_072_157)  // "f1.csv".hashCode() in Java
    }

    @Test func recursiveWalkKeepsRelativePathsWhenMoving() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("x/y/deep.csv", "n\n1\n")
        try dirs.write("top.csv", "n\n2\n")
        let run = try TaskRun.run(dirs.csvConfig(["input.path.walk.recursively": "true", "cleanup.policy.maintain.relative.path": "true"]))
        #expect(run.records.count == 2)
        #expect(dirs.files(dirs.finished) == ["top.csv", "x/y/deep.csv"])
        #expect(run.records.first { $0.headers.last("file.name")?.value == .string("deep.csv") }?.headers.last("file.relative.path")?.value == .string("x/y/deep.csv"))
    }

    @Test func noFileAtStartThenInferFromFirstFile() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        let connector = SpoolDirSourceConnector(format: .csv)
        let c = dirs.csvConfig(["schema.generation.key.fields": "id"])
        try connector.start(c)
        let config = try connector.taskConfigs(maxTasks: 1)[0]
        #expect(config["value.schema"] == nil)
        let task = connector.makeTask()
        task.initialize(context: TestTaskContext(configs: config, offsetStorageReader: MemoryOffsets()))
        try task.start(config)
        #expect(try task.poll().isEmpty)
        try dirs.write("late.csv", "id,price\n1,9.99\n2,10\n")
        var got: [SourceRecord] = []
        for _ in 0..<20 where got.count < 2 { got += try task.poll() }
        task.stop()
        #expect(got.count == 2)
        #expect(got[0].valueSchema?.field("price")?.schema == Logical.decimal(scale: 2))
        #expect(got[0].keySchema?.fields.map(\.name) == ["id"])
        #expect(got[1].key == .structure(Struct(schema: got[1].keySchema!, values: [.int32(2)])))
    }

    @Test func inferenceAtStartIsSharedByAllTasks() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.csv", "id,v\n1,1\n")
        try dirs.write("b.csv", "id,v\n2,2.5\n")
        let connector = SpoolDirSourceConnector(format: .csv)
        try connector.start(dirs.csvConfig())
        let configs = try connector.taskConfigs(maxTasks: 2)
        #expect(configs[0]["value.schema"] == configs[1]["value.schema"])
        let schema = try SchemaJSON.parse(configs[0]["value.schema"]!, key: "value.schema")
        #expect(schema.field("v")?.schema == Logical.decimal(scale: 1))
        #expect(configs.map { $0["task.index"] } == ["0", "1"])
    }

    @Test func inferTypesFalseGivesOptionalStrings() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        try dirs.write("a.csv", "id,v\n1,x\n")
        let run = try TaskRun.run(dirs.csvConfig(["schema.generation.infer.types": "false"]))
        #expect(run.records[0].valueSchema?.fields.map(\.schema) == [.optionalString, .optionalString])
    }
}
