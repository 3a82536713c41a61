import Foundation
import JavaCompat
import SluiceAPI
import Testing

@testable import SchemaRegistry

/// Sluice's ProtobufConverter against outputs captured from Confluent's ProtobufConverter 7.0.16
/// (`ProtobufGoldens`): the registered `.proto` text, the record bytes, and the Connect schema and value read back.
@Suite struct ProtobufGoldenTests {
    static func converter(_ reg: SchemaRegistryService, isKey: Bool = false, _ props: [String: String] = [:]) throws -> ProtobufConverter {
        let c = ProtobufConverter()
        var p = props
        p["schema.registry.url"] = "http://unused"
        p["converter.type"] = isKey ? "key" : "value"
        c.configure(config: try ProtobufConverterConfig(p, isKey: isKey).registry, isKey: isKey, client: reg)
        return c
    }

    static func hex(_ b: [UInt8]) -> String { b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() }
    static func bytes(_ hex: String) -> [UInt8] {
        let u = Array(hex.utf8)
        return stride(from: 0, to: u.count, by: 2).map { UInt8(String(decoding: u[$0..<$0 + 2], as: UTF8.self), radix: 16) ?? 0 }
    }

    /// The Oracle program's `describe(schema)`.
    static func describe(_ s: Schema?) -> String {
        guard let s else { return "null" }
        var out = s.type.javaName
        if let n = s.name { out += " name=\(n)" }
        if let v = s.version { out += " v=\(v)" }
        if let d = s.doc { out += " doc=\(d)" }
        if s.isOptional { out += " opt" }
        if let p = s.parameters, !p.isEmpty { out += " params={" + p.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "}" }
        switch s.type {
        case .structure: out += " {" + s.fields.map { "\($0.name): \(describe($0.schema)); " }.joined() + "}"
        case .array: out += " [\(describe(s.valueSchema))]"
        case .map: out += " <\(describe(s.keySchema)), \(describe(s.valueSchema))>"
        default: break
        }
        return out
    }

    @Test(arguments: ProtobufCases.all.map(\.0))
    func matchesConfluent(_ name: String) throws {
        guard let (_, schema, value) = ProtobufCases.all.first(where: { $0.0 == name }) else { Issue.record("no case"); return }
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg)
        let written = try c.fromConnectData(topic: "t", headers: nil, schema: schema, value: value)
        #expect(Self.hex(written ?? []) == ProtobufGoldens.hex[name], "\(name): bytes")
        #expect(try reg.latest(subject: "t-value").schema == ProtobufGoldens.texts[name], "\(name): registered text")
        #expect(try reg.latest(subject: "t-value").schemaType == "PROTOBUF")

        let back = try c.toConnectData(topic: "t", headers: nil, value: Self.bytes(ProtobufGoldens.hex[name] ?? ""))
        #expect(Self.describe(back.schema) == ProtobufReadGoldens.schemas[name], "\(name): read-back schema")
        var expected = ProtobufReadGoldens.values[name] ?? ""
        for (java, b64) in [("java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]", "AQID"), ("java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]", "CQ=="),
                            ("java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]", "")] {
            expected = expected.replacingOccurrences(of: java, with: b64)
        }
        #expect(JavaText.toString(back.value, schema: back.schema) == expected, "\(name): read-back value")
    }

    @Test func nullIsATombstone() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg)
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .optionalString, value: .null) == nil)
        #expect(try c.toConnectData(topic: "t", headers: nil, value: nil).value == .null)
    }

    @Test func keysUseTheKeySubjectAndRecordStrategies() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let key = SchemaBuilder.struct().name("srv.inv.customers.Key").field("id", .int32).build()
        let v = Value.structure(Struct(schema: key, values: [.int32(7)]))
        _ = try Self.converter(reg, isKey: true).fromConnectData(topic: "t", headers: nil, schema: key, value: v)
        #expect(try reg.latest(subject: "t-key").id == 1)
        let c = try Self.converter(reg, ["value.subject.name.strategy": "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"])
        _ = try c.fromConnectData(topic: "t", headers: nil, schema: key, value: v)
        #expect(try reg.latest(subject: "t-srv.inv.customers.Key").id == 1)
        let r = try Self.converter(reg, ["value.subject.name.strategy": "RecordNameStrategy"])
        let bytes = try r.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("x"))
        #expect(try reg.latest(subject: "google.protobuf.StringValue").id == 2)
        #expect(try r.toConnectData(topic: "t", headers: nil, value: bytes).value == .string("x"))
    }

    @Test func unsupportedMappingSettingsAreConfigErrors() throws {
        #expect(throws: ConnectError.self) { _ = try ProtobufConverterConfig(["schema.registry.url": "http://x", "optional.for.nullables": "true"], isKey: false) }
        #expect(throws: ConnectError.self) { _ = try ProtobufConverterConfig([:], isKey: false) }
        let ok = try ProtobufConverterConfig(["schema.registry.url": "http://x", "auto.register.schemas": "false"], isKey: false)
        #expect(ok.registry.autoRegister == false)
    }

    @Test func autoRegisterOffLooksUpAndFailsWhenMissing() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg, ["auto.register.schemas": "false"])
        #expect(throws: ConnectError.self) { _ = try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("x")) }
        _ = try reg.register(subject: "t-value", schema: ProtoWellKnown.wrappersText, schemaType: "PROTOBUF")
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("x")) == [0, 0, 0, 0, 1, 2, 14, 10, 1, 0x78])
    }

    @Test func badPayloadsAreRecordErrorsNotCrashes() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg)
        guard let (_, schema, value) = ProtobufCases.all.first(where: { $0.0 == "coll" }) else { return }
        let good = try #require(try c.fromConnectData(topic: "t", headers: nil, schema: schema, value: value))
        var bad: [[UInt8]] = [
            [1] + good.dropFirst(),                 // wrong magic
            [0, 0, 0, 0, 9, 0, 8, 1],               // unknown id
            [0, 0],                                 // shorter than the header
            [0, 0, 0, 0, 1, 2, 6],                  // message index [3]: no such message
            [0, 0, 0, 0, 1, 3],                     // negative index count
            [0, 0, 0, 0, 1, 0x7e, 0],               // huge index count
            [0, 0, 0, 0, 1, 0, 0x0a, 0x7f, 1],      // length past the end
            [0, 0, 0, 0, 1, 0, 0x08],               // varint cut off
            [0, 0, 0, 0, 1, 0, 0x0b],               // wire type 3 (group)
            [0, 0, 0, 0, 1, 0, 0x42, 0x01, 0x08],   // TimeOfDay body truncated
            [0, 0, 0, 0, 1, 0, 0x3a, 0x02, 0x10, 0x0d], // Date month 13
            [0, 0, 0, 0, 1, 0, 0x1a, 0x02, 0x0d, 0x00], // Inner.a with a fixed32 wire type
        ]
        for cut in stride(from: 6, to: good.count - 1, by: 3) { bad.append(Array(good[..<cut])) }
        for b in bad {
            do {
                let r = try c.toConnectData(topic: "t", headers: nil, value: b)
                // A prefix that ends on a field boundary is a valid (shorter) message; anything else must throw.
                #expect(r.value.structValue != nil, "accepted \(b) as \(r.value)")
            } catch let e as ConnectError {
                #expect(!e.isRetriable)
                #expect(e.message.contains("topic t"), "\(e.message)")
            }
        }
        for b in bad.prefix(6) { #expect(throws: ConnectError.self) { _ = try c.toConnectData(topic: "t", headers: nil, value: b) } }
    }

    @Test func writeErrorsNameTheField() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg)
        let arr = SchemaBuilder.struct().name("a.A").field("xs", SchemaBuilder.array(.optionalInt32).build()).build()
        do {
            _ = try c.fromConnectData(topic: "t", headers: nil, schema: arr, value: .structure(Struct(schema: arr, values: [.array([.null])])))
            Issue.record("null element accepted")
        } catch let e as ConnectError { #expect(e.message.contains("xs")) }
        let dashed = SchemaBuilder.struct().name("a.B").field("a-b", .int32).build()
        #expect(throws: ConnectError.self) { _ = try ProtobufFromConnect.convert(dashed) }
        let v1 = SchemaBuilder.struct().name("x.Value").field("a", .int32).build()
        let v2 = SchemaBuilder.struct().name("y.Value").field("b", .string).build()
        let clash = SchemaBuilder.struct().name("a.C").field("p", v1).field("q", v2).build()
        do {
            _ = try ProtobufFromConnect.convert(clash)
            Issue.record("conflicting nested messages accepted")
        } catch { #expect(error.message.contains("C.Value")) }
        let root = SchemaBuilder.array(.int32).build()
        #expect(throws: ConnectError.self) { _ = try c.fromConnectData(topic: "t", headers: nil, schema: root, value: .array([])) }
    }
}
