import SluiceAPI
import Testing

@testable import SchemaRegistry

/// AvroConverter against an in-process registry: framing, ids, strategies, record errors.
@Suite struct AvroConverterTests {
    static func converter(_ reg: SchemaRegistryService, _ props: [String: String] = [:], isKey: Bool = false) throws -> AvroConverter {
        let c = AvroConverter()
        var p = props
        p["schema.registry.url"] = "http://unused"
        p["converter.type"] = isKey ? "key" : "value"
        c.configure(config: try AvroConverterConfig(p, isKey: isKey), isKey: isKey, client: reg)
        return c
    }

    @Test func writesTheReferenceBytesForHi() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg)
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("hi")) == [0, 0, 0, 0, 1, 4, 0x68, 0x69])
        #expect(try reg.latest(subject: "t-value").schema == "\"string\"")
        let back = try c.toConnectData(topic: "t", headers: nil, value: [0, 0, 0, 0, 1, 4, 0x68, 0x69])
        #expect(back.value == .string("hi"))
        #expect(back.schema?.type == .string && back.schema?.version == 1)
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .optionalString, value: .null) == nil)
        #expect(try c.toConnectData(topic: "t", headers: nil, value: nil).value == .null)
    }

    @Test func recordNameStrategy() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg, ["value.subject.name.strategy": "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"])
        let s = SchemaBuilder.struct().name("com.acme.P").field("a", .int32).build()
        _ = try c.fromConnectData(topic: "t", headers: nil, schema: s, value: .structure(Struct(schema: s, values: [.int32(1)])))
        #expect(try reg.latest(subject: "t-com.acme.P").id == 1)
        #expect(throws: ConnectError.self) { _ = try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("x")) }
    }

    @Test func badPayloadsAreRecordErrors() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg)
        _ = try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("hi"))
        for bad: [UInt8] in [[1, 0, 0, 0, 1, 4, 0x68, 0x69], [0, 0, 0, 0, 9, 0], [0, 0, 0, 0, 1, 8, 0x68], [0, 0]] {
            do {
                _ = try c.toConnectData(topic: "t", headers: nil, value: bad)
                Issue.record("accepted \(bad)")
            } catch let e as ConnectError {
                #expect(!e.isRetriable)
            }
        }
    }

    @Test func unreachableRegistryIsRetriable() throws {
        let c = AvroConverter()
        try c.configure(["schema.registry.url": "http://127.0.0.1:1,http://127.0.0.1:2"], isKey: false)
        do {
            _ = try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("hi"))
            Issue.record("no error")
        } catch let e as ConnectError {
            #expect(e.isRetriable)
        }
    }

    @Test func autoRegisterOffNeedsTheSchema() throws {
        let reg = try SchemaRegistryService(log: MemoryRegistryLog())
        let c = try Self.converter(reg, ["auto.register.schemas": "false"])
        #expect(throws: ConnectError.self) { _ = try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("hi")) }
        _ = try reg.register(subject: "t-value", schema: "\"string\"", schemaType: "AVRO")
        #expect(try c.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("hi"))?.count == 8)
        let latest = try Self.converter(reg, ["auto.register.schemas": "false", "use.latest.version": "true"])
        #expect(try latest.fromConnectData(topic: "t", headers: nil, schema: .string, value: .string("hi"))?[4] == 1)
    }
}
