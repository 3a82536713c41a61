import SluiceAPI
import Testing
@testable import SpoolDir

/// How the input is cut into reads changes neither the cost nor the result.
///
/// A record much longer than one read must cost linear time: the parsers scan an incomplete record again from its
/// start after each refill, so a refill that added only one small read made a record of n bytes cost about
/// n² / read-size byte scans (the CSV fuzz target, reading 1–7 bytes at a time, ran at ~460 inputs/s on 4 KB
/// inputs). 2 MB through 3-byte reads would be ~7·10¹¹ scans that way; read doubling makes it a few million.
@Suite struct ReadChunkingTests {
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

    /// Found by the spooljson fuzz target: a scalar ending the file without a line end was a document when the last
    /// read happened to reach the end of input and an "incomplete JSON document" error otherwise.
    @Test func jsonTrailingScalarIsADocumentWhateverTheChunking() throws {
        let text = "{\"a\":1}\n42"
        for chunk in [1, 2, 3, 5, 64] {
            var scanner = JSONObjectScanner(source: MemoryByteSource(text, chunkSize: chunk), sourceName: "t.json", chunkSize: 8)
            defer { scanner.close() }
            var docs: [String] = []
            while try scanner.next({ doc, _ -> Bool in docs.append(String(decoding: doc, as: UTF8.self)); return true }) != nil {}
            #expect(docs == ["{\"a\":1}", "42"], "read size \(chunk)")
        }
        var cut = JSONObjectScanner(source: MemoryByteSource("{\"a\":[1,", chunkSize: 2), sourceName: "t.json", chunkSize: 8)
        defer { cut.close() }
        #expect(throws: ConnectError.self) { while try cut.next({ _, _ in true }) != nil {} }
    }
}
