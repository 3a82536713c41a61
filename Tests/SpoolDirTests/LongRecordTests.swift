import SluiceAPI
import Testing
@testable import SpoolDir

/// A record much longer than one read must cost linear time: the parsers scan an incomplete record again from its
/// start after each refill, so a refill that added only one small read made a record of n bytes cost about
/// n² / read-size byte scans (the CSV fuzz target, reading 1–7 bytes at a time, ran at ~460 inputs/s on 4 KB
/// inputs). 2 MB through 3-byte reads would be ~7·10¹¹ scans that way; read doubling makes it a few million.
@Suite struct LongRecordTests {
    static let size = 2 << 20

    @Test(.timeLimit(.minutes(1))) func csvFieldOfTwoMegabytesThroughThreeByteReads() throws {
        let long = String(repeating: "x", count: Self.size)
        var p = CSVParser(source: MemoryByteSource("a,\"\(long)\",c\n1,2,3\n", chunkSize: 3), options: CSVOptions(), sourceName: "long.csv")
        defer { p.close() }
        var row = CSVRow()
        var rows: [[String]] = []
        while try p.next(into: &row) { rows.append(row.strings()) }
        #expect(rows.count == 2)
        #expect(rows.first?[1].utf8.count == Self.size)
        #expect(rows.last == ["1", "2", "3"])
    }

    @Test(.timeLimit(.minutes(1))) func jsonDocumentOfTwoMegabytesThroughThreeByteReads() throws {
        let long = String(repeating: "y", count: Self.size)
        var scanner = JSONObjectScanner(source: MemoryByteSource("{\"a\":\"\(long)\"}\n{\"b\":1}\n", chunkSize: 3), sourceName: "long.json")
        defer { scanner.close() }
        var sizes: [Int] = []
        while try scanner.next({ doc, _ -> Bool in sizes.append(doc.count); return true }) != nil {}
        #expect(sizes == [Self.size + 8, 7])
    }
}
