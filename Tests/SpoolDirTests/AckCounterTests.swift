import SluiceAPI
import Testing
@testable import SpoolDir

@Suite struct AckCounterTests {
    func record(_ partition: [String: JSONValue], size: Int64, modified: Int64 = 7, offset: Int64 = 1) -> SourceRecord {
        SourceRecord(sourcePartition: partition,
                     sourceOffset: ["offset": .int(offset), "fileSize": .int(size), "fileLastModified": .int(modified)],
                     topic: "t", valueSchema: nil, value: .null)
    }

    @Test func countsRunsAndSwitchesBetweenFiles() {
        var c = AckCounter()
        let a: [String: JSONValue] = ["fileName": .string("a.csv")]
        let b: [String: JSONValue] = ["fileName": .string("b.csv")]
        for i in 0..<5 { c.add(record(a, size: 10, offset: Int64(i))) }
        for _ in 0..<3 { c.add(record(b, size: 20)) }
        c.add(record(a, size: 10))
        let ka = OpenFile.AckKey(name: "a.csv", size: 10, modified: 7), kb = OpenFile.AckKey(name: "b.csv", size: 20, modified: 7)
        #expect(c.count(ka) == 6)
        #expect(c.count(kb) == 3)
        c.add(record(b, size: 20))  // counted after a read folded the run
        #expect(c.count(kb) == 4)
        c.remove(kb)
        #expect(c.count(kb) == 0)
        #expect(c.count(ka) == 6)
    }

    /// A new version of a file (same name, another size) is another file, even when its partition map is an equal
    /// but separate map, and records whose maps are equal but not shared count for the same file.
    @Test func versionsOfOneNameAreSeparateAndEqualMapsCountTogether() {
        var c = AckCounter()
        for _ in 0..<4 { c.add(record(["fileName": .string("x.csv")], size: 1)) }  // a new map per record
        let second: [String: JSONValue] = ["fileName": .string("x.csv")]
        c.add(record(second, size: 2))
        c.add(record(second, size: 2))
        #expect(c.count(OpenFile.AckKey(name: "x.csv", size: 1, modified: 7)) == 4)
        #expect(c.count(OpenFile.AckKey(name: "x.csv", size: 2, modified: 7)) == 2)
    }

    @Test func recordsWithoutSpoolDirFieldsAreIgnored() {
        var c = AckCounter()
        c.add(SourceRecord(sourcePartition: [:], sourceOffset: [:], topic: "t", valueSchema: nil, value: .null))
        c.add(SourceRecord(sourcePartition: ["fileName": .string("a")], sourceOffset: ["offset": .int(1)], topic: "t", valueSchema: nil, value: .null))
        #expect(c.count(OpenFile.AckKey(name: "a", size: 0, modified: 0)) == 0)
    }
}
