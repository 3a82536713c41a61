import SluiceAPI
import Testing

@testable import SchemaRegistry

/// The pure pieces of the Protobuf converter, without a registry: varints, framing, the `.proto` printer and parser.
@Suite struct ProtoCodecTests {
    @Test func varintsAndZigzag() throws {
        var w = ProtoWireWriter()
        w.varint(0); w.varint(1); w.varint(300); w.int(-1); w.zigzag(-1); w.zigzag(1); w.zigzag(7)
        #expect(w.bytes == [0, 1, 0xac, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x01, 0x02, 0x0e])
        var r = ProtoWireReader(w.bytes)
        #expect(try r.varint() == 0)
        #expect(try r.varint() == 1)
        #expect(try r.varint() == 300)
        #expect(Int64(bitPattern: try r.varint()) == -1)
        #expect(try r.zigzag() == -1)
        #expect(try r.zigzag() == 1)
        #expect(try r.zigzag() == 7)
        #expect(r.atEnd)
        var over = ProtoWireReader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
        #expect(throws: ProtoWireError.malformedVarint) { _ = try over.varint() }
        var cut = ProtoWireReader([0x80])
        #expect(throws: ProtoWireError.truncated) { _ = try cut.varint() }
    }

    @Test func nestedLengthWidensPastOneByte() {
        var w = ProtoWireWriter()
        w.tag(1, .lengthDelimited)
        let start = w.beginLength()
        w.bytes.append(contentsOf: [UInt8](repeating: 7, count: 200))
        w.endLength(start)
        #expect(Array(w.bytes.prefix(3)) == [0x0a, 0xc8, 0x01])
        #expect(w.bytes.count == 203 && w.bytes.last == 7)
    }

    @Test func messageIndexFraming() throws {
        var e = ProtobufEncoder()
        e.header(id: 1, messageIndex: [0])
        #expect(e.w.bytes == [0, 0, 0, 0, 1, 0])
        var f = ProtobufEncoder()
        f.header(id: 258, messageIndex: [1, 2])
        #expect(f.w.bytes == [0, 0, 0, 1, 2, 4, 2, 4])
        var d = ProtobufDecoder(f.w.bytes, offset: 5)
        #expect(try d.messageIndexes() == [1, 2])
        var z = ProtobufDecoder([0, 0, 0, 0, 1, 0], offset: 5)
        #expect(try z.messageIndexes() == [0])
    }

    /// Dates go through JavaCompat's `CivilCalendar` (tested there); the seconds/nanos split is the encoder's own.
    @Test func timestampSplitsFloorTowardsNegativeInfinity() {
        #expect(ProtobufEncoder.floorDivMod(-1500, 1000) == (-2, 500))
        #expect(ProtobufEncoder.floorDivMod(1500, 1000) == (1, 500))
    }

    /// Every registered text Confluent produced parses and prints back byte for byte.
    @Test(arguments: ProtobufGoldens.texts.keys.sorted())
    func printerRoundTrip(_ name: String) throws {
        let text = try #require(ProtobufGoldens.texts[name])
        let file = try ProtoParser.parse(text)
        #expect(ProtoPrinter.print(file) == text)
    }

    @Test func wrappersTextIsConfluents() {
        #expect(ProtoWellKnown.wrappersText == ProtobufGoldens.texts["string"])
    }

    @Test func parserReadsHandWrittenProto() throws {
        let text = """
            // comment
            syntax = "proto3";
            package a.b;
            import public "google/protobuf/timestamp.proto";
            /* block */
            message Outer {
              option deprecated = true;
              reserved 5, 6;
              enum Kind { UNKNOWN = 0; BIG = 1 [deprecated = true]; }
              map<string, Inner> things = 1;
              Kind kind = 2;
              repeated sint64 zs = 3 [packed = false];
              message Inner { optional fixed32 f = 1; .a.b.Outer.Kind k = 2; }
            }
            service S { rpc X (Outer) returns (Outer); }
            """
        let f = try ProtoParser.parse(text)
        #expect(f.package == "a.b" && f.imports == ["google/protobuf/timestamp.proto"])
        let outer = try #require(f.messages.first)
        #expect(outer.fields.map(\.name) == ["things", "kind", "zs"])
        #expect(outer.fields[0].type == "ThingsEntry" && outer.fields[0].label == .repeated)
        #expect(outer.messages.map(\.name) == ["ThingsEntry", "Inner"])
        #expect(outer.enums.first?.constants == [.init("UNKNOWN", 0), .init("BIG", 1)])
        let root = try ProtobufToConnect.convert(f, messageIndex: [0], version: 1)
        #expect(root.schema.field("things")?.schema.type == .map)
        #expect(root.schema.field("kind")?.schema.parameter("io.confluent.connect.protobuf.Enum") == "Kind")
        #expect(root.schema.field("zs")?.schema.valueSchema?.type == .int64)
        #expect(throws: ProtoParseError.self) { _ = try ProtoParser.parse("message A { oneof x { int32 a = 1; } }") }
        #expect(throws: ProtoParseError.self) { _ = try ProtoParser.parse("message A { int32 a = ; }") }
        #expect(throws: ProtoParseError.self) { _ = try ProtoParser.parse("message A { string s = 1 [default = \"x]; }") }
        #expect(throws: ConnectError.self) { _ = try ProtobufToConnect.convert(try ProtoParser.parse("message A { A a = 1; }"), messageIndex: [0], version: nil) }
        #expect(throws: ConnectError.self) { _ = try ProtobufToConnect.convert(try ProtoParser.parse("message A { B b = 1; }"), messageIndex: [0], version: nil) }
    }

    /// Decoding a hand-written message: enum names, unpacked repeated, unknown fields skipped.
    @Test func decodesOtherProducersMessages() throws {
        let f = try ProtoParser.parse("syntax = \"proto3\"; message M { enum E { A = 0; B = 1; } E e = 1; repeated int32 xs = 2; sint32 z = 3; }")
        let root = try ProtobufToConnect.convert(f, messageIndex: [0], version: nil)
        let body: [UInt8] = [0x08, 0x01, 0x10, 0x05, 0x10, 0x06, 0x18, 0x03, 0x78, 0x01, 0x22, 0x00]
        var d = ProtobufDecoder(body, offset: 0)
        let s = try d.message(root.plan, end: body.count)
        #expect(s.values == [.string("B"), .array([.int32(5), .int32(6)]), .int32(-2)])
    }
}
