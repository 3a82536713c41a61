import Testing
import SluiceAPI

/// Inputs libFuzzer found (scripts/fuzz.sh json); each is also in Fuzz/json/corpus.
@Suite struct JSONFuzzRegressionTests {
    /// A number too large for a Double reads as Infinity; it must be written back as JSON (quoted, as Jackson does),
    /// not as a bare `Infinity` no JSON reader accepts.
    @Test func hugeExponentRoundTrips() throws {
        let v = try JSONReader.parse("2200000000000007341644114049 01e350437".replacingSpaces())
        var w = JSONWriter()
        w.write(v)
        #expect(w.string == #""Infinity""#)
        #expect(try JSONReader.parse(w.bytes) == .string("Infinity"))
        var n = JSONWriter()
        n.write(.array([.double(.nan), .double(-.infinity)]))
        #expect(n.string == #"["NaN","-Infinity"]"#)
    }
}

private extension String {
    func replacingSpaces() -> String { filter { $0 != " " } }
}
