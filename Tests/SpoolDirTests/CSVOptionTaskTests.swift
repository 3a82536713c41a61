import Foundation
import SluiceAPI
import Testing
@testable import SpoolDir

@Suite struct CSVOptionTaskTests {
    @Test func nullIndicatorLatin1AndCaseInsensitiveHeaders() throws {
        let dirs = try SpoolDirs()
        defer { dirs.remove() }
        var bytes = Array("ID,Name,Note\n1,Jos".utf8)
        bytes += [0xE9]  // é in ISO-8859-1
        bytes += Array(",\"\"\n2,,x\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: dirs.input + "/l.csv"))
        var c = dirs.csvConfig(["csv.file.charset": "ISO-8859-1", "csv.null.field.indicator": "EMPTY_QUOTES"])
        c["value.schema"] = #"{"name":"v","type":"STRUCT","isOptional":false,"fieldSchemas":{"id":{"type":"INT32","isOptional":false},"name":{"type":"STRING","isOptional":true},"note":{"type":"STRING","isOptional":true}}}"#
        let run = try TaskRun.run(c)
        #expect(run.records.map { $0.field("name") } == [.string("José"), .string("")])
        #expect(run.records.map { $0.field("note") } == [.null, .string("x")])
    }
}
