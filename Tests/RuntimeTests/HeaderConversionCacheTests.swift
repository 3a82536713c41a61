import SluiceAPI
import Testing
@testable import Runtime

/// A sink task converts a header only when it differs from the previous record's at the same position.
@Suite struct HeaderConversionCacheTests {
    struct Boom: Error {}

    /// A converter that counts its calls and turns the bytes into a string (or fails on "bad").
    final class Counting {
        var calls: [String] = []
        func convert(_ key: String, _ bytes: [UInt8]?) throws -> SchemaAndValue {
            calls.append(key)
            let text = bytes.map { String(decoding: $0, as: UTF8.self) } ?? "null"
            if text == "bad" { throw Boom() }
            return SchemaAndValue(schema: .string, value: .string(text))
        }
    }

    func headers(_ offset: Int, name: String = "a.csv") -> [(String, [UInt8]?)] {
        [("file.name", Array(name.utf8)), ("file.offset", Array(String(offset).utf8)), ("empty", nil)]
    }

    func values(_ h: Headers) -> [String] {
        h.items.map { if case .string(let s) = $0.value { return "\($0.key)=\(s)" } else { return "\($0.key)=?" } }
    }

    @Test func repeatedHeadersConvertOnceAndChangedOnesAgain() throws {
        var cache = HeaderConversionCache()
        let c = Counting()
        #expect(values(try cache.convert(topic: "t", headers(1), c.convert)) == ["file.name=a.csv", "file.offset=1", "empty=null"])
        #expect(c.calls == ["file.name", "file.offset", "empty"])
        c.calls = []
        #expect(values(try cache.convert(topic: "t", headers(2), c.convert)) == ["file.name=a.csv", "file.offset=2", "empty=null"])
        #expect(c.calls == ["file.offset"])
        c.calls = []
        #expect(values(try cache.convert(topic: "t", headers(2, name: "b.csv"), c.convert)) == ["file.name=b.csv", "file.offset=2", "empty=null"])
        #expect(c.calls == ["file.name"])
    }

    @Test func anotherTopicOrHeaderCountConvertsEverything() throws {
        var cache = HeaderConversionCache()
        let c = Counting()
        _ = try cache.convert(topic: "t", headers(1), c.convert)
        c.calls = []
        _ = try cache.convert(topic: "u", headers(1), c.convert)
        #expect(c.calls.count == 3, "header converters may depend on the topic")
        c.calls = []
        #expect(values(try cache.convert(topic: "u", Array(headers(1).prefix(2)), c.convert)) == ["file.name=a.csv", "file.offset=1"])
        #expect(c.calls.count == 2)
        #expect(try cache.convert(topic: "u", [], c.convert).isEmpty)
    }

    @Test func aFailedConversionLeavesTheCacheAsItWas() throws {
        var cache = HeaderConversionCache()
        let c = Counting()
        _ = try cache.convert(topic: "t", headers(1), c.convert)
        var bad = headers(7)
        bad[2] = ("empty", Array("bad".utf8))
        #expect(throws: Boom.self) { try cache.convert(topic: "t", bad, c.convert) }
        c.calls = []
        // Offset 7 was converted before the failure but not kept: it converts again, the rest is reused.
        #expect(values(try cache.convert(topic: "t", headers(7), c.convert)) == ["file.name=a.csv", "file.offset=7", "empty=null"])
        #expect(c.calls == ["file.offset"])
    }
}
