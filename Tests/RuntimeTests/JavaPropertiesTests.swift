import Foundation
import Testing
@testable import Runtime

/// Expected values are what `java.util.Properties.load` gives for the same text.
@Suite struct JavaPropertiesTests {
    @Test func separatorsEqualsColonAndWhitespace() {
        let p = JavaProperties.parse("""
            a=1
            b:2
            c 3
            d\t4
            e = 5
            f : 6
            g    =   7
            h=
            i
            j = = x
            k::v
            l =:v
            m\t\t:\tv
            """)
        #expect(p == [
            "a": "1", "b": "2", "c": "3", "d": "4", "e": "5", "f": "6", "g": "7", "h": "", "i": "",
            "j": "= x", "k": ":v", "l": ":v", "m": "v",
        ])
    }

    @Test func commentsAndBlankLines() {
        let p = JavaProperties.parse("# a comment\n! another\n   # indented comment\n\n   \n\t\na=1 # not a comment\n#b=2\n")
        #expect(p == ["a": "1 # not a comment"])
    }

    @Test func valuesKeepTrailingButNotLeadingWhitespace() {
        #expect(JavaProperties.parse("a =   x y  ") == ["a": "x y  "])
        #expect(JavaProperties.parse("   indented.key=v") == ["indented.key": "v"])
    }

    @Test func lineContinuations() {
        #expect(JavaProperties.parse("a=hello \\\n      world") == ["a": "hello world"])
        #expect(JavaProperties.parse("a=one\\\r\n  two\\\r  three") == ["a": "onetwothree"])
        #expect(JavaProperties.parse("list=x,\\\n  y,\\\n  z\nnext=1") == ["list": "x,y,z", "next": "1"])
        // An even number of backslashes is an escaped backslash, not a continuation.
        #expect(JavaProperties.parse("c=x\\\\\nd=y") == ["c": "x\\", "d": "y"])
        // Inside a continuation, '#' is data.
        #expect(JavaProperties.parse("e=1\\\n  # x") == ["e": "1# x"])
        // A continuation followed by an empty line ends the value.
        #expect(JavaProperties.parse("a=x\\\n\nb=y") == ["a": "x", "b": "y"])
        #expect(JavaProperties.parse("a=x\\\n   \nb=y") == ["a": "x", "b": "y"])
        // A backslash at the very end of the text is dropped.
        #expect(JavaProperties.parse("a=b\\") == ["a": "b"])
        #expect(JavaProperties.parse("a=b\\\n") == ["a": "b"])
        // A comment line never continues.
        #expect(JavaProperties.parse("# comment \\\na=1") == ["a": "1"])
        // A continued key.
        #expect(JavaProperties.parse("long\\\n  key=v") == ["longkey": "v"])
    }

    @Test func escapes() {
        #expect(JavaProperties.parse("t=\\t\\n\\r\\f\\\\") == ["t": "\t\n\r\u{0C}\\"])
        #expect(JavaProperties.parse("u=\\u0041\\u00e9\\u00E9") == ["u": "Aéé"])
        #expect(JavaProperties.parse("s=\\uD83D\\uDE00") == ["s": "😀"])
        #expect(JavaProperties.parse("q=\\q\\\"\\'") == ["q": "q\"'"])
        #expect(JavaProperties.parse("h=\\#not\\!comment") == ["h": "#not!comment"])
        #expect(JavaProperties.parse("w=\\ leading") == ["w": " leading"])
        #expect(JavaProperties.parse("path=C:\\\\temp\\\\x") == ["path": "C:\\temp\\x"])
    }

    @Test func escapedSeparatorsInKeys() {
        let p = JavaProperties.parse("my\\ key=v1\na\\=b=c\nx\\:y:z\ntab\\\tkey v\n\\#hash=1")
        #expect(p == ["my key": "v1", "a=b": "c", "x:y": "z", "tab\tkey": "v", "#hash": "1"])
    }

    @Test func lineEndingsOfEveryKind() {
        #expect(JavaProperties.parse("a=1\rb=2\r\nc=3\n") == ["a": "1", "b": "2", "c": "3"])
    }

    @Test func lastDuplicateWinsAndPairsKeepOrder() throws {
        let text = "z=1\na=2\nz=3"
        #expect(JavaProperties.parse(text) == ["z": "3", "a": "2"])
        let pairs = try JavaProperties.pairs(text)
        #expect(pairs.map(\.key) == ["z", "a", "z"])
        #expect(pairs.map(\.value) == ["1", "2", "3"])
    }

    @Test func malformedUnicodeEscape() {
        #expect {
            try JavaProperties.pairs("ok=1\n\nbad=\\u12G4")
        } throws: { error in
            let e = error as? JavaProperties.ParseError
            return e?.line == 3 && e?.message == "Malformed \\uxxxx encoding."
        }
        #expect(throws: JavaProperties.ParseError.self) { try JavaProperties.pairs("short=\\u12") }
        // The lenient parser keeps the text as written.
        #expect(JavaProperties.parse("bad=\\u12G4") == ["bad": "\\u12G4"])
    }

    @Test func lineNumbersPointAtTheLogicalLineStart() throws {
        let text = "# c\n\na=1\nb=x\\\n  y\n\nc=\\uZZZZ"
        #expect {
            try JavaProperties.pairs(text)
        } throws: { ($0 as? JavaProperties.ParseError)?.line == 7 }
        let entries = try JavaProperties.entries("# c\n\na=1\nb=x\\\n  y\r\nc=2", strict: true, path: nil)
        #expect(entries.map(\.line) == [3, 4, 6])
    }

    @Test func loadReadsAFileAndNamesItInErrors() throws {
        let dir = NSTemporaryDirectory() + "javaprops-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/worker.properties"
        try Data("""
            # Kafka's connect-standalone.properties, abridged
            bootstrap.servers=localhost:9092
            key.converter=org.apache.kafka.connect.json.JsonConverter
            value.converter=org.apache.kafka.connect.json.JsonConverter
            key.converter.schemas.enable=true
            offset.storage.file.filename=/tmp/connect.offsets
            offset.flush.interval.ms=10000
            name=café
            """.utf8).write(to: URL(fileURLWithPath: path))
        let p = try JavaProperties.load(path: path)
        #expect(p["bootstrap.servers"] == "localhost:9092")
        #expect(p["offset.flush.interval.ms"] == "10000")
        #expect(p["name"] == "café")
        #expect(p.count == 7)
        #expect(try JavaProperties.loadPairs(path: path).first?.key == "bootstrap.servers")

        // Not UTF-8: read as ISO-8859-1, as Java does.
        let latin = dir + "/latin.properties"
        try Data([0x6E, 0x3D, 0x63, 0x61, 0x66, 0xE9]).write(to: URL(fileURLWithPath: latin))
        #expect(try JavaProperties.load(path: latin) == ["n": "café"])

        let missing = dir + "/nope.properties"
        #expect {
            try JavaProperties.load(path: missing)
        } throws: { "\($0)".contains(missing) && "\($0)".contains("no such file") }

        let bad = dir + "/bad.properties"
        try Data("a=1\nb=\\u00\n".utf8).write(to: URL(fileURLWithPath: bad))
        #expect {
            try JavaProperties.load(path: bad)
        } throws: { "\($0)" == "\(bad):2: Malformed \\uxxxx encoding." }
    }

    @Test func emptyInput() throws {
        #expect(JavaProperties.parse("").isEmpty)
        #expect(JavaProperties.parse("\n\n  \n# only comments\n").isEmpty)
        #expect(try JavaProperties.pairs("   ").isEmpty)
    }
}

/// The example files shipped in `config/` are what users copy first: they must parse and carry the keys the worker and
/// connectors require.
@Suite struct ShippedConfigFilesTests {
    static let configDir: String = {
        let me = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        return me.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config").path
    }()

    static func files(_ suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: configDir).filter { $0.hasSuffix(suffix) }.sorted()
            .map { configDir + "/" + $0 }
    }

    @Test func workerFilesHaveTheRequiredKeys() throws {
        let workers = try Self.files(".properties").filter { $0.hasSuffix("-standalone.properties")
            || $0.hasSuffix("-distributed.properties") || $0.hasSuffix("quickstart-worker.properties") }
        #expect(workers.count == 3)
        for path in workers {
            let p = try JavaProperties.load(path: path)
            for key in ["bootstrap.servers", "key.converter", "value.converter"] {
                #expect(p[key]?.isEmpty == false, "\(path) lacks \(key)")
            }
            if path.hasSuffix("distributed.properties") {
                for key in ["group.id", "config.storage.topic", "offset.storage.topic", "status.storage.topic"] {
                    #expect(p[key]?.isEmpty == false, "\(path) lacks \(key)")
                }
            } else {
                #expect(p["offset.storage.file.filename"]?.isEmpty == false, "\(path) lacks offset.storage.file.filename")
            }
        }
    }

    @Test func connectorFilesNameAConnector() throws {
        let connectors = try Self.files(".properties").filter { $0.contains("-file-") }
        #expect(connectors.count == 4)
        for path in connectors {
            let p = try JavaProperties.load(path: path)
            #expect(p["name"]?.isEmpty == false, "\(path) lacks name")
            #expect(p["connector.class"]?.contains("FileStream") == true, "\(path) lacks connector.class")
        }
        for path in try Self.files(".json") {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let config = json?["config"] as? [String: Any]
            #expect(json?["name"] is String, "\(path) lacks name")
            #expect(config?["connector.class"] is String, "\(path) lacks config.connector.class")
        }
    }
}
