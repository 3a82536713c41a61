import SluiceAPI
import Testing
@testable import SpoolDir

@Suite struct CSVParserTests {
    /// Parses `text` with every chunk size in a small range, so record boundaries land everywhere.
    func parse(_ text: String, _ options: CSVOptions = CSVOptions(), chunk: Int? = nil) throws -> [[String]] {
        var results: [[[String]]] = []
        for c in chunk.map({ [$0] }) ?? [1, 2, 3, 7, 1 << 20] {
            var p = CSVParser(source: MemoryByteSource(text, chunkSize: c), options: options, sourceName: "mem.csv")
            defer { p.close() }
            var row = CSVRow()
            var rows: [[String]] = []
            while try p.next(into: &row) { rows.append(row.strings()) }
            results.append(rows)
        }
        for r in results.dropFirst() { #expect(r == results[0]) }
        return results[0]
    }

    func lines(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> [Int] {
        var p = CSVParser(source: MemoryByteSource(text, chunkSize: 2), options: options, sourceName: "mem.csv")
        defer { p.close() }
        var row = CSVRow()
        var out: [Int] = []
        while try p.next(into: &row) { out.append(row.line) }
        return out
    }

    @Test func simpleRows() throws {
        #expect(try parse("a,b,c\n1,2,3\n") == [["a", "b", "c"], ["1", "2", "3"]])
        #expect(try parse("a,b\n1,2") == [["a", "b"], ["1", "2"]])  // no final newline
    }

    @Test func quotedFieldsWithSeparatorsAndDoubledQuotes() throws {
        #expect(try parse("\"x, y\",\"say \"\"hi\"\"\",z\n") == [["x, y", "say \"hi\"", "z"]])
    }

    @Test func escapedQuotesWithBackslash() throws {
        #expect(try parse("\"a\\\"b\",\"c\\\\d\",e\\f\n") == [["a\"b", "c\\d", "e\\f"]])
        var rfc = CSVOptions()
        rfc.useRFC4180()
        #expect(try parse("\"a\\\"\"b\"\n", rfc) == [["a\\\"b"]])
    }

    @Test func newlinesInsideQuotesAndLineNumbers() throws {
        let text = "id,note\n1,\"line one\nline two\"\n2,\"x\r\ny\"\n3,z\n"
        #expect(try parse(text) == [["id", "note"], ["1", "line one\nline two"], ["2", "x\ny"], ["3", "z"]])
        #expect(try lines(text) == [1, 2, 4, 6])
    }

    @Test func crlfAndLoneCR() throws {
        #expect(try parse("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(try parse("a,b\r1,2\r") == [["a", "b"], ["1", "2"]])
        var keep = CSVOptions()
        keep.keepCarriageReturn = true
        #expect(try parse("a,b\r\n", keep, chunk: 1 << 20) == [["a", "b\r"]])
    }

    @Test func byteOrderMarkIsStripped() throws {
        #expect(try parse("\u{FEFF}id,name\n1,x\n") == [["id", "name"], ["1", "x"]])
    }

    @Test func emptyLinesAreSkippedButCountLines() throws {
        let text = "a\n\n\r\nb\n\n"
        #expect(try parse(text) == [["a"], ["b"]])
        #expect(try lines(text) == [1, 4])
    }

    @Test func emptyFieldsAndNullIndicator() throws {
        let text = "1,,\"\"\n"
        #expect(try parse(text) == [["1", "", ""]])
        for (indicator, expected) in [(CSVOptions.NullFieldIndicator.neither, [false, false, false]), (.emptySeparators, [false, true, false]),
                                      (.emptyQuotes, [false, false, true]), (.both, [false, true, true])] {
            var p = CSVParser(source: MemoryByteSource(text), options: CSVOptions(), sourceName: "m")
            var row = CSVRow()
            #expect(try p.next(into: &row))
            #expect((0..<3).map { row.isNull($0, indicator) } == expected)
            p.close()
        }
    }

    @Test func tabAndCustomSeparators() throws {
        var tsv = CSVOptions()
        tsv.separator = 9
        #expect(try parse("a\tb,c\t\"d\te\"\n", tsv) == [["a", "b,c", "d\te"]])
        var semi = CSVOptions()
        semi.separator = UInt8(ascii: ";")
        semi.quote = UInt8(ascii: "'")
        #expect(try parse("x;'y;z';'it''s'\n", semi) == [["x", "y;z", "it's"]])
    }

    @Test func skipLinesAndLeadingWhitespace() throws {
        var o = CSVOptions()
        o.skipLines = 2
        #expect(try parse("junk\nmore junk\na,b\n", o) == [["a", "b"]])
        #expect(try parse("1,  \"q\", r\n") == [["1", "q", " r"]])
        var keepWS = CSVOptions()
        keepWS.ignoreLeadingWhitespace = false
        #expect(try parse("1, \"q\"\n", keepWS) == [["1", " \"q\""]])
    }

    @Test func strictQuotesAndIgnoreQuotations() throws {
        var strict = CSVOptions()
        strict.strictQuotes = true
        #expect(try parse("\"a\"xx,b,\"c\"\n", strict) == [["a", "", "c"]])
        var ignore = CSVOptions()
        ignore.ignoreQuotations = true
        #expect(try parse("\"a,b\"\n", ignore) == [["\"a", "b\""]])
    }

    @Test func unterminatedQuoteNamesFileAndLine() throws {
        #expect {
            _ = try parse("a\n\"open,b\n")
        } throws: { e in
            "\(e)".contains("mem.csv line 2") && "\(e)".contains("unterminated")
        }
    }

    @Test func raggedRowsKeepTheirFieldCount() throws {
        #expect(try parse("a,b,c\n1,2\n").map(\.count) == [3, 2])
    }
}
